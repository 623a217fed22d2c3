"""The council office's contact form (/inspections/contact/) and its enquiries in the admin."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from inspections.models import Enquiry
from kiyose.models import Office, OutboundMail

pytestmark = pytest.mark.django_db
URL = "/inspections/contact/"


def enquiry_data(**overrides):
    data = {
        "name": "山田 花子",
        "email": "yamada@example.jp",
        "phone": "",
        "subject": "視察の受け入れについて",
        "message": "12月の受け入れは可能でしょうか。",
        "website": "",
        "_token": str(uuid.uuid4()),
    }
    return {**data, **overrides}


def send(client, **overrides):
    data = enquiry_data(**overrides)
    client.get(URL)
    client.post(URL, {**data, "_step": "input"})
    return client.post(URL, {**data, "_step": "confirm"})


def test_the_contact_form_goes_input_confirm_done_and_replies_automatically(client, django_capture_on_commit_callbacks):
    assert "行政視察に関するお問い合わせ" in client.get(URL).content.decode()
    response = client.post(URL, {**enquiry_data(), "_step": "input"}, follow=True)
    assert "入力内容をご確認ください" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**enquiry_data(), "_step": "confirm"}, follow=True)
    enquiry = Enquiry.objects.get()
    assert enquiry.reference in response.content.decode()
    assert [m.to for m in mail.outbox] == [["yamada@example.jp"]]
    assert enquiry.reference in mail.outbox[0].subject
    assert "行政視察に関するお問い合わせを受け付けました" in mail.outbox[0].body


def test_empty_fields_get_specific_messages(client):
    response = client.post(URL, {**enquiry_data(name="", message=""), "_step": "input"})
    text = response.content.decode()
    assert "お名前を入力してください。" in text and "お問い合わせ内容を入力してください。" in text


def test_the_office_is_told_only_once_it_has_an_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(client)
    assert [m.to for m in mail.outbox] == [["yamada@example.jp"]]
    Office.objects.filter(key="council").update(email="gikai-office@example.jp")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(client, subject="二件目")
    assert sorted(m.to[0] for m in mail.outbox) == ["gikai-office@example.jp", "yamada@example.jp"]


def test_only_the_council_office_sees_its_enquiries_and_replies_from_the_admin(
    client, make_staff, django_capture_on_commit_callbacks
):
    send(client)
    enquiry = Enquiry.objects.get()
    changelist = reverse("admin:inspections_enquiry_changelist")
    client.force_login(make_staff("未来創造課", username="mirai"))
    assert client.get(changelist).status_code == 403
    client.force_login(make_staff("議会事務局"))
    assert enquiry.reference in client.get(changelist).content.decode()
    reply = reverse("admin:inspections_enquiry_reply", args=[enquiry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reply, {"body": "12月は定例会のため、1月以降でご検討ください。"})
    assert response.status_code == 302
    answer = OutboundMail.objects.about(enquiry).get(subject__contains="回答")
    assert "1月以降" in answer.body and answer.to == ["yamada@example.jp"]
    enquiry.refresh_from_db()
    assert enquiry.status == "in_progress" and enquiry.replied_at is not None


def test_the_pages_contact_block_links_to_the_form(client):
    text = client.get(reverse("inspections:index")).content.decode()
    assert 'href="/inspections/contact/"' in text and "お問い合わせは専用フォームをご利用ください。" in text
