"""The app's personal data is declared on its models, and erasing an applicant (or an enquirer) leaves nothing
of theirs in any table: the application, the certificate's contact address, the history, the mails."""

import pytest
from django.apps import apps
from django.db import connection

from certification.models import Application, Certificate
from kiyose.personal import declaration_of, has_declaration, personal_erase
from tests.certification.factories import PERSONAL_FACTORIES

pytestmark = pytest.mark.django_db


def test_every_model_declares_every_field():
    for model in apps.get_app_config("certification").get_models():
        if model.__name__.startswith("Historical") or model._meta.auto_created:
            continue
        assert has_declaration(model), model
        declaration = declaration_of(model)
        if declaration is not None:
            assert declaration.undeclared() == [], model
            assert declaration.unknown() == [], model


def test_every_model_with_personal_data_has_a_factory():
    personal = [
        m._meta.label_lower
        for m in apps.get_app_config("certification").get_models()
        if has_declaration(m) and declaration_of(m) is not None and not declaration_of(m).belongs_to
    ]
    assert sorted(personal) == sorted(PERSONAL_FACTORIES)


def test_the_certificates_contact_belongs_to_the_application():
    assert declaration_of(Certificate).belongs_to == "application"
    assert "contact_email" in declaration_of(Certificate).personal
    assert {"representative_name", "contact_name", "contact_email", "contact_phone"} <= set(
        declaration_of(Application).personal
    )


def _tables_text() -> str:
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            text += [repr(row) for row in cursor.fetchall()]
    return "\n".join(text)


def _markers(model_label: str) -> dict:
    model = apps.get_model(model_label)
    markers = {}
    for field in declaration_of(model).personal_fields():
        if field.get_internal_type() == "EmailField" or field.name.endswith("email"):
            markers[field.name] = f"erase-{field.name.replace('_', '-')}@example.jp"
        elif field.name.endswith("phone"):
            markers[field.name] = "090-1111-2222"
        else:
            markers[field.name] = f"消去対象の{field.verbose_name}"
    return markers


@pytest.mark.parametrize("label", sorted(PERSONAL_FACTORIES))
def test_erasure_leaves_no_marker_in_any_table(label):
    markers = _markers(label)
    obj = PERSONAL_FACTORIES[label](markers)
    text = _tables_text()
    for marker in markers.values():
        assert marker in text, marker
    personal_erase(obj=obj)
    text = _tables_text()
    for marker in markers.values():
        assert marker not in text, marker
