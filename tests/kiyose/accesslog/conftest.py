"""What the access-log tests share: a mail holding personal values, a superuser signed in behind the trusted
proxy, the entries as recorded."""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from kiyose.models import AccessLog, OutboundMail

SECRET_VALUES = ("yamada.taro@example.jp", "山田太郎様 受付のお知らせ", "090-1234-5678", "清瀬市中里5-842")
PROXY = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9, 203.0.113.7"}


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]


@pytest.fixture
def mail():
    return OutboundMail.objects.create(
        to=[SECRET_VALUES[0]],
        subject=SECRET_VALUES[1],
        body=f"{SECRET_VALUES[1]}\n電話：{SECRET_VALUES[2]}\n住所：{SECRET_VALUES[3]}",
    )


@pytest.fixture
def admin_user(make_staff):
    return make_staff(username="kanri", superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def entries(**filters):
    return list(AccessLog.objects.filter(**filters).order_by("pk"))


def _request(client, user=None):
    request = RequestFactory().get("/staff-page/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    request.user = user or get_user_model().objects.get(username="kanri")
    request.resolver_match = None
    return request
