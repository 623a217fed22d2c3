import datetime as dt
import uuid

import pytest

from certification import seed, services
from certification.models import Application, SelfCheckQuestion


@pytest.fixture
def questions(db):
    seed.load()
    return list(SelfCheckQuestion.objects.filter(active=True))


def application_data(**overrides) -> dict:
    data = {
        "org_name": "株式会社きよせグリーン",
        "org_name_kana": "かぶしきがいしゃきよせぐりーん",
        "kind": "company",
        "intake": "shokokai",
        "address": "東京都清瀬市中里5-842",
        "url": "https://example.jp/",
        "representative_title": "代表取締役",
        "representative_name": "清瀬 太郎",
        "contact_name": "清瀬 花子",
        "contact_email": "hanako@example.jp",
        "contact_phone": "042-492-5111",
        "goals": [7, 11, 13],
        "initiative_economy": "市内の農家と連携した地産地消の商品づくり",
        "initiative_society": "地域の子ども食堂への食材提供",
        "initiative_environment": "店舗の照明のLED化と太陽光発電",
        "summary": "地産地消と省エネルギーに取り組む市内の事業者です。",
        "commit_annual_report": True,
        "consent_publication": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_application(questions):
    def _make(status: str = "reviewing", **overrides) -> Application:
        application = services.application_submit(
            data=application_data(**overrides), answers={q.pk: True for q in questions}, token=uuid.uuid4()
        )
        if status in ("reviewing", "certified"):
            application = services.application_review_start(application=application)
        if status == "certified":
            services.application_certify(
                application=application, today=overrides.get("today", dt.date(2026, 6, 1))
            )
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
