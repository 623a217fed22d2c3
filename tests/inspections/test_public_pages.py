import datetime as dt
import json

import pytest
from django.core.cache import caches
from django.urls import reverse

from inspections.models import BlockedDate, CouncilSession
from inspections.seed import load as seed_load
from inspections.services.availability import earliest_request_date, today
from tests.inspections.factories import completed_in_past, open_days, programme, submitted

pytestmark = pytest.mark.django_db


def test_index_shows_the_city_page(client):
    seed_load()
    response = client.get(reverse("inspections:index"))
    assert response.status_code == 200
    text = response.content.decode()
    for phrase in (
        "議会開会中（原則として、3月・6月・9月・12月）及び開会1週間前は、お受けできません。",
        "担当課の事情により、お受けできない場合があります。",
        "市内には宿泊施設はございません。",
        "清瀬市議会議長あての依頼文書",
        "参加者名簿、具体的な質問事項、行程",
        "家庭の廃食油を航空燃料(SAF)に活用する取組について",
        "清瀬内山運動公園サッカー場",
        "042-497-2566",
        "042-492-5111",
        "042-495-1189",
        "〒204-8511",
        reverse("inspections:request"),
        reverse("inspections:records"),
    ):
        assert phrase in text, phrase
    assert 'style="' not in text


def test_index_calendar_shows_blocked_dates_with_their_reason(client):
    day = open_days(earliest_request_date(), 1, public=True)[0]
    BlockedDate.objects.create(starts_on=day, ends_on=day, reason="市役所全館停電のため")
    text = client.get(reverse("inspections:index")).content.decode()
    assert "市役所全館停電のため" in text
    assert "受付可" in text or "受付不可（仮）" in text


def test_index_month_parameter_is_tolerant(client):
    for value in ("2030-02", "garbage", "1999-01", "9999-12", ""):
        assert client.get(reverse("inspections:index"), {"month": value}).status_code == 200


def test_index_query_count_is_fixed(client, django_assert_num_queries):
    seed_load()
    # Programmes, the calendar (3: sessions, blocked dates, taken slots), the office's phone for the procedure,
    # and two contact blocks (the council office's, the footer's), whatever the data.
    caches["fragments"].clear()  # a cold rendering: nothing drawn while the data was made
    with django_assert_num_queries(7) as few:
        client.get(reverse("inspections:index"))
    for n in range(30):
        programme(title=f"追加事業{n}")
        CouncilSession.objects.create(
            name=f"第{n}回臨時会",
            opens_on=today() + dt.timedelta(days=3 * n),
            closes_on=today() + dt.timedelta(days=3 * n),
        )
        BlockedDate.objects.create(
            starts_on=today() + dt.timedelta(days=n), ends_on=today() + dt.timedelta(days=n), reason="点検"
        )
        submitted()
    caches["fragments"].clear()  # a cold rendering again: the contact blocks are kept until an office changes
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("inspections:index"))
    assert "追加事業29" in response.content.decode()


def _json(client, **params):
    response = client.get(reverse("inspections:availability"), params)
    return response, json.loads(response.content)


def test_availability_json_answers_one_entry_per_day(client):
    # Two years ahead, so that the dates never fall inside the lead time or the past.
    year = today().year + 2
    opens, closes = dt.date(year, 6, 15), dt.date(year, 6, 22)
    CouncilSession.objects.create(name="第2回定例会", opens_on=opens, closes_on=closes)
    response, body = _json(client, start=f"{year}-06-01", end=f"{year}-06-30")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert len(body["dates"]) == 30
    by_date = {entry["date"]: entry for entry in body["dates"]}
    week_before = next(d for d in (opens - dt.timedelta(days=n) for n in range(1, 8)) if d.weekday() < 5)
    assert by_date[week_before.isoformat()] == {
        "date": week_before.isoformat(),
        "status": "blocked",
        "provisional": False,
        "reasons": ["第2回定例会の開会前1週間です。"],
    }
    after = next(d for d in (closes + dt.timedelta(days=n) for n in range(1, 8)) if d.weekday() < 5)
    assert by_date[after.isoformat()]["status"] == "open"
    assert by_date[opens.isoformat()]["reasons"][-1] == "第2回定例会の会期中です。"


def test_availability_json_marks_provisional_months(client):
    year = today().year + 2
    day = next(dt.date(year, 9, n) for n in range(10, 17) if dt.date(year, 9, n).weekday() < 5)
    _response, body = _json(client, start=day.isoformat(), end=day.isoformat())
    assert body["dates"][0]["provisional"] is True
    assert body["dates"][0]["status"] == "blocked"


@pytest.mark.parametrize(
    "params",
    [
        {"start": "", "end": ""},
        {"start": "2027-01-01"},
        {"end": "2027-01-01"},
        {"start": "2027-13-01", "end": "2027-12-31"},
        {"start": "2027-01-01", "end": "2026-12-31"},
        {"start": "2027-01-01", "end": "2028-02-05"},
        {"start": "x", "end": "y"},
        {"start": "0001-01-01", "end": "0001-01-02"},
        {"start": "9999-12-30", "end": "9999-12-31"},
        {"start": "2027-1-1", "end": "2027-1-2"},
    ],
)
def test_availability_json_rejects_bad_parameters_with_a_json_error(client, params):
    response, body = _json(client, **params)
    assert response.status_code == 400
    assert body["error"]


def test_availability_json_accepts_exactly_400_days_in_three_queries(client, django_assert_max_num_queries):
    for n in range(50):
        CouncilSession.objects.create(
            name=f"第{n}回",
            opens_on=dt.date(2027, 1, 4) + dt.timedelta(days=8 * n),
            closes_on=dt.date(2027, 1, 5) + dt.timedelta(days=8 * n),
        )
        submitted()
    with django_assert_max_num_queries(3):
        response, body = _json(client, start="2027-01-01", end="2028-02-04")
    assert response.status_code == 200 and len(body["dates"]) == 400


def test_records_page_lists_completed_visits_by_fiscal_year(client):
    topic = programme(title="市役所屋上での養蜂事業")
    completed_in_past(
        dt.date(2024, 5, 14),
        council="府中市議会",
        committee="環境委員会",
        councillors=6,
        staff=2,
        topics=[topic],
    )
    completed_in_past(dt.date(2025, 2, 3), council="三鷹市議会", committee="文教委員会")
    completed_in_past(dt.date(2025, 10, 7), council="小平市議会", committee="会派「みらい」", topics_other="子ども大学")
    submitted(council="未処理市議会")
    text = client.get(reverse("inspections:records")).content.decode()
    # Every year with visits is listed, newest first; the newest year's visits are shown.
    assert "令和7年度（2025年度）（1件）" in text and "令和6年度（2024年度）（2件）" in text
    assert text.index("令和7年度（2025年度）（1件）") < text.index("令和6年度（2024年度）（2件）")
    assert "小平市議会" in text and "子ども大学" in text and "府中市議会" not in text
    text = client.get(reverse("inspections:records"), {"year": "2024"}).content.decode()
    assert "府中市議会" in text and "市役所屋上での養蜂事業" in text and "8名" in text
    assert "三鷹市議会" in text  # 3 February 2025 belongs to fiscal year 2024
    assert "令和6年5月14日" in text
    assert "未処理市議会" not in text and "小平市議会" not in text
    for junk in ("1999", "２０２４", "2024x", "9" * 50, ""):
        assert client.get(reverse("inspections:records"), {"year": junk}).status_code == 200


def test_records_query_count_is_fixed(client, django_assert_num_queries):
    topic = programme()
    completed_in_past(dt.date(2024, 5, 14), topics=[topic])
    # The years (first and last visit, one count per year), the year's visits and their topics, and two contact
    # blocks; whatever the number of visits.
    caches["fragments"].clear()  # a cold rendering: the mails sent while the data was made drew the blocks
    with django_assert_num_queries(6) as first:
        client.get(reverse("inspections:records"))
    for n in range(300):
        completed_in_past(dt.date(2019, 4, 8) + dt.timedelta(days=7 * n), topics=[topic, programme()])
    caches["fragments"].clear()  # a cold rendering again: the contact blocks are kept until an office changes
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("inspections:records"), {"year": "2022"})
    assert response.content.decode().count('<th scope="row">') == 52


def test_records_csv_has_a_bom_and_the_rows(client):
    completed_in_past(dt.date(2024, 5, 14), council="𠮷野市議会", committee="総務委員会", councillors=5, staff=1)
    response = client.get(reverse("inspections:records_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "年度,視察日,自治体名・議会名,委員会名／会派名,人数,視察項目"
    assert lines[1].startswith("令和6年度,2024-05-14,𠮷野市議会,総務委員会,6,")
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_seed_is_idempotent_and_keeps_staff_edits():
    from inspections.models import Programme

    seed_load()
    assert Programme.objects.count() == 10
    Programme.objects.filter(slug="beekeeping").update(department="産業振興課")
    seed_load()
    assert Programme.objects.count() == 10
    assert Programme.objects.get(slug="beekeeping").department == "産業振興課"
    titles = list(Programme.objects.published().values_list("title", flat=True))
    assert titles[0] == "家庭の廃食油を航空燃料(SAF)に活用する取組について"
    assert titles[-1] == "清瀬内山運動公園サッカー場"
    assert all(1 <= g <= 17 for p in Programme.objects.all() for g in p.sdg_goals)


def test_cached_pages_follow_every_change(client, django_assert_num_queries):
    url = reverse("inspections:index")
    day = open_days(earliest_request_date(), 1, public=True)[0]
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)
    BlockedDate.objects.create(starts_on=day, ends_on=day, reason="臨時の庁舎点検のため")
    assert "臨時の庁舎点検のため" in client.get(url).content.decode()
    completed_in_past(dt.date(2024, 5, 14), council="日野市議会")
    assert "日野市議会" in client.get(reverse("inspections:records")).content.decode()


def test_visitors_with_a_session_get_a_fresh_page(client, django_assert_num_queries):
    url = reverse("inspections:index")
    client.get(url)
    client.cookies["sessionid"] = "anything"
    # The session lookup alone: the page's body (calendar, programmes, the office's phone) is the app's cached
    # fragment until the data or the date changes (the anonymous visit before built it), the contact blocks the
    # kit's until staff edit an office.
    with django_assert_num_queries(1):
        client.get(url)
    BlockedDate.objects.create(
        starts_on=today() + dt.timedelta(days=20), ends_on=today() + dt.timedelta(days=20), reason="臨時点検のため"
    )
    # A write renews the data version: the body is built again, once (calendar 3, programmes 1, office 1).
    with django_assert_num_queries(5):
        assert "臨時点検のため" in client.get(url).content.decode()


def test_availability_json_without_parameters_answers_the_three_months_the_calendar_shows(client):
    response, body = _json(client)
    assert response.status_code == 200
    assert body["dates"][0]["date"] == today().isoformat()
    assert len(body["dates"]) > 59
