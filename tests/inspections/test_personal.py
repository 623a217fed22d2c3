"""The app's personal data is declared on its models, and erasing a requester leaves nothing of theirs."""

import pytest
from django.apps import apps
from django.db import connection

from inspections.models import DocumentUpload, Request
from kiyose.personal import declaration_of, has_declaration, personal_erase
from tests.inspections.factories import PERSONAL_FACTORIES

pytestmark = pytest.mark.django_db


def test_every_model_declares_every_field():
    for model in apps.get_app_config("inspections").get_models():
        if model.__name__.startswith("Historical") or model._meta.auto_created:
            continue
        assert has_declaration(model), model
        declaration = declaration_of(model)
        if declaration is not None:
            assert declaration.undeclared() == [], model
            assert declaration.unknown() == [], model


def test_uploads_belong_to_their_request_in_the_register():
    assert declaration_of(DocumentUpload).belongs_to == "request"
    assert "file" in declaration_of(DocumentUpload).personal
    assert "email" in declaration_of(Request).personal


def _tables_text() -> str:
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            text += [repr(row) for row in cursor.fetchall()]
    return "\n".join(text)


def test_erasing_a_requester_removes_their_data_everywhere(private_files):
    markers = {
        "contact_name": "消去対象 太郎",
        "phone": "090-1111-2222",
        "email": "erase-me@example.jp",
        "notes": "消去対象の備考",
        "staff_note": "消去対象のメモ",
    }
    obj = PERSONAL_FACTORIES["inspections.request"](markers)
    upload = PERSONAL_FACTORIES["inspections.documentupload"]({"original_name": "消去対象名簿.pdf"})
    DocumentUpload.objects.filter(pk=upload.pk).update(request=obj)
    assert obj.contact_name == "消去対象 太郎" and "消去対象 太郎" in _tables_text()
    personal_erase(obj=obj)
    text = _tables_text()
    for marker in (*markers.values(), "消去対象名簿.pdf"):
        assert marker not in text, marker
    assert not private_files.exists(upload.file.name)
