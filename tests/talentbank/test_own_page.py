"""The registrant's own page behind their secret link: see, edit, renew or withdraw the registration and each
consent, download their data; wrong links 404, used or expired ones 410; every step mailed from a template.
And the contact block of the pages beyond the top one, linking the talent bank's contact form."""

import csv
import io
import re
import uuid

import pytest
from django.urls import reverse

from kiyose.models import OutboundMail
from kiyose.portal import Role
from talentbank import services
from talentbank.models import Consent, ErasureRecord, Person

from .conftest import registration_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(client, fields):
    """A registered person and their link (from the confirmation mail, confirmed through it)."""
    person = services.person_register(data=registration_data(fields), token=uuid.uuid4())
    raw = re.search(
        r"/talentbank/confirm/([A-Za-z0-9_-]+)/",
        OutboundMail.objects.get(to=[person.email], subject__contains="確認のお願い").body,
    )[1]
    client.post(reverse("talentbank:confirm", args=[raw]))
    person.refresh_from_db()
    assert person.status == Person.Status.ACTIVE
    return person, raw


def _mails(person, text):
    return OutboundMail.objects.filter(to=[person.email], subject__contains=text)


def test_the_page_shows_the_registration_and_each_consent_uncached(client, own):
    person, raw = own
    response = client.get(reverse("talentbank:me", args=[raw]))
    html = response.content.decode()
    assert response.status_code == 200 and person.name in html and person.reference in html
    for label in Consent.Kind.labels:
        assert str(label) in html
    assert response["Cache-Control"] == "private, no-store" and "noindex" in response["X-Robots-Tag"]


def test_editing_changes_the_registration_and_mails_both_addresses(client, own, fields):
    person, raw = own
    url = reverse("talentbank:me_edit", args=[raw])
    assert 'value="清瀬 花子"' in client.get(url).content.decode()
    data = registration_data(fields, email="new@example.jp", furigana="ｷﾖｾ ﾊﾅｺ", skills="手話")
    data["interests"] = [str(f.pk) for f in data["interests"]]
    response = client.post(url, {k: v for k, v in data.items() if not k.startswith("consent_")})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.email, person.furigana, person.skills) == ("new@example.jp", "きよせ　はなこ", "手話")
    for address in ("hanako@example.jp", "new@example.jp"):
        mail = OutboundMail.objects.get(to=[address], subject__contains="登録内容を変更しました")
        assert "メールアドレス" in mail.body


def test_a_bad_edit_is_refused_at_the_field_and_changes_nothing(client, own, fields):
    person, raw = own
    data = registration_data(fields, email="", phone="", name="")
    data["interests"] = [str(f.pk) for f in data["interests"]]
    response = client.post(reverse("talentbank:me_edit", args=[raw]), data)
    assert response.status_code == 400 and "氏名を入力してください" in response.content.decode()
    person.refresh_from_db()
    assert person.name == "清瀬 花子"


def test_each_consent_is_changed_on_its_own_and_recorded(client, own):
    person, raw = own
    url = reverse("talentbank:me_consent", args=[raw])
    assert client.post(url, {"kind": "partner", "granted": "0"}).status_code == 302
    latest = services.consents_current(person)
    assert not latest["partner"].granted and latest["share"].granted
    assert person.consents.filter(kind="partner").count() == 2  # the earlier "yes" stays as evidence
    assert _mails(person, "同意の内容を変更しました").count() == 1
    assert client.post(url, {"kind": "partner", "granted": "1"}).status_code == 302
    assert services.consents_current(person)["partner"].granted
    # Withdrawing the consent to keep the data is withdrawing the registration: its own page.
    response = client.post(url, {"kind": "retain", "granted": "0"})
    assert response["Location"] == reverse("talentbank:me_withdraw", args=[raw])
    assert client.post(url, {"kind": "nonsense", "granted": "1"}).status_code == 400


def test_renewing_keeps_the_registration_and_mails(client, own):
    person, raw = own
    Person.objects.filter(pk=person.pk).update(renewed_at=person.renewed_at.replace(year=2020))
    response = client.post(reverse("talentbank:renew", args=[raw]), follow=True)
    assert "登録を継続しました" in response.content.decode()
    person.refresh_from_db()
    assert person.renewed_at.year > 2020 and _mails(person, "登録を継続しました").count() == 1


def test_the_download_is_what_the_staff_export_gives(client, own, make_staff):
    person, raw = own
    mine = client.get(reverse("talentbank:me_download", args=[raw]))
    assert mine.status_code == 200 and "attachment" in mine["Content-Disposition"]
    staff = client.__class__()
    staff.force_login(make_staff(Role.KYODO))
    theirs = staff.get(reverse("admin:talentbank_person_export", args=[person.pk]))
    assert mine.content == theirs.content
    rows = list(csv.reader(io.StringIO(mine.content.decode("utf-8-sig"))))
    assert ["登録者", "氏名", "清瀬 花子"] in rows and ["登録者", "メールアドレス", "hanako@example.jp"] in rows


def test_withdrawing_erases_everything_and_the_link_then_answers_410(client, own):
    person, raw = own
    url = reverse("talentbank:me_withdraw", args=[raw])
    assert client.post(url, {}).status_code == 400  # the confirmation box is required
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 200 and person.reference in response.content.decode()
    person.refresh_from_db()
    assert person.status == Person.Status.ERASED and person.name == "" and person.email == ""
    assert ErasureRecord.objects.get().reason == ErasureRecord.Reason.REQUEST
    assert not OutboundMail.objects.filter(to=["hanako@example.jp"]).exists()
    office = OutboundMail.objects.get(subject__contains="本人により取り消されました")
    assert person.reference in office.subject and "清瀬" not in office.body
    gone = client.get(reverse("talentbank:me", args=[raw]))
    assert gone.status_code == 410 and "消去されました" in gone.content.decode()


def test_a_wrong_link_is_404_and_a_pending_one_goes_to_the_confirmation(client, fields):
    assert client.get(reverse("talentbank:me", args=["x" * 43])).status_code == 404
    person = services.person_register(data=registration_data(fields), token=uuid.uuid4())
    raw = re.search(r"/talentbank/confirm/([A-Za-z0-9_-]+)/", OutboundMail.objects.get(to=[person.email]).body)[1]
    response = client.get(reverse("talentbank:me", args=[raw]))
    assert response.status_code == 302 and response["Location"] == reverse("talentbank:confirm", args=[raw])


def test_link_pages_are_rate_limited(client, own, settings, monkeypatch):
    person, raw = own
    settings.RATELIMIT_ENABLE = True
    settings.TALENTBANK_LINK_RATE_LIMIT = "3/h"
    codes = [client.get(reverse("talentbank:me", args=[raw])).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429


# --- The contact block ---------------------------------------------------------------------------------------
# The form, its enquiries (市民協働課's only) and the top page's link: tests/kiyose/test_enquiries.py, every area.


def test_the_pages_contact_block_links_to_the_contact_form(client):
    for name in ("talentbank:spots", "talentbank:register"):
        assert 'href="/talentbank/contact/"' in client.get(reverse(name)).content.decode(), name


def test_the_own_page_has_a_fixed_query_count(client, own, make_spot, django_assert_num_queries):
    person, raw = own
    for _ in range(3):
        services.match_propose(spot=make_spot(title=f"スポット{_}"), person=person)
    client.get(reverse("talentbank:me", args=[raw]))
    # The session (its flash message), the link's lookup, the fields of interest, the consents (the contact
    # blocks are kept rendered): the same however many matches or consent changes the person has.
    with django_assert_num_queries(4):
        assert client.get(reverse("talentbank:me", args=[raw])).status_code == 200


def test_the_edit_page_ticks_the_persons_interests_read_with_the_choices(client, own, django_assert_num_queries):
    person, raw = own
    chosen = {f.pk for f in person.fields.all()}
    assert chosen
    url = reverse("talentbank:me_edit", args=[raw])
    client.get(url)
    # The session, the link's lookup, and the fields of interest with the person's choice in the same query.
    with django_assert_num_queries(3):
        html = client.get(url).content.decode()
    ticked = {int(v) for v in re.findall(r'<input[^>]*name="interests" value="(\d+)"[^>]*checked', html)}
    assert ticked == chosen
