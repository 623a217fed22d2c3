"""The app's personal data is declared on its models: only enquiries hold any, and erasing one leaves nothing
of the sender's anywhere."""

import uuid

import pytest
from django.apps import apps
from django.db import connection

from kiyose.enquiries import enquiry_submit
from kiyose.personal import NOT_PERSONAL, declaration_of, has_declaration, personal_erase
from kiyose.portal import Role
from sdgs.models import Enquiry

pytestmark = pytest.mark.django_db


def test_every_model_declares_every_field():
    for model in apps.get_app_config("sdgs").get_models():
        if model.__name__.startswith("Historical") or model._meta.auto_created:
            continue
        assert has_declaration(model), model
        declaration = declaration_of(model)
        if declaration is not None:
            assert declaration.undeclared() == [], model
            assert declaration.unknown() == [], model


def test_only_the_enquiries_hold_personal_data_and_mirai_owns_them():
    holders = [
        m
        for m in apps.get_app_config("sdgs").get_models()
        if not m.__name__.startswith("Historical") and declaration_of(m) is not NOT_PERSONAL
    ]
    assert holders == [Enquiry]
    assert declaration_of(Enquiry).office == Role.MIRAI
    assert {"name", "email", "phone", "message"} <= set(declaration_of(Enquiry).personal)


def _tables_text() -> str:
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            text += [repr(row) for row in cursor.fetchall()]
    return "\n".join(text)


def test_erasing_an_enquiry_removes_the_senders_data_everywhere(django_capture_on_commit_callbacks):
    markers = {
        "name": "消去確認花子",
        "email": "erase-marker@example.jp",
        "phone": "042-000-9999",
        "subject": "消去確認の件名",
        "message": "消去確認の本文です。",
    }
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = enquiry_submit(model=Enquiry, office="mirai", area="SDGs未来都市", data=markers, token=uuid.uuid4())
    assert markers["email"] in _tables_text()
    personal_erase(obj=enquiry)
    text = _tables_text()
    for value in markers.values():
        assert value not in text
