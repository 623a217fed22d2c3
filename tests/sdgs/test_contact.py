"""未来創造課's contact form (/sdgs/contact/) and its enquiries in the admin."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from kiyose.models import Office, OutboundMail
from sdgs.models import Enquiry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_live_sources")]
URL = "/sdgs/contact/"


def enquiry_data(**overrides):
    data = {
        "name": "山田 花子",
        "email": "yamada@example.jp",
        "phone": "",
        "subject": "KPIの実績について",
        "message": "市民人材バンク登録者数の集計方法を教えてください。",
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
    assert "SDGs未来都市に関するお問い合わせ" in client.get(URL).content.decode()
    response = client.post(URL, {**enquiry_data(), "_step": "input"}, follow=True)
    assert "入力内容をご確認ください" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**enquiry_data(), "_step": "confirm"}, follow=True)
    enquiry = Enquiry.objects.get()
    assert enquiry.reference in response.content.decode()
    assert [m.to for m in mail.outbox] == [["yamada@example.jp"]]
    assert enquiry.reference in mail.outbox[0].subject
    assert "SDGs未来都市に関するお問い合わせを受け付けました" in mail.outbox[0].body


def test_empty_fields_get_specific_messages(client):
    response = client.post(URL, {**enquiry_data(name="", message=""), "_step": "input"})
    text = response.content.decode()
    assert "お名前を入力してください。" in text and "お問い合わせ内容を入力してください。" in text


def test_the_office_is_told_only_once_it_has_an_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(client)
    assert [m.to for m in mail.outbox] == [["yamada@example.jp"]]
    Office.objects.filter(key="mirai").update(email="mirai-office@example.jp")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(client, subject="二件目")
    assert sorted(m.to[0] for m in mail.outbox) == ["mirai-office@example.jp", "yamada@example.jp"]


def test_only_mirai_sees_its_enquiries_and_replies_from_the_admin(
    client, make_staff, django_capture_on_commit_callbacks
):
    send(client)
    enquiry = Enquiry.objects.get()
    changelist = reverse("admin:sdgs_enquiry_changelist")
    client.force_login(make_staff("議会事務局", username="gikai"))
    assert client.get(changelist).status_code == 403
    client.force_login(make_staff("市民協働課", username="kyodo"))
    assert client.get(changelist).status_code == 403
    client.force_login(make_staff("未来創造課"))
    assert enquiry.reference in client.get(changelist).content.decode()
    reply = reverse("admin:sdgs_enquiry_reply", args=[enquiry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reply, {"body": "登録者数は市民人材バンクの登録データから毎日集計しています。"})
    assert response.status_code == 302
    answer = OutboundMail.objects.about(enquiry).get(subject__contains="回答")
    assert "毎日集計" in answer.body and answer.to == ["yamada@example.jp"]
    enquiry.refresh_from_db()
    assert enquiry.status == "in_progress" and enquiry.replied_at is not None


@pytest.mark.parametrize("name", ["sdgs:dashboard", "sdgs:method", "sdgs:plan"])
def test_each_page_names_mirai_and_links_to_its_form(client, seeded, name):
    text = client.get(reverse(name)).content.decode()
    assert 'href="/sdgs/contact/"' in text and "お問い合わせは専用フォームをご利用ください。" in text
    assert "未来創造課" in text


def test_the_kpi_page_names_mirai_and_links_to_its_form(client, seeded):
    text = client.get(reverse("sdgs:kpi_detail", args=["EC-02"])).content.decode()
    assert 'href="/sdgs/contact/"' in text and "未来創造課" in text
