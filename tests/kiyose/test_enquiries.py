"""Every area's contact form (kiyose.enquiries), checked once for each form the page registry declares: the
input → 確認 → 完了 flow and its acknowledgement, the messages, one enquiry per submission, the honeypot, the
office's notice, the admin only the owning office sees and its reply, and the area's top page linking the form.
What one area adds (more pages carrying the block, its office's own wording) stays in tests/<app>/."""

import uuid
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.core import mail
from django.urls import resolve, reverse

from kiyose.enquiries import ENQUIRY_FIELDS, EnquiryAdmin, EnquiryView
from kiyose.models import EnquiryBase, Office, OutboundMail
from kiyose.pages import FORM, READ
from kiyose.portal import ROLE_APPS
from tests.kiyose.registry_support import app_of, public_pages

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class ContactForm:
    app: str
    url: str
    view: type[EnquiryView]

    @property
    def model(self):
        return self.view.model

    @property
    def area(self) -> str:
        return str(self.view.area)

    def office(self) -> Office:
        return Office.objects.get(key=self.view.office)

    def admin_url(self, action: str, *args) -> str:
        return reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_{action}", args=args)


def contact_forms() -> list[ContactForm]:
    """The declared form pages served by the kit's EnquiryView, so a new area's form is checked here at once."""
    found = []
    for info in public_pages(kinds=(FORM,)):
        view = getattr(resolve(info.sample_url()).func, "view_class", None)
        if view is not None and issubclass(view, EnquiryView):
            found.append(ContactForm(app=app_of(info.name), url=info.sample_url(), view=view))
    return found


FORMS = [pytest.param(form, id=form.app) for form in contact_forms()]


def enquiry_data(**overrides):
    data = {
        "name": "山田 花子",
        "email": "yamada@example.jp",
        "phone": "",
        "subject": "受け付けについて",
        "message": "12月の受け付けは可能でしょうか。",
        "website": "",
        "_token": str(uuid.uuid4()),
    }
    return {**data, **overrides}


def send(client, form: ContactForm, **overrides):
    data = enquiry_data(**overrides)
    client.get(form.url)
    client.post(form.url, {**data, "_step": "input"})
    return client.post(form.url, {**data, "_step": "confirm"})


def test_every_enquiry_model_has_a_declared_contact_form_and_the_kits_admin():
    # The list the tests below run over comes from the registry; a model without its form would be left out.
    models = {m for m in apps.get_models() if issubclass(m, EnquiryBase)}
    assert models and {form.model for form in contact_forms()} == models
    for model in models:
        assert isinstance(admin.site._registry.get(model), EnquiryAdmin), model._meta.label


@pytest.mark.parametrize("form", FORMS)
def test_the_form_goes_input_confirm_done_and_acknowledges_the_sender(client, form, django_capture_on_commit_callbacks):
    page = client.get(form.url).content.decode()
    assert f"{form.area}に関するお問い合わせ" in page
    for name in [*ENQUIRY_FIELDS, "website"]:
        assert f'name="{name}"' in page, name
    data = enquiry_data()
    response = client.post(form.url, {**data, "_step": "input"}, follow=True)
    assert "入力内容をご確認ください" in response.content.decode()
    # "修正する" brings back the input as typed.
    assert f'value="{data["subject"]}"' in client.get(form.url, {"step": "edit"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.url, {**data, "_step": "confirm"}, follow=True)
    enquiry = form.model.objects.get()
    assert (enquiry.name, enquiry.email, enquiry.subject) == (data["name"], data["email"], data["subject"])
    assert enquiry.reference in response.content.decode()
    assert [m.to for m in mail.outbox] == [["yamada@example.jp"]]
    assert enquiry.reference in mail.outbox[0].subject
    assert f"{form.area}に関するお問い合わせを受け付けました" in mail.outbox[0].body


@pytest.mark.parametrize("form", FORMS)
def test_empty_fields_get_specific_messages_and_the_rest_is_kept(client, form):
    response = client.post(form.url, {**enquiry_data(name="", message=""), "_step": "input"})
    text = response.content.decode()
    assert "お名前を入力してください。" in text and "お問い合わせ内容を入力してください。" in text
    assert 'value="yamada@example.jp"' in text
    assert not form.model.objects.exists()


@pytest.mark.parametrize("form", FORMS)
def test_a_double_submit_makes_one_enquiry(client, form, django_capture_on_commit_callbacks):
    data = enquiry_data()
    client.post(form.url, {**data, "_step": "input"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form.url, {**data, "_step": "confirm"})
        client.post(form.url, {**data, "_step": "confirm"})
        # The same submission arriving without the session (a retried request): the token alone holds it.
        retried = client.__class__().post(form.url, {**data, "_step": "confirm"})
    assert retried.status_code == 302
    assert form.model.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("form", FORMS)
def test_the_honeypot_refuses_bots(client, form):
    bot = enquiry_data(website="http://spam.example/")
    response = client.post(form.url, {**bot, "_step": "input"})
    assert response.status_code == 200 and "送信できませんでした。" in response.content.decode()
    # Nor does posting the whole input straight to the confirmation get past it.
    client.post(form.url, {**bot, "_step": "confirm"})
    assert not form.model.objects.exists()
    assert not OutboundMail.objects.exists()


@pytest.mark.parametrize("form", FORMS)
def test_the_office_is_told_only_once_it_has_an_address(client, form, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, form)
    assert [m.to for m in mail.outbox] == [["yamada@example.jp"]]
    Office.objects.filter(pk=form.office().pk).update(email="office@example.jp")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(client, form, subject="二件目")
    assert sorted(m.to[0] for m in mail.outbox) == ["office@example.jp", "yamada@example.jp"]


@pytest.mark.parametrize("form", FORMS)
def test_only_the_forms_office_sees_its_enquiries_and_replies_from_the_admin(
    client, form, make_staff, django_capture_on_commit_callbacks
):
    send(client, form)
    enquiry = form.model.objects.get()
    owner = form.office().role
    changelist = form.admin_url("changelist")
    others = [role for role in ROLE_APPS if role != owner]
    assert owner in ROLE_APPS and others
    for role in others:
        client.force_login(make_staff(role, username=f"other-{role}"))
        assert client.get(changelist).status_code == 403, role
    client.force_login(make_staff(owner))
    assert enquiry.reference in client.get(changelist).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.admin_url("reply", enquiry.pk), {"body": "1月以降でご検討ください。"})
    assert response.status_code == 302
    answer = OutboundMail.objects.about(enquiry).get(subject__contains="回答")
    assert "1月以降" in answer.body and answer.to == ["yamada@example.jp"]
    enquiry.refresh_from_db()
    assert enquiry.status == "in_progress" and enquiry.replied_at is not None


@pytest.mark.parametrize("form", FORMS)
def test_the_areas_top_page_names_its_office_and_links_the_form(client, form):
    top = next(p for p in public_pages(kinds=(READ,)) if p.full_route == f"{form.app}/")
    text = client.get(top.sample_url()).content.decode()
    assert f'href="{form.url}"' in text and "お問い合わせは専用フォームをご利用ください。" in text
    office = form.office()
    assert office.name in text and office.section in text
