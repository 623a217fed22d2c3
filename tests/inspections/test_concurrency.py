"""Concurrent writers on PostgreSQL: reference numbers and the last slot of a day."""

import datetime as dt
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from inspections.models import Request, Status, VisitSlot
from inspections.services.requests import request_submit, request_transition
from tests.conftest import requires_postgres
from tests.inspections.factories import request_data, submitted, visit_day, walk

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(n: int, work) -> list:
    """Run work(i) in n threads released at the same moment; returns each result or exception."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # the test inspects what each thread met
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_fifty_simultaneous_submissions_get_fifty_distinct_numbers():
    results = run_together(
        50,
        lambda i: request_submit(data=request_data(council=f"市{i}議会"), topics=[], token=uuid.uuid4()).reference,
    )
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == 50
    assert Request.objects.count() == 50
    serials = sorted(int(r.split("-")[1]) for r in results)
    assert serials == list(range(1, 51))


def test_a_double_submit_racing_itself_creates_one_request():
    token = uuid.uuid4()
    results = run_together(5, lambda i: request_submit(data=request_data(), topics=[], token=token).pk)
    assert len(set(results)) == 1, results
    assert Request.objects.count() == 1


def _accept_together(requests, day):
    return run_together(
        len(requests),
        lambda i: request_transition(
            obj=requests[i], to=Status.ACCEPTED, data={"confirmed_date": day, "confirmed_start": dt.time(10)}
        ),
    )


def test_two_staff_accepting_into_the_last_slot_exactly_one_succeeds(settings):
    day = visit_day()
    settings.INSPECTIONS_DAILY_CAPACITY = 1
    requests = [walk(submitted(), Status.COORDINATING) for _ in range(2)]
    results = _accept_together(requests, day)
    succeeded = [r for r in results if isinstance(r, Request)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(succeeded) == 1 and len(refused) == 1, results
    assert "受け入れ枠はすでにいっぱい" in str(refused[0])
    assert VisitSlot.objects.filter(date=day).count() == 1
    assert Request.objects.filter(status=Status.ACCEPTED).count() == 1


@pytest.mark.parametrize("capacity", [2, 3])
def test_simultaneous_acceptances_all_succeed_while_places_are_free(settings, capacity):
    day = visit_day()
    settings.INSPECTIONS_DAILY_CAPACITY = capacity
    requests = [walk(submitted(), Status.COORDINATING) for _ in range(capacity)]
    results = _accept_together(requests, day)
    assert all(isinstance(r, Request) for r in results), results
    assert sorted(VisitSlot.objects.filter(date=day).values_list("index", flat=True)) == list(range(capacity))
    assert Request.objects.filter(status=Status.ACCEPTED, confirmed_date=day).count() == capacity


@pytest.mark.parametrize("capacity", [2, 3])
def test_more_acceptances_than_places_fill_the_day_and_refuse_only_the_rest(settings, capacity):
    day = visit_day()
    settings.INSPECTIONS_DAILY_CAPACITY = capacity
    requests = [walk(submitted(), Status.COORDINATING) for _ in range(capacity + 3)]
    results = _accept_together(requests, day)
    succeeded = [r for r in results if isinstance(r, Request)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(succeeded) == capacity and len(refused) == 3, results
    assert all("受け入れ枠はすでにいっぱい" in str(r) for r in refused)
    assert VisitSlot.objects.filter(date=day).count() == capacity
    assert Request.objects.filter(status=Status.ACCEPTED).count() == capacity
    assert Request.objects.filter(status=Status.COORDINATING).count() == 3
