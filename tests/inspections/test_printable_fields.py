"""What a council types, or staff correct, and the letters print: only characters the vendored font holds,
refused at the field with the character named (an emoji would print as □ in a letter with the chair's name)."""

import pytest
from django.forms import modelform_factory

from inspections.forms import AcceptForm, DeclineForm, ProgrammeAdminForm, RequestAdminForm, RequestForm
from inspections.models import Programme, Request
from tests.inspections.factories import programme, submitted
from tests.inspections.test_request_form import form_data

pytestmark = pytest.mark.django_db
MESSAGE = "「🌻」は印刷できない文字です。別の文字に置き換えてください。"


@pytest.mark.parametrize("field", ["council", "committee", "topics_other"])
def test_public_request_refuses_unprintable_text_in_printed_fields(field):
    form = RequestForm(data=form_data(**{field: "ひまわり🌻会"}))
    assert not form.is_valid()
    assert form.errors[field] == [MESSAGE]


def test_public_request_accepts_unprintable_text_where_nothing_is_printed():
    # 備考 never reaches a document, so a visitor's emoji there is kept as typed.
    form = RequestForm(data=form_data(notes="よろしくお願いします🌻"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["notes"] == "よろしくお願いします🌻"


def test_accept_form_refuses_unprintable_place():
    obj = submitted()
    form = AcceptForm(
        data={"confirmed_date": obj.preferred_date_1.isoformat(), "confirmed_start": "13:30", "place": "第1会議室🌻"},
        obj=obj,
    )
    assert not form.is_valid()
    assert form.errors["place"] == [MESSAGE]


def test_decline_form_refuses_unprintable_reason():
    form = DeclineForm(data={"reason": "日程が合わないため🌻"}, obj=submitted())
    assert not form.is_valid()
    assert form.errors["reason"] == [MESSAGE]


@pytest.mark.parametrize("field", ["council", "committee", "topics_other", "place", "decline_reason"])
def test_staff_corrections_to_printed_request_fields_are_checked_too(field):
    form = modelform_factory(Request, form=RequestAdminForm, fields=[field])()
    assert MESSAGE in [str(e.message % e.params) for e in _errors(form.fields[field], "会議室🌻")]


def test_programme_title_is_printed_text():
    form = modelform_factory(Programme, form=ProgrammeAdminForm, fields=["title"])(instance=programme())
    assert MESSAGE in [str(e.message % e.params) for e in _errors(form.fields["title"], "子ども🌻")]


def _errors(field, value):
    from django.core.exceptions import ValidationError

    try:
        field.clean(value)
    except ValidationError as error:
        return error.error_list
    return []
