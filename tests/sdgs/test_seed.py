"""Every seeded KPI against the proposal (2023年度SDGs未来都市等提案書), typed here from the document."""

from decimal import Decimal

import pytest

from sdgs import seed
from sdgs.models import BudgetLine, Goal, Initiative, Kpi, KpiTarget, Target

# code: (indicator, pillar/synergy, sdg targets, unit, baseline value, baseline period, {year: target},
#        cumulative, lower_is_better, source_key)
DOCUMENT = {
    "EC-01": (
        "清瀬ひまわりフェスティバルによる経済効果",
        "経済",
        ["8.1", "8.3"],
        "千円",
        "432000",
        "2019-08",
        {2025: "476000", 2030: "608000"},
        False,
        False,
        "",
    ),
    "EC-02": (
        "特定創業支援事業により認定を受けた創業者数",
        "経済",
        ["8.3", "17.17"],
        "件",
        None,
        "2022-04",
        {2025: "20", 2030: "45"},
        True,
        False,
        "",
    ),
    "EC-03": (
        "デジタル地域通貨の参加店舗",
        "経済",
        ["8.1"],
        "店舗",
        None,
        "2022-04",
        {2025: "200"},
        False,
        False,
        "",
    ),
    "EC-04": (
        "デジタル地域通貨の利用者の満足度",
        "経済",
        ["8.1"],
        "%",
        None,
        "2022-04",
        {2025: "80"},
        False,
        False,
        "",
    ),
    "EC-05": (
        "きよせSDGsまつり来場者数",
        "経済",
        ["8.9"],
        "人",
        None,
        "2022-04",
        {2025: "25000"},
        False,
        False,
        "",
    ),
    "EC-06": ("公民連携制度の事例件数", "環境→経済", [], "件", None, "2022-04", {2025: "2"}, True, False, ""),
    "EC-07": (
        "SDGs 人材による既存イベント等への企画・運営事例件数",
        "社会→経済",
        [],
        "件",
        None,
        "2022-04",
        {2025: "1"},
        True,
        False,
        "",
    ),
    "SO-01": (
        "誰もが安心して働ける仕組みが充実している(世論調査)",
        "社会",
        ["10.2"],
        "%",
        None,
        "2020-04",
        {2030: "80.0"},
        False,
        False,
        "",
    ),
    "SO-02": (
        "SDGs人材",
        "社会",
        ["17.17"],
        "人",
        None,
        "2022-04",
        {2025: "48", 2030: "144"},
        True,
        False,
        "talentbank.sdgs_graduates",
    ),
    "SO-03": (
        "シニアの力・循環プロジェクトにより介護事業所とマッチングした人数",
        "社会",
        ["4.7"],
        "人",
        None,
        "2022-04",
        {2025: "50"},
        True,
        False,
        "talentbank.care_matches",
    ),
    "SO-04": (
        "新たに農福連携事業に取り組んだ件数",
        "社会",
        ["10.2"],
        "件",
        None,
        "2022-04",
        {2025: "12"},
        True,
        False,
        "",
    ),
    "SO-05": (
        "市民人材バンク登録者数",
        "社会",
        ["17.17"],
        "人",
        None,
        "2022-04",
        {2025: "48"},
        True,
        False,
        "talentbank.registrations",
    ),
    "SO-06": (
        "SDGs 人材育成越境学習プログラムの研修がきっかけで、福祉分野で働き始めた人数",
        "経済→社会",
        [],
        "人",
        None,
        "2022-04",
        {2025: "10"},
        True,
        False,
        "",
    ),
    "SO-07": (
        "今後とも清瀬市に住みたいと思う理由が「自然環境が良いから」と回答した割合(世論調査)",
        "環境→社会",
        [],
        "%",
        "54.6",
        "2022-04",
        {2025: "65.0"},
        False,
        False,
        "",
    ),
    "EN-01": (
        "清瀬市事務事業における CO2 排出量【削減目標】",
        "環境",
        ["7.2", "13.1"],
        "%",
        None,
        "2015",
        {2025: "-28.6", 2030: "-42.9"},
        False,
        True,
        "",
    ),
    "EN-02": (
        "緑地面積(緑地減少速度)",
        "経済→環境",
        [],
        "ha",
        "319.93",
        "2020-03",
        {2025: "312.93", 2030: "299.93"},
        False,
        True,
        "",
    ),
    "EN-03": (
        "ステークホルダーとの取り組みで緑地化した面積",
        "環境",
        ["15.1"],
        "m²",
        None,
        "2022-04",
        {2025: "1000"},
        True,
        False,
        "",
    ),
    "EN-04": (
        "[REDACTED] に参加した人数",
        "環境",
        ["17.17"],
        "人",
        None,
        "2022-04",
        {2025: "20"},
        True,
        False,
        "",
    ),
    "EN-05": (
        "SDGs 人材による環境事業への参加",
        "社会→環境",
        [],
        "人",
        None,
        "2022-04",
        {2025: "10"},
        True,
        False,
        "",
    ),
}


@pytest.fixture
def kpis(seeded):
    return {k.code: k for k in Kpi.objects.for_board()}


def test_every_kpi_of_the_document_is_seeded_once(kpis):
    assert sorted(kpis) == sorted(DOCUMENT)
    indicators = [k.indicator for k in kpis.values()]
    assert len(indicators) == len(set(indicators))


@pytest.mark.parametrize("code", sorted(DOCUMENT))
def test_seeded_kpi_matches_the_document(kpis, code):
    indicator, pillar, sdg, unit, baseline, period, targets, cumulative, lower, source_key = DOCUMENT[code]
    kpi = kpis[code]
    assert kpi.indicator == indicator
    assert kpi.pillar_label == pillar
    assert sorted(t.code for t in kpi.sdg_targets.all()) == sorted(sdg)
    assert kpi.unit == unit
    assert kpi.baseline_value == (Decimal(baseline) if baseline else None)
    assert kpi.baseline_period == period
    assert {t.year: t.value for t in kpi.targets.all()} == {y: Decimal(v) for y, v in targets.items()}
    assert kpi.cumulative is cumulative
    assert kpi.lower_is_better is lower
    assert kpi.source_key == source_key


def test_kpis_printed_in_several_sections_carry_all_their_targets(kpis):
    himawari = kpis["EC-01"]
    assert [(t.year, t.printed) for t in himawari.targets.all()] == [
        (2025, "476,000 千円"),
        (2030, "608,000千円"),
    ]
    assert {a["section"] for a in himawari.appearances} == {"1.1(3)", "2.1(2)①"}
    talent = kpis["SO-02"]
    assert {a["indicator"] for a in talent.appearances} == {"SDGs人材", "SDGs人材の人数"}
    assert kpis["EN-01"].percent_change
    assert [t.printed for t in kpis["EN-01"].targets.all()] == ["▲28.6%", "▲42.9%"]
    assert kpis["EN-02"].direction == "slow_decline"


def test_values_are_formatted_as_the_document_prints_them(kpis):
    assert kpis["EC-01"].format_value(Decimal("432000")) == "432,000千円"
    assert kpis["EN-01"].format_value(Decimal("-42.9")) == "▲42.9%"
    assert kpis["EN-02"].format_value(Decimal("319.93")) == "319.93ha"
    assert kpis["SO-01"].format_value(Decimal("80")) == "80.0%"
    assert kpis["EN-03"].number(Decimal("1000.0000")) == 1000
    assert kpis["SO-07"].number(Decimal("54.6")) == 54.6


def test_goals_have_official_names_and_colours(seeded):
    assert Goal.objects.count() == 17
    assert Goal.objects.get(number=8).name == "働きがいも経済成長も"
    assert Goal.objects.get(number=8).color == "#A21942"
    assert Goal.objects.get(number=17).name == "パートナーシップで目標を達成しよう"
    assert Goal.objects.get(number=13).color == "#3F7E44"
    assert set(Target.objects.values_list("code", flat=True)) == {
        "4.7",
        "7.2",
        "8.1",
        "8.3",
        "8.9",
        "10.2",
        "13.1",
        "15.1",
        "17.17",
    }


def test_funding_scheme_is_the_document_table(seeded):
    planned = {(b.area, b.fiscal_year): b.planned for b in BudgetLine.objects.all()}
    assert planned == {
        ("economy", 2023): 3300,
        ("society", 2023): 2200,
        ("environment", 2023): 27000,
        ("integrated", 2023): 1100,
        ("economy", 2024): 3300,
        ("society", 2024): 3900,
        ("environment", 2024): 8000,
        ("integrated", 2024): 1100,
        ("economy", 2025): 3300,
        ("society", 2025): 3900,
        ("environment", 2025): 8000,
        ("integrated", 2025): 1100,
    }
    assert sum(planned.values()) == 66200
    by_year = {y: sum(v for (_, year), v in planned.items() if year == y) for y in (2023, 2024, 2025)}
    assert by_year == {2023: 33600, 2024: 16300, 2025: 16300}
    by_area = {
        a: sum(v for (area, _), v in planned.items() if area == a)
        for a in ("economy", "society", "environment", "integrated")
    }
    assert by_area == {"economy": 9900, "society": 10000, "environment": 43000, "integrated": 3300}
    assert Initiative.objects.filter(name="SDGs人材育成越境学習プログラムの開催").exists()


def test_seed_is_idempotent_and_keeps_staff_data(seeded):
    line = BudgetLine.objects.get(area="economy", fiscal_year=2023)
    line.spent = 3100
    line.save()
    counts = (
        Kpi.objects.count(),
        KpiTarget.objects.count(),
        Target.objects.count(),
        Initiative.objects.count(),
    )
    seed.load()
    assert (
        Kpi.objects.count(),
        KpiTarget.objects.count(),
        Target.objects.count(),
        Initiative.objects.count(),
    ) == counts
    assert BudgetLine.objects.get(area="economy", fiscal_year=2023).spent == 3100


def test_second_seed_writes_no_history(seeded):
    models = (Kpi, KpiTarget, Target, Goal, Initiative, BudgetLine)
    before = [m.history.count() for m in models]
    seed.load()
    assert [m.history.count() for m in models] == before
