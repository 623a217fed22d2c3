"""The cap and the numbering under concurrent certifiers, on PostgreSQL with real threads and connections."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection

from certification import seed, services
from certification.models import Application, Certificate, CertificateSlot, SelfCheckQuestion
from tests.certification.conftest import application_data
from tests.conftest import requires_postgres

DAY = dt.date(2026, 6, 1)
pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_together(target, args_list):
    barrier = threading.Barrier(len(args_list))
    errors = []

    def worker(*args):
        try:
            barrier.wait(timeout=10)
            target(*args)
        except Exception as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors


def _applications(n: int) -> list[int]:
    seed.load()
    answers = {q.pk: True for q in SelfCheckQuestion.objects.all()}
    ids = []
    for i in range(n):
        application = services.application_submit(
            data=application_data(org_name=f"団体{i}"), answers=answers, token=uuid.uuid4()
        )
        services.application_review_start(application=application)
        ids.append(application.pk)
    return ids


def test_cap_is_never_exceeded_when_staff_certify_at_the_same_moment(settings):
    settings.CERTIFICATION_CAP = 3
    ids = _applications(8)

    def certify(pk):
        services.application_certify(application=Application.objects.get(pk=pk), today=DAY)

    _run_together(certify, [(pk,) for pk in ids])
    assert Certificate.objects.count() == 3
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [1, 2, 3]
    assert CertificateSlot.objects.filter(certificate__isnull=False).count() == 3
    assert Application.objects.filter(status="waiting").count() == 5
    assert services.places_left() == 0


def test_two_certifiers_on_the_last_place(settings):
    settings.CERTIFICATION_CAP = 1
    for _round in range(5):
        ids = _applications(2)
        _run_together(
            lambda pk: services.application_certify(application=Application.objects.get(pk=pk), today=DAY),
            [(pk,) for pk in ids],
        )
        assert Certificate.objects.in_force().count() == 1
        certificate = Certificate.objects.in_force().get()
        services.certificate_revoke(certificate=certificate, reason="次の回のため", today=DAY)
        # Revoking promotes the waiting one into the freed place: still one in force.
        assert Certificate.objects.in_force().count() == 1
        services.certificate_revoke(certificate=Certificate.objects.in_force().get(), reason="片付け", today=DAY)
        assert services.places_left() == 1


def test_double_submit_at_the_same_moment_makes_one_application():
    seed.load()
    answers = {q.pk: True for q in SelfCheckQuestion.objects.all()}
    token = uuid.uuid4()
    _run_together(
        lambda: services.application_submit(data=application_data(), answers=answers, token=token),
        [() for _ in range(4)],
    )
    assert Application.objects.filter(submission_token=token).count() == 1
