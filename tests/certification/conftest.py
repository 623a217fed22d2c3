import datetime as dt
import uuid

import pytest

from certification import seed, services
from certification.models import Application, SelfCheckQuestion
from tests.certification.factories import application_data


@pytest.fixture
def questions(db):
    seed.load()
    return list(SelfCheckQuestion.objects.filter(active=True))


@pytest.fixture
def make_application(questions):
    def _make(status: str = "reviewing", **overrides) -> Application:
        application = services.application_submit(
            data=application_data(**overrides), answers={q.pk: True for q in questions}, token=uuid.uuid4()
        )
        if status in ("reviewing", "certified"):
            application = services.application_review_start(application=application)
        if status == "certified":
            services.application_certify(application=application, today=overrides.get("today", dt.date(2026, 6, 1)))
            application.refresh_from_db()
        return application

    return _make


@pytest.fixture
def make_certificate(make_application):
    def _make(*, today: dt.date = dt.date(2026, 6, 1), **overrides):
        application = make_application(**overrides)
        certificate = services.application_certify(application=application, today=today)
        assert certificate is not None
        return certificate

    return _make


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Public pages cache their HTML; each test starts from an empty cache.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
