"""未来創造課's contact form for the scheme (/certification/contact/), its enquiries in the admin, and the
office's own contact block on the scheme's pages."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from certification.models import Enquiry
from kiyose.models import Office, OutboundMail

pytestmark = pytest.mark.django_db
URL = "/certification/contact/"


def enquiry_data(**overrides):
    data = {
        "name": "清瀬 花子",
        "email": "hanako@example.jp",
        "phone": "",
        "subject": "認定の申請について",
        "message": "市民団体でも申請できますか。",
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
    assert "SDGs認定証に関するお問い合わせ" in client.get(URL).content.decode()
    response = client.post(URL, {**enquiry_data(), "_step": "input"}, follow=True)
    assert "入力内容をご確認ください" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**enquiry_data(), "_step": "confirm"}, follow=True)
    enquiry = Enquiry.objects.get()
    assert enquiry.reference in response.content.decode()
    assert [m.to for m in mail.outbox] == [["hanako@example.jp"]]
    assert enquiry.reference in mail.outbox[0].subject


def test_a_double_submit_makes_one_enquiry(client):
    data = enquiry_data()
    client.post(URL, {**data, "_step": "input"})
    client.post(URL, {**data, "_step": "confirm"})
    client.post(URL, {**data, "_step": "confirm"})
    assert Enquiry.objects.count() == 1


def test_the_honeypot_refuses_bots(client):
    response = client.post(URL, {**enquiry_data(website="http://spam.example/"), "_step": "input"})
    assert response.status_code == 200
    assert Enquiry.objects.count() == 0


def test_the_office_is_told_only_once_it_has_an_address(client, django_capture_on_commit_callbacks):
    Office.objects.filter(key="mirai").update(email="mirai-office@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        send(client)
    assert sorted(m.to[0] for m in mail.outbox) == ["hanako@example.jp", "mirai-office@example.jp"]


def test_only_mirai_staff_see_the_schemes_enquiries_and_reply(client, make_staff, django_capture_on_commit_callbacks):
    send(client)
    enquiry = Enquiry.objects.get()
    changelist = reverse("admin:certification_enquiry_changelist")
    for other in ("議会事務局", "市民協働課"):
        client.force_login(make_staff(other, username=other))
        assert client.get(changelist).status_code == 403
    client.force_login(make_staff("未来創造課"))
    assert enquiry.reference in client.get(changelist).content.decode()
    reply = reverse("admin:certification_enquiry_reply", args=[enquiry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reply, {"body": "市民団体も申請できます。"}).status_code == 302
    answer = OutboundMail.objects.about(enquiry).get(subject__contains="回答")
    assert answer.to == ["hanako@example.jp"]
    enquiry.refresh_from_db()
    assert enquiry.status == "in_progress"


def test_the_schemes_pages_name_mirai_and_link_the_form(client, db):
    Office.objects.filter(key="mirai").update(phone="042-000-0000")
    html = client.get("/certification/").content.decode()
    office = Office.objects.get(key="mirai")
    assert office.name in html
    assert URL in html
    # No address the city's documents do not give.
    assert "mirai@city.kiyose.lg.jp" not in html
