"""The visiting council's status page behind the secret link in its acknowledgement."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from inspections.models import Letter, Request, Status
from kiyose.models import TransitionRecord
from tests.inspections.factories import submitted, visit_day, walk, with_status_link

pytestmark = pytest.mark.django_db


def status_url(raw: str, name: str = "inspections:status", **kwargs) -> str:
    return reverse(name, kwargs={"token": raw, **kwargs})


def test_the_page_shows_the_request_as_filed_and_its_steps_with_dates(client):
    obj = submitted(council="武蔵野市議会", committee="総務委員会", notes="車いすの方が1名います")
    raw = with_status_link(obj)
    response = client.get(status_url(raw))
    assert response.status_code == 200
    text = response.content.decode()
    shown_texts = ("武蔵野市議会", "総務委員会", obj.reference, "車いすの方が1名います", "現在の状況：受付")
    for shown in (*shown_texts, "先進事例の調査のため"):
        assert shown in text, shown
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"] and '<meta name="robots" content="noindex, nofollow">' in text
    # Nothing to withdraw from yet? It is open: the withdrawal form is there; no upload before acceptance.
    assert "お申込みを取り下げる" in text and "書類を提出する" not in text


def test_accepted_shows_date_time_place_letters_and_the_documents_expected(client):
    day = visit_day()
    obj = walk(submitted(), Status.ACCEPTED, day=day)
    raw = with_status_link(obj)
    text = client.get(status_url(raw)).content.decode()
    assert "現在の状況：受入決定" in text
    assert "13:30〜15:00" in text and "清瀬市役所 第1会議室" in text
    assert "まだ届いていない書類：依頼文書、参加者名簿、質問事項、行程" in text
    letter = Letter.objects.get(request=obj, kind="accept")
    assert status_url(raw, "inspections:status_letter", letter_id=letter.pk) in text
    # Each step with its date, from the workflow's record.
    today_text = timezone.localdate().strftime("%Y")
    assert text.count("調整中") >= 1 and "受入決定" in text and today_text
    assert TransitionRecord.objects.of(obj).count() == 2
    assert "書類を提出する" in text


def test_an_issued_letter_downloads_and_no_letter_is_ever_numbered_from_the_page(client, settings):
    settings.INSPECTIONS_DAILY_CAPACITY = 2
    day = visit_day()
    obj = walk(submitted(), Status.ACCEPTED, day=day)
    raw = with_status_link(obj)
    letter = Letter.objects.get(request=obj, kind="accept")
    response = client.get(status_url(raw, "inspections:status_letter", letter_id=letter.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
    # Another council's letter, or one never issued, is not there; asking issues nothing.
    other = walk(submitted(), Status.ACCEPTED, day=day)
    other_letter = Letter.objects.get(request=other, kind="accept")
    assert client.get(status_url(raw, "inspections:status_letter", letter_id=other_letter.pk)).status_code == 404
    assert client.get(status_url(raw, "inspections:status_letter", letter_id=999999)).status_code == 404
    assert Letter.objects.count() == 2


def test_a_wrong_token_is_404(client):
    with_status_link(submitted())
    for wrong in ("x" * 43, "A" * 16, "not-a-real-token-value-000000000000"):
        assert client.get(status_url(wrong)).status_code == 404
    # Shorter than a token or with characters a token never has: no route at all.
    assert client.get("/inspections/status/short/").status_code == 404
    assert client.get("/inspections/status/" + "%E2%91%A0" * 20 + "/").status_code == 404


def test_the_link_expires_days_after_the_visit_with_an_explanation(client, settings):
    settings.INSPECTIONS_STATUS_DAYS_AFTER_VISIT = 90
    day = visit_day()
    obj = walk(submitted(), Status.ACCEPTED, day=day)
    raw = with_status_link(obj)
    last = day + dt.timedelta(days=90)
    with time_machine.travel(dt.datetime.combine(last, dt.time(12), tzinfo=dt.UTC), tick=False):
        assert client.get(status_url(raw)).status_code == 200
    with time_machine.travel(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC), tick=False):
        response = client.get(status_url(raw))
        letter = Letter.objects.get(request=obj)
        assert client.get(status_url(raw, "inspections:status_letter", letter_id=letter.pk)).status_code == 410
    assert response.status_code == 410
    text = response.content.decode()
    assert "公開を終了しました" in text and "90日" in text and obj.reference in text


def test_the_link_expires_days_after_a_decline_or_withdrawal(client, settings):
    settings.INSPECTIONS_STATUS_DAYS_AFTER_VISIT = 30
    declined = walk(submitted(), Status.DECLINED)
    raw = with_status_link(declined)
    assert "担当課の事情により" in client.get(status_url(raw)).content.decode()
    later = timezone.localdate() + dt.timedelta(days=31)
    with time_machine.travel(dt.datetime.combine(later, dt.time(3), tzinfo=dt.UTC), tick=False):
        assert client.get(status_url(raw)).status_code == 410


def test_the_visitor_withdraws_with_a_reason_while_open(client, settings, django_capture_on_commit_callbacks):
    settings.INSPECTIONS_OFFICE_EMAIL = "office@example.jp"
    day = visit_day()
    obj = walk(submitted(), Status.ACCEPTED, day=day)
    raw = with_status_link(obj)
    url = status_url(raw, "inspections:status_withdraw")
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "取下げの理由を入力してください。" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "議会日程の変更のため"}, follow=True)
    assert "お申込みを取り下げました。" in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == Status.WITHDRAWN and obj.withdraw_reason == "議会日程の変更のため"
    assert not hasattr(Request.objects.get(pk=obj.pk), "slot") or not obj.__class__.objects.get(pk=obj.pk).slot
    record = TransitionRecord.objects.of(obj).last()
    assert (record.target, record.by, record.by_label) == ("withdrawn", None, "申込者（状況確認ページ）")
    # Closed: no second withdrawal, no form.
    assert client.post(url, {"reason": "もう一度"}).status_code == 400
    assert "お申込みを取り下げる</h2>" not in client.get(status_url(raw)).content.decode()


def test_a_get_changes_nothing_and_post_only_urls_refuse_get(client):
    obj = submitted()
    raw = with_status_link(obj)
    before = Request.objects.values().get(pk=obj.pk)
    assert client.get(status_url(raw, "inspections:status_withdraw")).status_code == 405
    assert client.get(status_url(raw, "inspections:status_upload")).status_code == 405
    client.get(status_url(raw))
    assert Request.objects.values().get(pk=obj.pk) == before


def test_every_token_page_is_rate_limited(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.INSPECTIONS_STATUS_RATE_LIMIT = "3/h"
    raw = with_status_link(submitted())
    codes = [client.get(status_url(raw)).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    assert client.get(status_url(raw)).status_code == 429
    assert client.post(status_url(raw, "inspections:status_withdraw"), {"reason": "x"}).status_code == 429
    assert client.get(status_url("wrong-token-but-counted-too")).status_code == 429


def test_the_page_takes_a_fixed_number_of_queries(client, settings, django_assert_num_queries):
    settings.INSPECTIONS_DAILY_CAPACITY = 5
    day = visit_day()
    obj = walk(submitted(), Status.ACCEPTED, day=day)
    raw = with_status_link(obj)
    url = status_url(raw)
    # The link, the read-only parts (steps, letters, documents, the request's topics) and two contact blocks.
    caches["fragments"].clear()  # the mails sent while walking the request drew the contact blocks
    with django_assert_num_queries(7) as cold:
        client.get(url)
    # Once rendered, the read-only parts wait until the request, its letters or its documents change, and the
    # contact blocks until staff edit an office: only the link is read.
    with django_assert_num_queries(1):
        client.get(url)
    from inspections.services.requests import letters_issue

    letters_issue(request_ids=[obj.pk], kind="ack")
    with django_assert_num_queries(len(cold.captured_queries) - 2):
        text = client.get(url).content.decode()
    assert "受付確認書" in text
