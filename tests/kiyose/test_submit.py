import pytest
from django.contrib.auth.models import Group

from kiyose.submit import submit_once

pytestmark = pytest.mark.django_db


def test_the_same_token_makes_one_row():
    made = []

    def create():
        made.append(1)
        return Group.objects.create(name="token-1")

    first = submit_once(model=Group, token="token-1", create=create, field="name")
    second = submit_once(model=Group, token="token-1", create=create, field="name")
    assert first == second and len(made) == 1


def test_a_race_lost_in_the_database_returns_the_winner(monkeypatch):
    # The other request committed the same token after our check: our check saw nothing, our insert fails.
    winner = Group.objects.create(name="token-2")
    real_first = type(Group.objects.all()).first
    calls = []

    def first_misses_once(queryset):
        calls.append(1)
        return None if len(calls) == 1 else real_first(queryset)

    monkeypatch.setattr(type(Group.objects.all()), "first", first_misses_once)
    duplicate = lambda: Group.objects.create(name="token-2")  # noqa: E731
    result = submit_once(model=Group, token="token-2", create=duplicate, field="name")
    assert result == winner
    assert Group.objects.filter(name="token-2").count() == 1


def test_other_integrity_errors_are_not_swallowed():
    from django.db import IntegrityError

    def create():
        return Group.objects.create(name=None)

    with pytest.raises(IntegrityError):
        submit_once(model=Group, token="token-3", create=create, field="name")
