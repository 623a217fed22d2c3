"""Public pages and downloads: content, filters, fixed query counts (200 KPIs × 20 actuals), JSON."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from sdgs.models import Actual, Goal, Kpi, KpiTarget, Target, current_fiscal_year
from sdgs.sources import source_register
from tests.conftest import has_control

pytestmark = pytest.mark.usefixtures("no_live_sources")


@pytest.fixture
def with_actuals(seeded):
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2023, value=6, source="商工会集計")
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2024, value=13, source="商工会集計")
    Actual.objects.create(
        kpi=Kpi.objects.get(code="EN-01"),
        fiscal_year=2022,
        value=Decimal("-20.5"),
        source="地球温暖化対策実行計画（事務事業編）点検結果",
    )


def make_many(n_kpis=200, n_actuals=20):
    """Lots of KPIs with targets, SDG targets and actuals, to show that query counts do not grow."""
    goal = Goal.objects.get_or_create(number=8, defaults={"name": "働きがいも経済成長も", "color": "#A21942"})[0]
    target = Target.objects.get_or_create(code="8.1", defaults={"goal": goal})[0]
    kpis = Kpi.objects.bulk_create(
        Kpi(
            code=f"ZZ-{i:03d}",
            indicator=f"試験用の指標{i}",
            pillar="economy",
            unit="人",
            baseline_year=2000,
            baseline_month=4,
            cumulative=True,
            order=100 + i,
        )
        for i in range(n_kpis)
    )
    KpiTarget.objects.bulk_create(
        KpiTarget(kpi=k, year=y, value=1000, printed="累計1,000人") for k in kpis for y in (2025, 2030)
    )
    Kpi.sdg_targets.through.objects.bulk_create(Kpi.sdg_targets.through(kpi=k, target=target) for k in kpis)
    Actual.objects.bulk_create(
        Actual(kpi=k, fiscal_year=2000 + j, value=10 * j, source="試験") for k in kpis for j in range(n_actuals)
    )
    return kpis


def test_dashboard_shows_every_kpi_grouped_by_pillar(client, with_actuals):
    response = client.get(reverse("sdgs:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    for kpi in Kpi.objects.public():
        assert kpi.indicator in html
    assert "経済" in html and "社会" in html and "環境" in html
    assert "相乗効果 経済→環境" in html
    assert "13件" in html and "▲20.5%" in html
    assert 'style="' not in html


def test_dashboard_groups_by_goal_and_filters(client, with_actuals):
    html = client.get(reverse("sdgs:dashboard"), {"group": "goal"}).content.decode()
    assert "8. 働きがいも経済成長も" in html
    assert "ターゲット番号の記載がないKPI" in html
    html = client.get(reverse("sdgs:dashboard"), {"goal": 13}).content.decode()
    assert "CO2 排出量" in html and "清瀬ひまわりフェスティバル" not in html
    html = client.get(reverse("sdgs:dashboard"), {"pillar": "synergy"}).content.decode()
    assert "公民連携制度の事例件数" in html and "市民人材バンク登録者数" not in html
    html = client.get(reverse("sdgs:dashboard"), {"pillar": "society"}).content.decode()
    assert "市民人材バンク登録者数" in html and "デジタル地域通貨" not in html


@pytest.mark.parametrize("query", [{"goal": "abc"}, {"goal": "99"}, {"pillar": "<script>"}, {"group": "x" * 500}])
def test_dashboard_bad_filters_show_everything_with_a_message(client, seeded, query):
    response = client.get(reverse("sdgs:dashboard"), query)
    assert response.status_code == 200
    assert "選択肢の中から選んでください" in response.content.decode()


def test_kpi_page_has_chart_with_text_alternative_and_numbers(client, with_actuals):
    response = client.get(reverse("sdgs:kpi_detail", args=["EC-02"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="kpi-chart"' in html and 'role="img"' in html
    assert 'aria-labelledby="kpi-chart-title kpi-chart-desc"' in html
    assert '<desc id="kpi-chart-desc">' in html
    assert "2022年4月を0として計画線を引いています" in html
    assert "令和6年度（2024年度）" in html and "13件" in html
    assert "商工会集計" in html
    assert 'style="' not in html
    # Straight path from 0 (2022-04) to 20 (end of FY2025): at the end of FY2023 it reads 10件.
    assert re.search(r"令和5年度（2023年度）</th><td[^>]*>6件</td><td[^>]*>10件</td>", html)


def test_kpi_page_shows_corrections(client, with_actuals):
    actual = Actual.objects.get(kpi__code="EC-02", fiscal_year=2024)
    actual.value = 14
    actual.save()
    html = client.get(reverse("sdgs:kpi_detail", args=["EC-02"])).content.decode()
    assert "実績の訂正履歴" in html and "訂正された実績はありません" not in html


def test_unknown_kpi_is_404(client, seeded):
    assert client.get(reverse("sdgs:kpi_detail", args=["NOPE"])).status_code == 404


def test_live_source_shown_as_current_actual(client, seeded, no_live_sources):
    source_register("talentbank.registrations", label="市民人材バンク登録者数", unit="人", compute=lambda: 31)
    html = client.get(reverse("sdgs:kpi_detail", args=["SO-05"])).content.decode()
    assert "31人" in html and "自動集計" in html
    data = client.get(reverse("sdgs:kpis_json")).json()
    so05 = next(k for k in data["kpis"] if k["code"] == "SO-05")
    assert so05["actuals"][-1]["value"] == 31


def test_method_and_plan_pages(client, seeded):
    html = client.get(reverse("sdgs:method")).content.decode()
    assert "95%以上" in html and "緑地面積" in html and "2015年度を0%" in html
    html = client.get(reverse("sdgs:plan")).content.decode()
    assert "66,200" in html and "33,600" in html and "43,000" in html
    assert "SDGs人材育成越境学習プログラムの開催" in html


JSON_KEYS = {
    "code",
    "indicator",
    "unit",
    "pillar",
    "sdg_targets",
    "cumulative",
    "lower_is_better",
    "baseline",
    "targets",
    "actuals",
    "status",
}
STATUSES = {"achieved", "on_track", "slightly_behind", "behind", "cannot_evaluate", None}


def test_json_schema(client, with_actuals):
    response = client.get(reverse("sdgs:kpis_json"))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert set(data) == {"kpis"}
    assert len(data["kpis"]) == 18  # the 19 seeded KPIs but the one whose name the proposal blacked out
    for item in data["kpis"]:
        assert set(item) == JSON_KEYS
        assert isinstance(item["code"], str) and isinstance(item["indicator"], str) and item["unit"]
        assert item["pillar"] in {
            "経済",
            "社会",
            "環境",
            "経済→環境",
            "環境→経済",
            "経済→社会",
            "社会→経済",
            "社会→環境",
            "環境→社会",
        }
        assert all(re.fullmatch(r"\d{1,2}\.\d{1,2}", t) for t in item["sdg_targets"])
        assert isinstance(item["cumulative"], bool) and isinstance(item["lower_is_better"], bool)
        assert set(item["baseline"]) == {"value", "date"}
        assert item["baseline"]["value"] is None or isinstance(item["baseline"]["value"], int | float)
        assert re.fullmatch(r"\d{4}(-\d{2})?", item["baseline"]["date"])
        assert set(item["targets"]) == {"2025", "2030"}
        assert any(v is not None for v in item["targets"].values())
        assert all(v is None or isinstance(v, int | float) for v in item["targets"].values())
        for actual in item["actuals"]:
            assert set(actual) == {"period", "value"}
            assert re.fullmatch(r"FY\d{4}|\d{4}-\d{2}-\d{2}", actual["period"])
            assert isinstance(actual["value"], int | float)
        assert set(item["status"]) == {"2025", "2030"}
        assert set(item["status"].values()) <= STATUSES
        assert all((item["status"][y] is None) == (item["targets"][y] is None) for y in ("2025", "2030"))
    by_code = {k["code"]: k for k in data["kpis"]}
    assert by_code["EC-01"]["targets"] == {"2025": 476000, "2030": 608000}
    assert by_code["EC-01"]["baseline"] == {"value": 432000, "date": "2019-08"}
    assert by_code["EN-01"]["targets"] == {"2025": -28.6, "2030": -42.9}
    assert by_code["EN-01"]["actuals"] == [{"period": "FY2022", "value": -20.5}]
    assert by_code["EN-02"]["baseline"] == {"value": 319.93, "date": "2020-03"}
    assert by_code["EN-02"]["lower_is_better"] is True
    assert by_code["SO-01"]["targets"] == {"2025": None, "2030": 80.0}
    assert by_code["EC-02"]["actuals"] == [
        {"period": "FY2023", "value": 6},
        {"period": "FY2024", "value": 13},
    ]
    assert by_code["EC-02"]["status"] == {"2025": "slightly_behind", "2030": "slightly_behind"}
    assert "EN-04" not in by_code  # its printed name is blacked out (test_redaction.py)


def test_csv_is_excel_friendly(client, with_actuals):
    response = client.get(reverse("sdgs:kpis_csv"))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["コード", "指標", "単位"]
    assert len(rows) == 19  # the header and the 18 published KPIs
    ec02 = next(r for r in rows if r[0] == "EC-02")
    assert ec02[9:15] == ["20", "45", "13", "令和6年度（2024年度）", "やや遅れ", "やや遅れ"]


def test_yearly_report_pdf(client, with_actuals):
    response = client.get(reverse("sdgs:report_pdf", args=[2024]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "令和6年度（2024年度）",
        "KPI進捗状況報告書",
        "清瀬市",
        "未来創造課",
        "特定創業支援事業",
        "608,000千円",
        "▲42.9%",
        "やや遅れ",
        "経済",
        "社会",
        "環境",
    ):
        assert expected in text, expected
    fonts = [font.get_object() for page in reader.pages for font in (page["/Resources"].get("/Font") or {}).values()]
    # The vendored BIZ UD Mincho is embedded (declared as the @font-face family of pdf/base.html).
    assert any("KiyoseMincho" in str(f["/BaseFont"]) for f in fonts)
    descriptors = [d.get_object()["/FontDescriptor"].get_object() for f in fonts for d in f.get("/DescendantFonts", [])]
    assert descriptors and all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)


def test_report_for_unknown_year_is_404(client, seeded):
    assert client.get(reverse("sdgs:report_pdf", args=[2019])).status_code == 404
    assert client.get(reverse("sdgs:report_pdf", args=[current_fiscal_year() + 1])).status_code == 404


# --- fixed query counts ---
PAGES = [
    # The HTML pages print two contact blocks (未来創造課's and the footer's, one query each); the KPI page
    # looks its KPI up once for the title, then renders its body (KPI, 3 prefetches, initiatives, corrections).
    ("sdgs:dashboard", [], 6),
    ("sdgs:kpi_detail", ["ZZ-000"], 9),
    ("sdgs:kpis_csv", [], 4),
    ("sdgs:kpis_json", [], 4),
]


@pytest.mark.parametrize(("name", "args", "queries"), PAGES)
def test_query_count_is_fixed_with_200_kpis_and_20_actuals_each(
    client, seeded, django_assert_num_queries, name, args, queries
):
    make_many(n_kpis=1, n_actuals=1)
    with django_assert_num_queries(queries):
        assert client.get(reverse(name, args=args)).status_code == 200
    Kpi.objects.filter(code="ZZ-000").delete()
    make_many()
    assert Actual.objects.count() >= 4000
    caches["fragments"].clear()  # a cold rendering again: the contact blocks are kept until an office changes
    with django_assert_num_queries(queries):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200


def test_dashboard_grouped_by_goal_query_count(client, seeded, django_assert_num_queries):
    make_many()
    with django_assert_num_queries(6):
        assert client.get(reverse("sdgs:dashboard"), {"group": "goal", "goal": 8}).status_code == 200


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.dictionaries(
        st.sampled_from(["group", "pillar", "goal", "x"]),
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20),
        max_size=4,
    )
)
def test_no_filter_input_breaks_the_dashboard(client, seeded, query):
    expected = 400 if has_control(*query.keys(), *query.values()) else 200
    assert client.get(reverse("sdgs:dashboard"), query).status_code == expected
