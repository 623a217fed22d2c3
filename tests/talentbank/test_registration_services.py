import re
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from kiyose.models import OutboundMail
from sdgs.sources import source_get, sources_all
from talentbank import services
from talentbank.models import CONSENT_VERSION, CONSENTS, Cohort, Consent, Graduate, Match, Person, Spot
from tests.conftest import requires_postgres

from .conftest import registration_data

pytestmark = pytest.mark.django_db


def _link_token(kind="confirm"):
    mail = OutboundMail.objects.filter(body__contains=f"/talentbank/{kind}/").latest("created_at")
    return re.search(rf"/talentbank/{kind}/([^/\s]+)/", mail.body).group(1)


def test_three_consents_recorded_with_time_and_version(register):
    before = timezone.now()
    person = register(consent_share=False)
    consents = {c.kind: c for c in Consent.objects.filter(person=person)}
    assert set(consents) == {"retain", "share", "partner"}
    assert consents["retain"].granted and not consents["share"].granted and consents["partner"].granted
    for kind, consent in consents.items():
        assert consent.version == CONSENT_VERSION
        assert consent.wording == str(CONSENTS[kind])
        assert before <= consent.recorded_at <= timezone.now()


def test_one_answer_per_consent_at_a_time_in_the_database(register):
    person = register()
    recorded = person.consents.get(kind="retain").recorded_at
    with pytest.raises(IntegrityError):
        Consent.objects.create(
            person=person,
            kind="retain",
            version=CONSENT_VERSION,
            wording="x",
            granted=True,
            recorded_at=recorded,
        )


def test_withdrawal_is_a_new_row_and_the_latest_answer_counts(register, make_spot):
    person = register()
    services.person_confirm_by_phone(person=person)
    services.consent_withdraw(person=person, kind="partner")
    answers = list(person.consents.filter(kind="partner").order_by("recorded_at").values_list("granted", flat=True))
    assert answers == [True, False]
    with pytest.raises(ValidationError):
        services.match_propose(spot=make_spot(), person=person)
    with pytest.raises(ValidationError):
        services.consent_withdraw(person=person, kind="retain")


def test_only_the_hash_of_the_link_is_stored(register):
    person = register()
    raw = _link_token()
    assert person.token_hash and raw not in person.token_hash
    assert len(person.token_hash) == 64
    # The link secret's hash is not copied into the change history either.
    assert "token_hash" not in {f.name for f in Person.history.model._meta.fields}


def test_confirmation_link_completes_registration(client, register):
    person = register()
    url = reverse("talentbank:confirm", args=[_link_token()])
    page = client.get(url)
    assert page.status_code == 200 and "登録を完了する" in page.content.decode()
    person.refresh_from_db()
    assert person.status == Person.Status.PENDING  # a GET (mail scanner) does not confirm
    done = client.post(url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("talentbank:me", args=[_link_token()])
    assert "登録が完了しました" in done.content.decode() and person.name in done.content.decode()
    person.refresh_from_db()
    assert person.status == Person.Status.ACTIVE
    assert person.confirm_method == Person.ConfirmMethod.EMAIL
    assert person.confirmed_at and person.renewed_at and person.token_expires_at is None
    # Used: 410 with an explanation and the way to the person's own page (the same link).
    again = client.post(url)
    assert again.status_code == 410 and "すでに済んでいます" in again.content.decode()
    registered = OutboundMail.objects.filter(to=[person.email], subject__contains="登録が完了しました").get()
    assert reverse("talentbank:me", args=[_link_token()]) in registered.body


def test_expired_link_is_gone_and_a_wrong_one_never_existed(client, register):
    person = register()
    raw = _link_token()
    Person.objects.filter(pk=person.pk).update(token_expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.post(reverse("talentbank:confirm", args=[raw]))
    assert expired.status_code == 410 and "有効期限" in expired.content.decode()
    assert client.get(reverse("talentbank:me", args=[raw])).status_code == 410
    assert client.post(reverse("talentbank:confirm", args=["x" * 43])).status_code == 404
    assert client.post("/talentbank/confirm/" + "x" * 500 + "/").status_code == 404
    person.refresh_from_db()
    assert person.status == Person.Status.PENDING


def test_staff_confirm_by_phone(register):
    person = register(email="")
    services.person_confirm_by_phone(person=person)
    person.refresh_from_db()
    assert person.status == Person.Status.ACTIVE and person.confirm_method == Person.ConfirmMethod.PHONE
    with pytest.raises(ValidationError):
        services.person_confirm_by_phone(person=person)


def test_same_submission_token_gives_the_same_person(fields):
    token = uuid.uuid4()
    first = services.person_register(data=registration_data(fields), token=token, site_url="http://t/")
    second = services.person_register(data=registration_data(fields), token=token, site_url="http://t/")
    assert first.pk == second.pk and Person.objects.count() == 1


def test_database_refuses_a_person_without_contact(fields):
    with pytest.raises(IntegrityError):
        Person.objects.create(name="x", furigana="x", lives_in_city=True)


def test_office_mail_has_no_personal_data(register, settings):
    settings.TALENTBANK_OFFICE_EMAIL = "kyodo-office@example.jp"  # the deployment's internal mailbox
    person = register()
    office = OutboundMail.objects.get(to=["kyodo-office@example.jp"])
    for secret in (person.name, person.email, person.phone):
        assert secret not in office.body and secret not in office.subject


def _started(spot, person):
    match = services.match_propose(spot=spot, person=person)
    for step in ("contacted", "active"):
        match = services.match_transition(obj=match, to=step, data={})
    return match


def test_live_figures_count_what_the_proposal_defines(make_person, make_spot, fields):
    a, b, c, d = make_person(), make_person(), make_person(), make_person()
    senior = make_spot(project=Spot.Project.SENIOR)
    other_care = make_spot(title="夜間の見守り")  # a care facility, but not the project's
    city = make_spot(body_kind="city", body_name="清瀬市 高齢支援課", project=Spot.Project.SENIOR)
    for person in (a, b):
        _started(senior, person)
    services.match_propose(spot=senior, person=c)  # only proposed: not matched yet
    _started(other_care, c)  # any match to a care facility is not the project's
    _started(city, d)  # the project's, but not with a care facility
    # SDGs人材: every graduate, registered in the bank or not.
    cohort = Cohort.objects.create(fiscal_year=2025, participants=20, completed=16)
    Graduate.objects.create(cohort=cohort, person=a)
    Graduate.objects.create(cohort=cohort, person=b)
    unentered = Cohort.objects.create(fiscal_year=2026, participants=10)  # count not entered yet
    Graduate.objects.create(cohort=unentered, person=c)
    assert source_get("talentbank.registrations").compute() == 4
    assert source_get("talentbank.sdgs_graduates").compute() == 17
    assert source_get("talentbank.care_matches").compute() == 2
    label = source_get("talentbank.care_matches").label
    assert label == "シニアの力・循環プロジェクトにより介護事業所とマッチングした人数"
    assert source_get("talentbank.registrations").unit == "人"
    # Erasure keeps the anonymous counts (cumulative KPIs).
    services.person_erase(person=a, reason="request")
    assert source_get("talentbank.registrations").compute() == 4
    assert source_get("talentbank.sdgs_graduates").compute() == 17
    assert source_get("talentbank.care_matches").compute() == 2
    assert Match.objects.filter(person=a).count() == 1


def test_no_live_source_for_a_kpi_the_bank_cannot_count():
    # 「研修がきっかけで、福祉分野で働き始めた人数」: nobody's employment is in the bank; staff enter its actuals.
    keys = {s.key for s in sources_all() if s.key.startswith("talentbank.")}
    assert keys == {"talentbank.registrations", "talentbank.sdgs_graduates", "talentbank.care_matches"}


def test_resend_confirmation_replaces_the_link(client, register):
    person = register()
    first = _link_token()
    services.person_resend_confirmation(person=person, site_url="http://testserver/")
    second = _link_token()
    assert first != second
    assert client.post(reverse("talentbank:confirm", args=[first])).status_code == 404
    assert client.post(reverse("talentbank:confirm", args=[second])).status_code == 302
    with pytest.raises(ValidationError):
        services.person_resend_confirmation(person=person)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_creates_one_person(fields):
    """Two requests with the same submission token at the same moment (a double click): one registration."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    token = uuid.uuid4()
    data = registration_data(fields)

    def submit(_):
        try:
            return services.person_register(data=data, token=token, site_url="http://t/").pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        pks = list(pool.map(submit, range(4)))
    assert len(set(pks)) == 1
    assert Person.objects.count() == 1 and Consent.objects.count() == 3
