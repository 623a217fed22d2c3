import datetime as dt

import pytest
from django.core.cache import caches

from certification import services
from certification.models import AnnualReport, Certificate
from sdgs.sources import source_get

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def test_index_explains_the_scheme(client, db, settings):
    settings.CERTIFICATION_CAP = 30
    html = client.get("/certification/").content.decode()
    for text in (
        "清瀬商工会",
        "きよせボランティア・市民活動センター",
        "未来創造課",
        "年間報告書",
        "残り",
        "30",
        "現在、認定団体はありません",
    ):
        assert text in html


def test_places_left_counts_certificates_in_force(client, make_certificate, settings):
    settings.CERTIFICATION_CAP = 5
    make_certificate()
    revoked = make_certificate()
    services.certificate_revoke(certificate=revoked, reason="理由", today=DAY)
    response = client.get("/certification/")
    assert response.context["places_left"] == 4


def test_registry_lists_valid_holders_only(client, make_certificate):
    shown = make_certificate(org_name="表示される会社")
    hidden = make_certificate(org_name="取消された会社")
    services.certificate_revoke(certificate=hidden, reason="理由", today=DAY)
    html = client.get("/certification/").content.decode()
    assert "表示される会社" in html and shown.number in html
    assert "取消された会社" not in html
    assert "令和11年3月31日" in html
    assert "7. エネルギーをみんなに そしてクリーンに" in html


def test_filters_by_kind_and_goal(client, make_certificate):
    make_certificate(org_name="エネルギー会社", goals=[7])
    make_certificate(org_name="みどりの会", kind="group", intake="volunteer_center", goals=[15])
    make_certificate(org_name="教育の会", kind="other", intake="direct", goals=[4, 17])

    def names(query):
        return {c.holder_name for c in client.get("/certification/" + query).context["holders"]}

    assert names("?kind=group") == {"みどりの会"}
    assert names("?goal=7") == {"エネルギー会社"}
    assert names("?goal=1") == set()
    assert names("?goal=17&kind=other") == {"教育の会"}
    # Goal 1 must not match goal 17 or 11.
    make_certificate(org_name="住み続けられる会", goals=[11])
    assert names("?goal=1") == set()
    assert names("?goal=11") == {"住み続けられる会"}


@pytest.mark.parametrize("query", ["?kind=bogus", "?goal=99", "?goal=abc", "?goal=7&goal=x", "?goal=²", "?goal=٣"])
def test_bad_filters_show_everything_with_a_note(client, make_certificate, query):
    make_certificate()
    response = client.get("/certification/" + query)
    assert response.status_code == 200
    assert len(response.context["holders"]) == 1
    assert "絞り込みの条件が正しくない" in response.content.decode()


@pytest.mark.parametrize("query", ["?kind=%00", "?goal=%1f", "?%00=1"])
def test_control_characters_in_filters_are_refused_with_400(client, make_certificate, query):
    make_certificate()
    assert client.get("/certification/" + query).status_code == 400


def test_holder_page_shows_latest_report(client, make_certificate):
    certificate = make_certificate()
    for year, outcome in ((2026, "初年度の成果"), (2027, "二年目の成果")):
        AnnualReport.objects.create(
            certificate=certificate,
            fiscal_year=year,
            activities_economy="経済",
            activities_society="社会",
            activities_environment="環境",
            outcomes=outcome,
            next_year_plan="計画",
            status=AnnualReport.Status.PUBLISHED,
        )
    html = client.get(f"/certification/{certificate.serial}/").content.decode()
    assert "二年目の成果" in html and "初年度の成果" not in html
    assert certificate.number in html


def test_holder_page_of_ended_certificate_says_so(client, make_certificate):
    certificate = make_certificate()
    services.certificate_revoke(certificate=certificate, reason="非公開の理由", today=DAY)
    html = client.get(f"/certification/{certificate.serial}/").content.decode()
    assert "現在有効ではありません" in html
    assert "非公開の理由" not in html


def test_unknown_holder_is_404(client, db):
    assert client.get("/certification/999/").status_code == 404


def test_csv_has_bom_and_holders(client, make_certificate):
    certificate = make_certificate()
    response = client.get("/certification/registry.csv")
    body = response.content
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("認定番号,団体名")
    assert certificate.number in text and "7、11、13" in text
    assert "attachment" in response["Content-Disposition"]


def _many(make_certificate, n: int):
    for i in range(n):
        certificate = make_certificate(org_name=f"団体{i}", goals=[(i % 17) + 1, 11])
        for year in (2026, 2027):
            AnnualReport.objects.create(
                certificate=certificate,
                fiscal_year=year,
                activities_economy="a",
                activities_society="b",
                activities_environment="c",
                outcomes="d",
                next_year_plan="e",
            )


# Rendered pages (a visitor holding a session, or staff) cost a fixed number of queries, whatever the size of the
# registry: the certificates (with their count for the places left when filtered), the latest report, the
# self-check list, the contact blocks (the area's office and the footer's city hall), and the session.
RENDERED_QUERIES = {
    "/certification/": 4,
    "/certification/?goal=11&kind=company": 5,
    "/certification/1/": 5,
    "/certification/registry.csv": 2,
    "/certification/apply/": 3,
}


def test_rendered_pages_cost_a_fixed_number_of_queries_whatever_the_size(
    client, make_certificate, settings, django_assert_num_queries
):
    settings.CERTIFICATION_CAP = 60
    session = client.session  # a visitor in the middle of a form: pages are rendered for them
    session["certification_application:flow"] = {}
    session.save()
    for size in (2, 40):
        _many(make_certificate, size - Certificate.objects.count())
        for path, n in RENDERED_QUERIES.items():
            caches["fragments"].clear()
            with django_assert_num_queries(n):
                assert client.get(path).status_code == 200
    last = Certificate.objects.order_by("-serial").first()
    caches["fragments"].clear()
    with django_assert_num_queries(RENDERED_QUERIES["/certification/1/"]):
        client.get(f"/certification/{last.serial}/")
    # Kept rendered until the data changes (the contact blocks until staff edit an office): then only the
    # session is read.
    for path in ("/certification/", "/certification/1/", "/certification/apply/"):
        client.get(path)
        with django_assert_num_queries(1):
            assert client.get(path).status_code == 200


def test_cached_pages_cost_no_query_and_follow_changes(client, make_certificate, django_assert_num_queries):
    certificate = make_certificate(org_name="最初の名前")
    for path in ("/certification/", f"/certification/{certificate.serial}/"):
        client.get(path)
        with django_assert_num_queries(0):
            assert client.get(path).status_code == 200
    certificate.holder_name = "新しい名前"
    certificate.save()
    assert "新しい名前" in client.get("/certification/").content.decode()
    assert "新しい名前" in client.get(f"/certification/{certificate.serial}/").content.decode()
    AnnualReport.objects.create(
        certificate=certificate,
        fiscal_year=2026,
        activities_economy="a",
        activities_society="b",
        activities_environment="c",
        outcomes="新しい成果",
        next_year_plan="e",
        status=AnnualReport.Status.PUBLISHED,
    )
    assert "新しい成果" in client.get(f"/certification/{certificate.serial}/").content.decode()
    services.certificate_revoke(certificate=certificate, reason="理由", today=DAY)
    assert "新しい名前" not in client.get("/certification/").content.decode()


def test_cached_form_follows_the_self_check_list(client, questions, django_assert_num_queries):
    client.get("/certification/apply/")
    with django_assert_num_queries(0):  # the form and the contact blocks are kept rendered
        client.get("/certification/apply/")
    questions[0].text = "新しいセルフチェックの質問"
    questions[0].save()
    html = client.get("/certification/apply/").content.decode()
    assert "新しいセルフチェックの質問" in html
    # The submission token and CSRF token are outside the cached part: fresh on every request.
    other = client.get("/certification/apply/").content.decode()
    assert html.split('name="_token" value="')[1][:36] != other.split('name="_token" value="')[1][:36]


def test_live_figures_registered_with_sdgs(make_certificate):
    certificate = make_certificate()
    make_certificate()
    AnnualReport.objects.create(
        certificate=certificate,
        fiscal_year=2026,
        activities_economy="a",
        activities_society="b",
        activities_environment="c",
        outcomes="d",
        next_year_plan="e",
        on_time=True,
    )
    assert source_get("certification.valid_certificates").compute() == 2
    assert source_get("certification.reports_on_time").compute() == 1


def test_pages_have_no_inline_styles(client, make_certificate):
    certificate = make_certificate()
    for path in ("/certification/", f"/certification/{certificate.serial}/", "/certification/apply/"):
        html = client.get(path).content.decode()
        assert "style=" not in html
        assert "<style" not in html and "<script>" not in html


def test_printed_number_redirects_to_the_holder(client, make_certificate):
    from urllib.parse import quote

    certificate = make_certificate()
    response = client.get(f"/certification/{quote(certificate.number)}/")
    assert response.status_code == 301
    assert response["Location"] == f"/certification/{certificate.serial}/"
    assert client.get("/certification/清瀬SDGs第999号/").status_code == 404


def test_unknown_query_parameters_share_the_cached_page(client, make_certificate, django_assert_num_queries):
    make_certificate()
    client.get("/certification/")
    with django_assert_num_queries(0):
        assert client.get("/certification/?utm_source=mail&x=1").status_code == 200


def test_only_printed_numbers_reach_the_number_route(client, make_certificate):
    make_certificate()
    # No route swallows every path: a word that is no certificate number is an ordinary 404.
    assert client.get("/certification/anything/").status_code == 404
    assert client.get("/certification/contact-us/").status_code == 404
