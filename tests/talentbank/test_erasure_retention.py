"""Rights and retention: export, erasure that leaves nothing personal in any table, the retention command."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kiyose.models import OutboundMail
from kiyose.portal import Role
from talentbank import services
from talentbank.models import Cohort, ErasureRecord, Graduate, Match, Person, Spot

pytestmark = pytest.mark.django_db

SECRETS = {
    "name": "消去 対象子",
    "furigana": "しょうきょ　たいしょうこ",
    "email": "erase-me@example.jp",
    "phone": "042-555-0199",
    "skills": "秘密の特技ＸＹＺ",
    "qualifications": "秘密の資格ＱＱ",
    "availability_note": "秘密の日時メモ",
}
STAFF_NOTE = "職員だけの秘密メモ"
MATCH_NOTE = "マッチングの秘密メモ"


def _scan_database(needles) -> list[str]:
    """Every table in the database, every column, every row: where does any needle still appear?"""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from introspection)
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                hits += [f"{table}: {n}" for n in needles if n in text]
    for session in Session.objects.all():
        text = str(session.get_decoded())
        hits += [f"session: {n}" for n in needles if n in text]
    return hits


SUBMISSION = "3f0c1a8e-2a55-4d0e-9a55-3f1f4b0f9d11"


def _post(fields, step, token=SUBMISSION):
    return {
        "name": SECRETS["name"],
        "furigana": SECRETS["furigana"],
        "age_band": "70s",
        "relation": ["lives"],
        "area": "noshio",
        "email": SECRETS["email"],
        "phone": SECRETS["phone"],
        "interests": [str(fields["福祉・介護"].pk)],
        "skills": SECRETS["skills"],
        "qualifications": SECRETS["qualifications"],
        "available_days": ["1"],
        "available_times": ["1"],
        "availability_note": SECRETS["availability_note"],
        "ways": ["1"],
        "consent_retain": "on",
        "consent_share": "on",
        "consent_partner": "on",
        "website": "",
        "_token": token,
        "_step": step,
    }


@pytest.fixture
def person_everywhere(client, fields, make_staff, make_spot, django_capture_on_commit_callbacks, mailoutbox):
    """A citizen who registered, confirmed, was edited by staff, matched, graduated and was exported."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("talentbank:register"), _post(fields, "confirm"), follow=True)
    person = Person.objects.get()
    mail = OutboundMail.objects.get(to=[SECRETS["email"]])
    raw = re.search(r"/talentbank/confirm/([^/\s]+)/", mail.body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("talentbank:confirm", args=[raw]))
    staff = make_staff(Role.KYODO)
    client.force_login(staff)
    change = reverse("admin:talentbank_person_change", args=[person.pk])
    page = client.get(change)
    assert SECRETS["name"] in page.content.decode()
    form = {
        "name": SECRETS["name"],
        "furigana": SECRETS["furigana"],
        "age_band": "70s",
        "lives_in_city": "on",
        "area": "noshio",
        "email": SECRETS["email"],
        "phone": SECRETS["phone"],
        "fields": [str(fields["福祉・介護"].pk)],
        "skills": SECRETS["skills"],
        "qualifications": SECRETS["qualifications"],
        "available_days": ["1"],
        "available_times": ["1"],
        "availability_note": SECRETS["availability_note"],
        "ways": ["1"],
        "staff_note": STAFF_NOTE,
        "consents-TOTAL_FORMS": "3",
        "consents-INITIAL_FORMS": "3",
        "consents-MIN_NUM_FORMS": "0",
        "consents-MAX_NUM_FORMS": "1000",
        "graduations-TOTAL_FORMS": "0",
        "graduations-INITIAL_FORMS": "0",
        "graduations-MIN_NUM_FORMS": "0",
        "graduations-MAX_NUM_FORMS": "1000",
        "matches-TOTAL_FORMS": "0",
        "matches-INITIAL_FORMS": "0",
        "matches-MIN_NUM_FORMS": "0",
        "matches-MAX_NUM_FORMS": "1000",
    }
    # Every inline's management form as the page rendered it (consents, graduations, matches, mails).
    for name, value in re.findall(
        r'name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"', page.content.decode()
    ):
        form.setdefault(name, value)
    for i, consent in enumerate(person.consents.all()):
        form[f"consents-{i}-id"] = str(consent.pk)
        form[f"consents-{i}-person"] = str(person.pk)
    response = client.post(change, form, follow=True)
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.staff_note == STAFF_NOTE, response.context["adminform"].form.errors
    spot = make_spot()
    match = services.match_propose(spot=spot, person=person, note=MATCH_NOTE)
    services.match_transition(obj=match, to="contacted", data={"note": MATCH_NOTE})
    Graduate.objects.create(cohort=Cohort.objects.create(fiscal_year=2025, participants=12), person=person)
    export = client.get(reverse("admin:talentbank_person_export", args=[person.pk]))
    assert SECRETS["email"] in export.content.decode("utf-8")
    return person


def test_export_then_erasure_leaves_nothing_personal_in_any_table(client, person_everywhere):
    person = person_everywhere
    needles = list(SECRETS.values()) + [STAFF_NOTE, MATCH_NOTE]
    assert set(_scan_database(needles))  # the person really is everywhere before
    erase = reverse("admin:talentbank_person_erase", args=[person.pk])
    assert "消去する" in client.get(erase).content.decode()
    response = client.post(erase, follow=True)
    assert response.status_code == 200
    assert _scan_database(needles) == []
    history_fields = apps.get_model("talentbank", "HistoricalPerson_fields")
    assert not history_fields.objects.filter(person_id=person.pk).exists()
    # The history keeps its dates and states (kiyose.personal scrubs it), with every personal field blank.
    assert set(Person.history.filter(id=person.pk).values_list("name", "email", "staff_note")) == {("", "", "")}
    person.refresh_from_db()
    assert person.status == Person.Status.ERASED and person.erased_at
    assert ErasureRecord.objects.get().reason == "request"
    # Anonymous counts survive: the tombstone, the match, the graduation.
    assert Person.objects.ever_registered().count() == 1
    assert Match.objects.filter(person=person).count() == 1 and Graduate.objects.count() == 1


def test_erasure_is_idempotent_and_keeps_other_people(make_person):
    keep = make_person(name="残る 人", email="keep@example.jp")
    gone = make_person()
    services.person_erase(person=gone, reason="request")
    services.person_erase(person=gone, reason="request")
    assert ErasureRecord.objects.count() == 1
    keep.refresh_from_db()
    assert keep.name == "残る 人" and keep.status == Person.Status.ACTIVE


def test_erased_person_is_never_suggested_and_its_page_is_read_only(client, make_staff, make_person, make_spot):
    person = make_person(interests=["福祉・介護"])
    spot = make_spot()
    services.person_erase(person=person, reason="request")
    assert Person.objects.suggestions_for(spot) == []
    client.force_login(make_staff(Role.KYODO))
    page = client.get(reverse("admin:talentbank_person_change", args=[person.pk])).content.decode()
    assert "消去済みの登録" in page and 'name="email"' not in page


class TestRetention:
    @pytest.fixture
    def old(self, make_person, settings):
        settings.TALENTBANK_RETENTION_DAYS = 100
        settings.TALENTBANK_NOTICE_DAYS = 10
        long_ago = timezone.now() - timedelta(days=101)
        return {
            "mail": make_person(renewed_at=long_ago, email="old@example.jp"),
            "phone": make_person(renewed_at=long_ago, email="", phone="042-333-4444"),
            "fresh": make_person(renewed_at=timezone.now() - timedelta(days=99)),
        }

    def test_notice_then_erase_and_idempotent(self, old):
        now = timezone.now()
        nothing = {"noticed": 0, "erased": 0, "unconfirmed_erased": 0, "spot_contacts_erased": 0}
        assert services.retention_run(now=now) == nothing | {"noticed": 2}
        assert services.retention_run(now=now) == nothing
        notice = OutboundMail.objects.get(to=["old@example.jp"])
        assert "/talentbank/renew/" in notice.body
        old["phone"].refresh_from_db()
        assert old["phone"].retention_notice_at is not None  # flagged for a phone call
        later = now + timedelta(days=11)
        result = services.retention_run(now=later)
        assert result["erased"] == 2
        assert services.retention_run(now=later)["erased"] == 0
        statuses = {k: Person.objects.get(pk=p.pk).status for k, p in old.items()}
        assert statuses == {"mail": "erased", "phone": "erased", "fresh": "active"}
        assert not OutboundMail.objects.filter(to=["old@example.jp"]).exists()
        assert set(ErasureRecord.objects.values_list("reason", flat=True)) == {"retention"}

    def test_renewal_link_keeps_the_registration(self, client, old):
        now = timezone.now()
        services.retention_run(now=now)
        raw = re.search(r"/talentbank/renew/([^/\s]+)/", OutboundMail.objects.get(to=["old@example.jp"]).body)[1]
        assert "登録を続ける" in client.get(reverse("talentbank:renew", args=[raw])).content.decode()
        renewed = client.post(reverse("talentbank:renew", args=[raw]), follow=True)
        assert renewed.redirect_chain[-1][0] == reverse("talentbank:me", args=[raw])
        assert "登録を継続しました" in renewed.content.decode()
        person = Person.objects.get(pk=old["mail"].pk)
        assert person.retention_notice_at is None and person.renewed_at > now - timedelta(minutes=1)
        services.retention_run(now=now + timedelta(days=11))
        assert Person.objects.get(pk=person.pk).status == "active"

    def test_unconfirmed_registrations_are_erased(self, register, settings):
        settings.TALENTBANK_NOTICE_DAYS = 10
        person = register()
        Person.objects.filter(pk=person.pk).update(registered_at=timezone.now() - timedelta(days=11))
        assert services.retention_run()["unconfirmed_erased"] == 1
        assert Person.objects.get(pk=person.pk).status == "erased"

    def test_management_command(self, old, capsys):
        call_command("talentbank_retention")
        assert "案内 2 件" in capsys.readouterr().out
        call_command("talentbank_retention")
        assert "案内 0 件" in capsys.readouterr().out

    def test_an_ended_spots_contact_person_is_erased_after_the_retention_period(self, old, make_spot):
        ended = make_spot(status="closed", contact_name="担当 消去子", contact_phone="042-999-0000")
        running = make_spot(contact_name="担当 残る")
        Spot.objects.filter(pk=ended.pk).update(updated_at=timezone.now() - timedelta(days=101))
        assert services.retention_run()["spot_contacts_erased"] == 1
        ended.refresh_from_db()
        running.refresh_from_db()
        assert (ended.contact_name, ended.contact_email, ended.contact_phone) == ("", "", "")
        assert ended.title and running.contact_name == "担当 残る"
