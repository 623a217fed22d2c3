import pytest
from django.db import transaction

from tests.kiyose.registry_support import seed_everything


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed data of every app, loaded once for a module of registry-driven tests and rolled back after it
    (each test's own writes are rolled back as usual, inside this)."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_everything()
        yield
        transaction.set_rollback(True)
