import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certification import services
from certification.models import Application, Certificate, CertificateSlot
from kiyose.numbering import number_peek

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def test_received_to_reviewing_to_certified(make_application, settings):
    application = make_application(status="received")
    assert application.status == Application.Status.RECEIVED
    application = services.application_review_start(application=application)
    assert application.status == Application.Status.REVIEWING
    certificate = services.application_certify(application=application, today=DAY)
    application.refresh_from_db()
    assert application.status == Application.Status.CERTIFIED
    assert application.decided_at is not None
    assert certificate.number == "清瀬SDGs第001号"
    assert certificate.issued_on == DAY
    # 令和8年度 issue, two fiscal years on: the end of 令和10年度.
    assert certificate.valid_until == dt.date(2029, 3, 31)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.holder_name == application.org_name
    assert certificate.goals == [7, 11, 13]
    assert CertificateSlot.objects.get(certificate=certificate).number == 1


def test_numbers_follow_the_format_setting(make_application, settings):
    settings.CERTIFICATION_NUMBER_FORMAT = "清瀬SDGs第{n:04d}号"
    first = services.application_certify(application=make_application(), today=DAY)
    second = services.application_certify(application=make_application(), today=DAY)
    assert (first.number, second.number) == ("清瀬SDGs第0001号", "清瀬SDGs第0002号")


def test_certify_needs_review_first(make_application):
    application = make_application(status="received")
    with pytest.raises(ValidationError):
        services.application_certify(application=application, today=DAY)


def test_reject_needs_a_reason_and_records_it(make_application):
    application = make_application()
    with pytest.raises(ValidationError):
        services.application_reject(application=application, reason="  ")
    application = services.application_reject(application=application, reason="取組の実績が確認できません")
    assert application.status == Application.Status.REJECTED
    assert application.decision_reason == "取組の実績が確認できません"
    with pytest.raises(ValidationError):
        services.application_review_start(application=application)


def test_rejection_without_reason_is_refused_by_the_database(make_application):
    application = make_application()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(status="rejected", decision_reason="")


def test_withdraw_from_every_open_state(make_application, settings):
    received = services.application_withdraw(application=make_application(status="received"), reason="辞退")
    reviewing = services.application_withdraw(application=make_application(), reason="辞退")
    settings.CERTIFICATION_CAP = 0
    waiting = make_application()
    services.application_certify(application=waiting, today=DAY)
    waiting = services.application_withdraw(application=waiting, reason="辞退")
    assert {received.status, reviewing.status, waiting.status} == {Application.Status.WITHDRAWN}
    assert waiting.waitlisted_at is None
    with pytest.raises(ValidationError):
        services.application_withdraw(application=received)


def test_withdrawal_says_why(make_application):
    application = make_application()
    with pytest.raises(ValidationError) as refused:
        services.application_withdraw(application=application, reason="  ")
    assert "理由を入力してください" in str(refused.value)
    application.refresh_from_db()
    assert application.status == Application.Status.REVIEWING


def test_certified_application_cannot_be_withdrawn_or_rejected(make_application):
    application = make_application(status="certified")
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application)
    with pytest.raises(ValidationError):
        services.application_reject(application=application, reason="x")


def test_cap_puts_applications_on_the_waiting_list_in_order(make_application, settings):
    settings.CERTIFICATION_CAP = 2
    apps = [make_application(org_name=f"団体{i}") for i in range(4)]
    results = [services.application_certify(application=a, today=DAY) for a in apps]
    assert [r is not None for r in results] == [True, True, False, False]
    assert services.places_left() == 0
    waiting = list(Application.objects.waiting_in_order())
    assert [a.pk for a in waiting] == [apps[2].pk, apps[3].pk]
    assert Certificate.objects.in_force().count() == 2
    # A place frees: the first in line is certified, the second keeps waiting.
    services.certificate_revoke(certificate=results[0], reason="虚偽の申請が判明したため", today=DAY)
    apps[2].refresh_from_db()
    apps[3].refresh_from_db()
    assert apps[2].status == Application.Status.CERTIFIED
    assert apps[3].status == Application.Status.WAITING
    assert Certificate.objects.in_force().count() == 2
    assert apps[2].certificate.number == "清瀬SDGs第003号"


def test_waiting_application_keeps_its_place_when_certified_again(make_application, settings):
    settings.CERTIFICATION_CAP = 0
    application = make_application()
    services.application_certify(application=application, today=DAY)
    application.refresh_from_db()
    first_time = application.waitlisted_at
    services.application_certify(application=application, today=DAY)
    application.refresh_from_db()
    assert application.waitlisted_at == first_time


def test_raising_the_cap_and_promoting(make_application, settings):
    settings.CERTIFICATION_CAP = 1
    services.application_certify(application=make_application(), today=DAY)
    waiting = make_application()
    services.application_certify(application=waiting, today=DAY)
    settings.CERTIFICATION_CAP = 2
    issued = services.waitlist_promote(today=DAY)
    assert len(issued) == 1 and issued[0].application_id == waiting.pk


def test_slot_cannot_hold_two_certificates(make_certificate):
    first = make_certificate()
    second = make_certificate()
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateSlot.objects.filter(certificate=second).update(certificate=first)


def test_revoke_needs_reason_and_frees_the_place(make_certificate, settings):
    settings.CERTIFICATION_CAP = 1
    certificate = make_certificate()
    assert services.places_left() == 0
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, reason="", today=DAY)
    certificate = services.certificate_revoke(certificate=certificate, reason="活動実態がないため", today=DAY)
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.ended_on == DAY
    assert services.places_left() == 1
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, reason="again", today=DAY)


def test_renewal_only_in_the_final_fiscal_year(make_certificate):
    certificate = make_certificate()
    with pytest.raises(ValidationError):
        services.certificate_renew(certificate=certificate, today=dt.date(2027, 6, 1))
    renewed = services.certificate_renew(certificate=certificate, today=dt.date(2028, 10, 1))
    assert renewed.valid_until == dt.date(2031, 3, 31)
    assert renewed.renewed_on == dt.date(2028, 10, 1)


def test_renewal_refused_while_a_report_is_due(make_certificate):
    certificate = make_certificate()
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REPORT_DUE)
    with pytest.raises(ValidationError):
        services.certificate_renew(certificate=certificate, today=dt.date(2028, 10, 1))


def test_scores_are_checked_against_the_question(make_application):
    application = make_application()
    answers = list(application.answers.select_related("question"))
    services.application_score(application=application, scores={answers[0].question_id: 2}, notes="良好")
    application.refresh_from_db()
    assert application.score_total == 2
    assert application.reviewer_notes == "良好"
    with pytest.raises(ValidationError):
        services.application_score(application=application, scores={answers[1].question_id: 99})


def test_counter_never_reuses_numbers(make_certificate):
    a = make_certificate()
    services.certificate_revoke(certificate=a, reason="理由", today=DAY)
    b = make_certificate()
    assert b.serial == a.serial + 1
    assert number_peek(key="certification-certificate") == 2


def test_seed_is_idempotent_and_has_no_holders(db):
    from certification import seed
    from certification.models import SelfCheckQuestion

    seed.load()
    first = list(SelfCheckQuestion.objects.values_list("pk", "text"))
    seed.load()
    assert list(SelfCheckQuestion.objects.values_list("pk", "text")) == first
    assert len(first) >= 5
    assert not Application.objects.exists() and not Certificate.objects.exists()


def test_waiting_application_can_be_rejected_and_leaves_the_line(make_application, settings):
    settings.CERTIFICATION_CAP = 0
    application = make_application()
    services.application_certify(application=application, today=DAY)
    application = services.application_reject(application=application, reason="上限のため今年度は見送り")
    assert application.status == Application.Status.REJECTED
    assert not Application.objects.waiting_in_order().exists()


def test_certificate_awaiting_its_report_can_be_revoked(make_certificate):
    certificate = make_certificate()
    services.certification_lifecycle(today=dt.date(2027, 6, 1))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REPORT_DUE
    certificate = services.certificate_revoke(
        certificate=certificate, reason="連絡が取れないため", today=dt.date(2027, 6, 2)
    )
    assert certificate.status == Certificate.Status.REVOKED
    assert not CertificateSlot.objects.filter(certificate=certificate).exists()


def test_ended_certificates_cannot_be_renewed(make_certificate):
    certificate = make_certificate()
    services.certificate_revoke(certificate=certificate, reason="理由", today=DAY)
    with pytest.raises(ValidationError):
        services.certificate_renew(certificate=certificate, today=dt.date(2028, 10, 1))
