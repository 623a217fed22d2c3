import datetime as dt
import uuid

import pytest
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from inspections.models import Request
from inspections.services.availability import availability, earliest_request_date, today
from inspections.services.requests import request_submit
from kiyose.models import Office, OutboundMail
from kiyose.tokens import token_hash
from kiyose.wareki import fiscal_year
from tests.inspections.factories import open_days, programme, request_data

pytestmark = pytest.mark.django_db
URL = "/inspections/request/"


def blocked_provisional_day() -> dt.date:
    start = earliest_request_date()
    days = availability(start, start + dt.timedelta(days=200), public=True)
    return next(d for d, day in days.items() if day.provisional and d.weekday() < 5)


def form_data(**overrides) -> dict:
    day = open_days(earliest_request_date(), 1, public=True)[0]
    data = {
        "council": "武蔵野市議会",
        "committee": "総務委員会",
        "contact_name": "山田 花子",
        "contact_department": "議会事務局議事課",
        "phone": "0422-60-1234",
        "email": "giji@example.jp",
        "address": "東京都武蔵野市緑町2-2-28",
        "preferred_date_1": day.isoformat(),
        "preferred_period_1": "pm",
        "preferred_date_2": "",
        "preferred_period_2": "",
        "preferred_date_3": "",
        "preferred_period_3": "",
        "councillors": "7",
        "staff": "2",
        "topics_other": "清瀬子ども大学について",
        "purpose": "先進事例の調査",
        "questions": "",
        "transport": "public",
        "vehicles": "",
        "notes": "",
        "website": "",
        "_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_form_page_renders_with_all_fields(client):
    programme(title="清瀬子ども大学")
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    for label in (
        "自治体名・議会名",
        "委員会名／会派名",
        "担当者氏名",
        "電話番号",
        "メールアドレス",
        "所在地",
        "第1希望日",
        "第3希望の時間帯",
        "議員の人数",
        "随行職員の人数",
        "清瀬子ども大学",
        "視察の目的",
        "事前の質問事項",
        "交通手段",
        "車両の台数",
        "備考",
        'name="_token"',
        'class="hp-wrap"',
    ):
        assert label in text, label
    assert 'style="' not in text


def test_form_page_prefills_a_date_from_the_calendar(client):
    day = open_days(earliest_request_date(), 1, public=True)[0]
    text = client.get(URL, {"date": day.isoformat()}).content.decode()
    assert f'value="{day.isoformat()}"' in text
    assert client.get(URL, {"date": "nonsense"}).status_code == 200


def test_form_page_query_count_is_fixed(client, django_assert_num_queries):
    programme()
    # The topics (while the empty form is built) and two contact blocks (the council office's, the footer's).
    with django_assert_num_queries(3) as first:
        client.get(URL)
    for n in range(40):
        programme(title=f"事業X{n}")
    caches["fragments"].clear()  # a cold rendering again: the contact blocks are kept until an office changes
    with django_assert_num_queries(len(first.captured_queries)):
        assert "事業X39" in client.get(URL).content.decode()
    # The empty form's fields are the app's kept fragment, the contact blocks the kit's: a visitor holding a
    # session costs the session lookup alone.
    client.cookies["sessionid"] = "anything"
    with django_assert_num_queries(1):
        assert "事業X39" in client.get(URL).content.decode()


def test_full_flow_input_confirm_done(client, settings, django_capture_on_commit_callbacks):
    settings.INSPECTIONS_OFFICE_EMAIL = "office@example.jp"
    topic = programme(title="市役所屋上での養蜂事業")
    data = form_data(topics=[str(topic.pk)], phone="０４２２－６０－１２３４")
    response = client.post(URL, {**data, "_step": "input"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "入力内容をご確認ください" in text and "市役所屋上での養蜂事業" in text and "0422-60-1234" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**data, "_step": "confirm"})
    assert response.status_code == 302 and response["Location"] == reverse("inspections:done")
    obj = Request.objects.get()
    assert obj.phone == "0422-60-1234"
    assert obj.status == "received"
    assert list(obj.topics.all()) == [topic]
    done = client.get(reverse("inspections:done")).content.decode()
    assert obj.reference in done and "042-497-2566" in done
    assert obj.reference.startswith(f"{fiscal_year(today())}-")
    assert sorted(m.to[0] for m in mail.outbox) == ["giji@example.jp", "office@example.jp"]
    ack = next(m for m in mail.outbox if m.to == ["giji@example.jp"])
    assert obj.reference in ack.subject and "042-497-2566" in ack.body
    # The status link: built on PORTAL_BASE_URL, only its hash kept.
    link = next(line for line in ack.body.splitlines() if "/inspections/status/" in line).strip()
    assert link.startswith(settings.PORTAL_BASE_URL + "/inspections/status/")
    raw = link.rstrip("/").rsplit("/", 1)[-1]
    assert raw not in obj.status_token_hash and obj.status_token_hash == token_hash(raw)
    assert client.get(link.removeprefix(settings.PORTAL_BASE_URL)).status_code == 200
    assert OutboundMail.objects.filter(sent_at__isnull=False).count() == 2
    assert set(OutboundMail.objects.values_list("about_id", flat=True)) == {str(obj.pk)}


def test_back_step_keeps_what_was_typed(client):
    data = form_data(council="国分寺市議会")
    response = client.post(URL, {**data, "_step": "back"})
    assert 'value="国分寺市議会"' in response.content.decode()
    assert not Request.objects.exists()


def test_double_submit_creates_one_request(client):
    data = form_data()
    client.post(URL, {**data, "_step": "confirm"})
    client.post(URL, {**data, "_step": "confirm"})
    assert Request.objects.count() == 1
    # Only the acknowledgement: the office gets notices only once an address is set.
    assert OutboundMail.objects.count() == 1


def test_office_notices_go_to_the_setting_else_the_offices_own_address_else_nowhere(client, settings):
    settings.INSPECTIONS_OFFICE_EMAIL = ""
    client.post(URL, {**form_data(), "_step": "confirm"})
    assert list(OutboundMail.objects.values_list("to", flat=True)) == [["giji@example.jp"]]
    Office.objects.filter(key="council").update(email="gikai-office@example.jp")
    client.post(URL, {**form_data(), "_step": "confirm"})
    recipients = sorted(m[0] for m in OutboundMail.objects.values_list("to", flat=True))
    assert recipients == ["giji@example.jp", "giji@example.jp", "gikai-office@example.jp"]
    settings.INSPECTIONS_OFFICE_EMAIL = "internal@example.jp"
    client.post(URL, {**form_data(), "_step": "confirm"})
    assert OutboundMail.objects.filter(to=["internal@example.jp"]).count() == 1
    # The acknowledgement's replies go to the office's public address, never to an invented one.
    assert OutboundMail.objects.filter(to=["giji@example.jp"]).order_by("pk").last().reply_to == [
        "gikai-office@example.jp"
    ]


def test_no_invented_office_address_by_default():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "INSPECTIONS_OFFICE_EMAIL"} | {"DEBUG": "true"}
    code = "from kiyose import settings; print(repr(settings.INSPECTIONS_OFFICE_EMAIL))"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "''", result.stderr


def test_done_without_a_submission_goes_back_to_the_form(client):
    response = client.get(reverse("inspections:done"))
    assert response.status_code == 302 and response["Location"] == URL


def test_blocked_date_names_its_reason_and_keeps_the_input(client):
    day = blocked_provisional_day()
    response = client.post(URL, {**form_data(preferred_date_1=day.isoformat(), council="立川市議会"), "_step": "input"})
    text = response.content.decode()
    assert "この日はお受けできません。12月定例会の日程が未定のため" in text or "この日はお受けできません。" in text
    assert "（定例会期間中のため（" not in text and "仮に受付不可としています。" in text
    assert 'value="立川市議会"' in text
    assert 'href="#id_preferred_date_1"' in text
    assert not Request.objects.exists()


def test_session_period_message_is_by_name(client):
    from inspections.models import CouncilSession

    day = open_days(earliest_request_date(), 1, public=True)[0]
    CouncilSession.objects.create(name="令和8年第9回臨時会", opens_on=day, closes_on=day)
    form = _form(preferred_date_1=day.isoformat())
    assert form.errors["preferred_date_1"] == [
        "この日はお受けできません。令和8年第9回臨時会の会期中です。カレンダーで「受付可」の日をお選びください。"
    ]


def _form(**overrides):
    from inspections.forms import RequestForm

    form = RequestForm(data=form_data(**overrides))
    form.is_valid()
    return form


def test_lead_time_is_enforced(settings):
    settings.INSPECTIONS_LEAD_DAYS = 14
    too_soon = today() + dt.timedelta(days=13)
    form = _form(preferred_date_1=too_soon.isoformat())
    assert "14日前までにお願いしています" in form.errors["preferred_date_1"][0]
    assert "今日より後の日付" in _form(preferred_date_1=today().isoformat()).errors["preferred_date_1"][0]


def test_far_future_dates_are_refused():
    form = _form(preferred_date_1="2999-06-01")
    assert form.errors["preferred_date_1"] == ["3年以内の日付を入力してください。"]


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("０４２－４９７－２５６６", "042-497-2566"),
        ("042ー497ー2566", "042-497-2566"),
        ("09012345678", "09012345678"),
    ],
)
def test_full_width_phone_numbers_are_normalised(typed, stored):
    form = _form(phone=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == stored


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("council", "", "自治体名・議会名を入力してください。"),
        ("phone", "12345", "電話番号は市外局番から、数字とハイフンで入力してください（例：042-497-2566）。"),
        ("email", "not-an-email", "メールアドレスの形式で入力してください（例：info@example.jp）。"),
        ("councillors", "0", "議員の人数は1人以上で入力してください。"),
        ("councillors", "二", "議員の人数は数字で入力してください。"),
        ("staff", "51", "随行職員の人数は50人以下で入力してください。"),
        ("vehicles", "21", "車両の台数は20台以下で入力してください。"),
        ("preferred_period_1", "", "第1希望の時間帯を選んでください。"),
        ("preferred_date_1", "", "第1希望日を入力してください。"),
        ("purpose", "", "視察の目的を入力してください。"),
        ("transport", "", "交通手段を選んでください。"),
        ("council", "清瀬\u2028市議会", "改行や制御文字は入力できません。"),
        ("council", "あ" * 101, "自治体名・議会名は100文字以内で入力してください。"),
    ],
)
def test_field_errors_are_specific_and_in_japanese(field, value, message):
    form = _form(**{field: value})
    assert form.errors[field] == [message]


def test_vehicles_are_asked_for_a_bus():
    form = _form(transport="bus", vehicles="")
    assert form.errors["vehicles"] == ["バス・自動車でお越しの場合は台数を入力してください。"]


def test_no_preferred_time_is_chosen_for_the_visitor(client):
    text = client.get(URL).content.decode()
    select = text[text.index('name="preferred_period_1"') :]
    select = select[: select.index("</select>")]
    assert '<option value="" selected>選択してください</option>' in select
    assert select.count("selected") == 1
    # Nor is a means of transport.
    assert 'name="transport"' in text and "checked" not in text


def test_topics_or_free_text_required():
    form = _form(topics_other="")
    assert "視察項目を1つ以上選ぶか" in form.errors["topics"][0]


def test_second_preference_needs_a_period_and_must_differ():
    day1, day2 = open_days(earliest_request_date(), 2, public=True)
    form = _form(preferred_date_2=day2.isoformat())
    assert form.errors["preferred_period_2"] == ["第2希望の時間帯を選んでください。"]
    form = _form(preferred_date_2=day1.isoformat(), preferred_period_2="pm")
    assert "第1希望と同じ日時です" in form.errors["preferred_date_2"][0]


def test_public_transport_drops_a_vehicle_count():
    form = _form(transport="public", vehicles="3")
    assert form.is_valid()
    assert form.cleaned_data["vehicles"] is None


def test_honeypot_refuses_bots(client):
    response = client.post(URL, {**form_data(website="http://spam.example"), "_step": "confirm"})
    assert response.status_code == 200
    assert not Request.objects.exists()


def test_rate_limit_per_address(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.INSPECTIONS_RATE_LIMIT = "2/h"
    from django.core.cache import cache

    cache.clear()
    codes = [client.post(URL, {**form_data(), "_step": "confirm"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Request.objects.count() == 2
    cache.clear()


def test_a_failing_mail_server_keeps_the_request_and_the_mail_for_retry(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.inspections.broken_mail.BrokenBackend", "OPTIONS": {}}}
    settings.INSPECTIONS_OFFICE_EMAIL = "office@example.jp"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**form_data(), "_step": "confirm"})
    assert response.status_code == 302
    assert Request.objects.count() == 1
    assert OutboundMail.objects.filter(sent_at__isnull=True, attempts=1).count() == 2


def test_service_rejects_invalid_data_without_saving():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        request_submit(data=request_data(transport="bus", vehicles=None), topics=[], token=uuid.uuid4())
    assert not Request.objects.exists()


TEXT = st.text(max_size=60)
FIELDS = [
    "council",
    "committee",
    "contact_name",
    "contact_department",
    "phone",
    "email",
    "address",
    "preferred_date_1",
    "preferred_period_1",
    "preferred_date_2",
    "preferred_period_2",
    "councillors",
    "staff",
    "topics",
    "purpose",
    "transport",
    "vehicles",
    "_step",
    "_token",
]


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    overrides=st.dictionaries(
        st.sampled_from(FIELDS),
        st.one_of(
            TEXT,
            st.dates().map(str),
            st.integers().map(str),
            st.sampled_from(["am", "pm", "bus", "confirm", "back"]),
        ),
    )
)
def test_arbitrary_input_never_causes_a_server_error(client, overrides):
    data = {**form_data(), **overrides}
    data = {k: v.replace("\x00", "") for k, v in data.items()}
    response = client.post(URL, data)
    assert response.status_code in (200, 302, 400, 429)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=TEXT | st.dates().map(str), end=TEXT | st.dates().map(str))
def test_availability_feed_never_causes_a_server_error(client, start, end):
    response = client.get(reverse("inspections:availability"), {"start": start, "end": end})
    assert response.status_code in (200, 400)
