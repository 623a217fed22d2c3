import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from inspections.models import BlockedDate, CouncilSession, Letter, Request, Status, VisitSlot
from inspections.services.availability import day_status
from inspections.services.requests import letters_issue, request_documents_record, request_transition
from kiyose.wareki import wareki
from kiyose.workflow import TransitionError
from tests.inspections.factories import programme, submitted, visit_day, walk

pytestmark = pytest.mark.django_db


def test_happy_path_through_every_status():
    day = visit_day()
    obj = walk(submitted(), Status.DOCUMENTS, day=day)
    assert obj.status == Status.DOCUMENTS
    assert obj.department == "環境課" and obj.place == "清瀬市役所 第1会議室"
    assert obj.slot.date == day
    assert obj.documents_missing() == []
    assert obj.history.count() >= 4


@pytest.mark.parametrize(
    "src, dst",
    [
        (Status.RECEIVED, Status.ACCEPTED),
        (Status.RECEIVED, Status.DOCUMENTS),
        (Status.RECEIVED, Status.COMPLETED),
        (Status.COORDINATING, Status.COMPLETED),
        (Status.DECLINED, Status.ACCEPTED),
        (Status.DECLINED, Status.WITHDRAWN),
    ],
)
def test_illegal_transitions_are_refused(src, dst):
    day = visit_day()
    obj = submitted()
    if src != Status.RECEIVED:
        obj = walk(obj, src, day=day)
    with pytest.raises(TransitionError, match="へは変更できません"):
        request_transition(
            obj=obj,
            to=dst,
            data={"department": "x", "confirmed_date": day, "confirmed_start": dt.time(10), "reason": "x"},
        )
    obj.refresh_from_db()
    assert obj.status == src


def test_coordinating_needs_a_department():
    with pytest.raises(ValidationError) as exc:
        request_transition(obj=submitted(), to=Status.COORDINATING, data={"department": "  "})
    assert "department" in exc.value.message_dict


def test_decline_needs_a_reason():
    obj = walk(submitted(), Status.COORDINATING)
    with pytest.raises(ValidationError):
        request_transition(obj=obj, to=Status.DECLINED, data={"reason": ""})
    obj = request_transition(obj=obj, to=Status.DECLINED, data={"reason": "担当課の事情により"})
    assert obj.status == Status.DECLINED


def test_accepting_on_a_blocked_day_names_the_reason():
    day = visit_day()
    CouncilSession.objects.create(
        name="令和9年第3回定例会", opens_on=day - dt.timedelta(days=1), closes_on=day + dt.timedelta(days=10)
    )
    obj = walk(submitted(), Status.COORDINATING)
    with pytest.raises(ValidationError) as exc:
        request_transition(obj=obj, to=Status.ACCEPTED, data={"confirmed_date": day, "confirmed_start": dt.time(10)})
    assert exc.value.message_dict["confirmed_date"] == ["この日はお受けできません。令和9年第3回定例会の会期中です。"]
    assert not VisitSlot.objects.exists()


def test_accepting_a_past_date_is_refused():
    obj = walk(submitted(), Status.COORDINATING)
    with pytest.raises(ValidationError, match="過ぎた日付"):
        request_transition(
            obj=obj, to=Status.ACCEPTED, data={"confirmed_date": dt.date(2020, 7, 7), "confirmed_start": dt.time(10)}
        )


def test_the_last_slot_of_a_day_goes_to_one_request(settings):
    day = visit_day()
    settings.INSPECTIONS_DAILY_CAPACITY = 1
    first = walk(submitted(), Status.ACCEPTED, day=day)
    second = walk(submitted(), Status.COORDINATING)
    with pytest.raises(ValidationError) as exc:
        request_transition(obj=second, to=Status.ACCEPTED, data={"confirmed_date": day, "confirmed_start": dt.time(10)})
    assert "受け入れ枠はすでにいっぱい" in str(exc.value)
    second.refresh_from_db()
    assert second.status == Status.COORDINATING
    assert day_status(day).status == "full"
    # Withdrawing the first gives the day back.
    request_transition(obj=first, to=Status.WITHDRAWN, data={"reason": "日程変更のため"})
    assert day_status(day).status == "open"
    assert (
        request_transition(
            obj=second, to=Status.ACCEPTED, data={"confirmed_date": day, "confirmed_start": dt.time(10)}
        ).status
        == Status.ACCEPTED
    )


def test_documents_need_the_full_checklist():
    day = visit_day()
    obj = walk(submitted(), Status.ACCEPTED, day=day)
    with pytest.raises(ValidationError, match="参加者名簿"):
        request_transition(obj=obj, to=Status.DOCUMENTS, data={"doc_letter_received_on": dt.date(2027, 6, 1)})
    obj = request_documents_record(obj=obj, data={"doc_letter_received_on": dt.date(2027, 6, 1)})
    assert obj.documents_missing() == ["参加者名簿", "質問事項", "行程"]


def test_completed_only_after_the_visit_day():
    day = visit_day()
    obj = walk(submitted(), Status.DOCUMENTS, day=day)
    with pytest.raises(ValidationError, match="実施済にはできません"):
        request_transition(obj=obj, to=Status.COMPLETED)


def test_withdrawn_from_every_open_state():
    day = visit_day()
    for status in (Status.RECEIVED, Status.COORDINATING, Status.ACCEPTED, Status.DOCUMENTS):
        obj = submitted()
        if status != Status.RECEIVED:
            obj = walk(obj, status, day=day)
        withdrawn = request_transition(obj=obj, to=Status.WITHDRAWN, data={"reason": "日程変更のため"})
        assert withdrawn.status == Status.WITHDRAWN and withdrawn.withdraw_reason == "日程変更のため"
    assert not VisitSlot.objects.exists()


def test_the_database_refuses_accepted_without_a_date():
    from django.db import IntegrityError, transaction

    obj = submitted()
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.filter(pk=obj.pk).update(status=Status.ACCEPTED)


def test_reference_numbers_are_serial_per_fiscal_year():
    refs = [submitted().reference for _ in range(3)]
    year = refs[0].split("-")[0]
    assert refs == [f"{year}-0001", f"{year}-0002", f"{year}-0003"]


# --- Letters ------------------------------------------------------------


def pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def embedded_fonts(reader: PdfReader) -> set[str]:
    """Names of the fonts whose file is embedded in the PDF (a font only referenced would need the system)."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            descriptor = descendants[0].get_object()["/FontDescriptor"].get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]))
    return names


def test_acceptance_letter_has_the_official_form(settings):
    day = visit_day()
    from inspections.documents import letters_pdf

    settings.INSPECTIONS_CHAIR_NAME = "清瀬 太郎"
    settings.INSPECTIONS_LETTER_PREFIX = "清議発"
    topic = programme(title="市役所屋上での養蜂事業")
    obj = walk(
        submitted(topics=[topic], council="武蔵野市議会", committee="総務委員会"),
        Status.ACCEPTED,
        day=day,
    )
    # Accepting issued the letter (its number taken in the staff's POST); asking again reprints it, same date.
    issued = Letter.objects.get(request=obj, kind="accept")
    letters = letters_issue(request_ids=[obj.pk], kind="accept", on=dt.date(2027, 6, 1))
    assert letters == [issued] and issued.issued_on == timezone.localdate()
    text, reader = pdf_text(letters_pdf(letters))
    flat = text.replace(" ", "").replace("\n", "").replace("\u3000", "")
    assert len(reader.pages) == 1
    assert f"清議発第{letters[0].serial}号" in flat
    assert wareki(timezone.localdate()) in flat
    assert "武蔵野市議会議長様" in flat
    assert "清瀬市議会議長清瀬太郎" in flat
    assert "行政視察の受け入れについて（通知）" in flat
    assert f"{wareki(day, weekday=True)}13:30〜15:00" in flat
    assert "市役所屋上での養蜂事業" in flat and "議員7名、随行職員2名" in flat
    assert "依頼文書、参加者名簿、質問事項、行程" in flat
    assert "記" in flat and "以上" in flat and "042-497-2566" in flat
    assert any(name.endswith("+KiyoseMincho") for name in embedded_fonts(reader))


def test_letter_numbers_are_kept_for_reprints_and_many_letters_make_one_pdf():
    from inspections.documents import letters_pdf

    objs = [submitted(council=f"市{n}議会") for n in range(3)]
    first = letters_issue(request_ids=[o.pk for o in objs], kind="ack")
    again = letters_issue(request_ids=[o.pk for o in objs], kind="ack")
    assert [letter.serial for letter in first] == [letter.serial for letter in again]
    assert len({letter.serial for letter in first}) == 3
    text, reader = pdf_text(letters_pdf(first))
    assert len(reader.pages) == 3
    assert "受付確認" in text and objs[2].reference in text


def test_decline_letter_states_the_reason():
    from inspections.documents import letters_pdf

    obj = walk(submitted(), Status.DECLINED)
    text, _reader = pdf_text(letters_pdf(letters_issue(request_ids=[obj.pk], kind="decline")))
    assert "担当課の事情により" in text.replace(" ", "")
    with pytest.raises(ValidationError, match="作成できない状態"):
        letters_issue(request_ids=[submitted().pk], kind="decline")
    assert Letter.objects.count() == 1


# --- Admin ------------------------------------------------------------


@pytest.fixture
def staff_client(client, make_staff):
    client.force_login(make_staff("議会事務局"))
    return client


def test_admin_lists_and_filters_requests(staff_client):
    topic = programme(title="清瀬子ども大学")
    submitted(topics=[topic], council="調布市議会")
    url = reverse("admin:inspections_request_changelist")
    text = staff_client.get(url).content.decode()
    assert "調布市議会" in text and "清瀬子ども大学" in text and "月表示" in text
    for params in (
        {"status__exact": "received"},
        {"fy": "2026"},
        {"topics__id__exact": topic.pk},
        {"q": "調布"},
    ):
        assert staff_client.get(url, params).status_code == 200


def test_admin_transition_views(staff_client):
    day = visit_day()
    obj = submitted()
    change = reverse("admin:inspections_request_change", args=[obj.pk])
    text = staff_client.get(change).content.decode()
    assert "「調整中」にする" in text and "受付確認書（PDF）" in text
    url = reverse("admin:inspections_request_transition", args=[obj.pk, "coordinating"])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"department": "子育て支援課"})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == Status.COORDINATING and obj.department == "子育て支援課"
    url = reverse("admin:inspections_request_transition", args=[obj.pk, "accepted"])
    BlockedDate.objects.create(starts_on=day, ends_on=day, reason="担当課の事業と重なるため")
    response = staff_client.post(
        url, {"confirmed_date": day.isoformat(), "confirmed_start": "10:00", "place": "清瀬市役所"}
    )
    assert response.status_code == 200
    assert "担当課の事業と重なるため" in response.content.decode()


def test_admin_refuses_an_illegal_transition_with_a_message(staff_client):
    obj = submitted()
    url = reverse("admin:inspections_request_transition", args=[obj.pk, "completed"])
    response = staff_client.post(url, follow=True)
    assert "「受付」から「実施済」へは変更できません。" in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == Status.RECEIVED
    response = staff_client.get(reverse("admin:inspections_request_transition", args=[obj.pk, "bogus"]), follow=True)
    assert "へは変更できません" in response.content.decode()


def test_admin_documents_checklist_can_be_recorded_partially(staff_client):
    day = visit_day()
    obj = walk(submitted(), Status.ACCEPTED, day=day)
    record = reverse("admin:inspections_request_documents", args=[obj.pk])
    assert staff_client.get(record).status_code == 200
    assert staff_client.post(record, {"doc_letter_received_on": "2027-06-01"}).status_code == 302
    obj.refresh_from_db()
    assert obj.status == Status.ACCEPTED and obj.doc_letter_received_on == dt.date(2027, 6, 1)
    url = reverse("admin:inspections_request_transition", args=[obj.pk, "documents"])
    response = staff_client.post(url, {"doc_letter_received_on": "2027-06-01"})
    assert "まだ受領していない書類があります" in response.content.decode()


def test_admin_letter_action_gives_one_pdf(staff_client):
    objs = [submitted(), submitted()]
    response = staff_client.post(
        reverse("admin:inspections_request_changelist"),
        {"action": "print_acknowledgements", "_selected_action": [o.pk for o in objs]},
    )
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2
    response = staff_client.post(
        reverse("admin:inspections_request_changelist"),
        {"action": "print_declines", "_selected_action": [objs[0].pk]},
        follow=True,
    )
    assert "お断り通知を作成できない状態の申込みがあります" in response.content.decode()


def test_admin_single_letter_link(staff_client, settings):
    settings.INSPECTIONS_LETTER_PREFIX = "清議発"
    obj = submitted()
    url = reverse("admin:inspections_request_letter", args=[obj.pk, "ack"])
    staff_client.post(url)  # issuing takes a number: a POST (tests/inspections/test_documents.py)
    response = staff_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    listing = staff_client.get(reverse("admin:inspections_letter_changelist")).content.decode()
    assert "清議発第1号" in listing and obj.reference in listing


def test_month_view_is_for_the_council_office(client, make_staff):
    day = visit_day()
    obj = walk(submitted(council="清瀬視察市議会"), Status.ACCEPTED, day=day)
    # Opening the day after the visit: the visit's own day lies in the week before, in the same month.
    CouncilSession.objects.create(
        name="令和9年第3回定例会", opens_on=day + dt.timedelta(days=1), closes_on=day + dt.timedelta(days=9)
    )
    url = reverse("admin:inspections_request_calendar")
    month = f"{day:%Y-%m}"
    client.force_login(make_staff("市民協働課", username="other"))
    assert client.get(url, {"month": month}).status_code == 403
    client.force_login(make_staff("議会事務局"))
    text = client.get(url, {"month": month}).content.decode()
    assert obj.council in text and "令和9年第3回定例会" in text and "令和9年第3回定例会の開会前1週間です。" in text
    assert client.get(url, {"month": "junk"}).status_code == 200


def test_staff_edit_sessions_and_blocked_dates_in_the_admin(staff_client):
    day = visit_day()
    response = staff_client.post(
        reverse("admin:inspections_councilsession_add"),
        {"name": "令和9年第1回定例会", "opens_on": "2027-02-20", "closes_on": "2027-02-10"},
    )
    assert "閉会日は開会日以降の日付を入力してください。" in response.content.decode()
    response = staff_client.post(
        reverse("admin:inspections_blockeddate_add"),
        {"starts_on": day.isoformat(), "ends_on": day.isoformat(), "reason": "防災訓練のため"},
    )
    assert response.status_code == 302
    assert day_status(day).reasons == ["防災訓練のため"]


# --- iCalendar ------------------------------------------------------------


def test_ical_feed_needs_the_secret_token(client, settings):
    settings.INSPECTIONS_ICAL_TOKEN = ""
    assert client.get("/inspections/calendar/anything.ics").status_code == 404
    settings.INSPECTIONS_ICAL_TOKEN = "s3cret-token-value"
    assert client.get("/inspections/calendar/wrong.ics").status_code == 404


def test_ical_feed_lists_confirmed_visits(client, settings):
    day = visit_day()
    from icalendar import Calendar

    settings.INSPECTIONS_ICAL_TOKEN = "s3cret-token-value"
    walk(submitted(council="八王子市議会"), Status.ACCEPTED, day=day)
    submitted(council="未決定市議会")
    response = client.get("/inspections/calendar/s3cret-token-value.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert "八王子市議会" in str(events[0]["summary"])
    start = events[0].decoded("dtstart")
    assert (start.date(), start.time()) == (day, dt.time(13, 30))
    assert events[0].decoded("dtstart").utcoffset() == dt.timedelta(hours=9)


def test_other_sections_cannot_see_inspection_requests(client, make_staff):
    obj = submitted()
    client.force_login(make_staff("未来創造課", username="mirai"))
    assert client.get(reverse("admin:inspections_request_changelist")).status_code == 403
    assert client.get(reverse("admin:inspections_request_letter", args=[obj.pk, "ack"])).status_code == 403
