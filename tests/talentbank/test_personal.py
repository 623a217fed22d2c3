"""The app's personal data is declared once per model (kiyose.personal), and the erasure, the export and the
retention run read that declaration: a marker in every declared personal field is gone from every table after
erasure, and a field left out of a declaration fails here."""

import pytest
from django.apps import apps
from django.db import connection

from kiyose.personal import NOT_PERSONAL, PersonalData, declaration_of, has_declaration, personal_erase
from talentbank import services
from talentbank.models import ErasureRecord, Match, Person
from tests.talentbank.factories import PERSONAL_FACTORIES, marker_values, personal_text_fields

pytestmark = pytest.mark.django_db

# Field names that look personal (tests/kiyose/test_personal.py's words) on models declared NOT_PERSONAL.
NOT_A_PERSON = {
    ("talentbank.field", "name"): "a field of activity's name",
    ("talentbank.cohort", "name"): "the programme's name",
}


def app_models():
    return [
        m
        for m in apps.get_app_config("talentbank").get_models()
        if not m.__name__.startswith("Historical") and not m._meta.auto_created
    ]


@pytest.mark.parametrize("model", app_models(), ids=lambda m: m._meta.label_lower)
def test_every_model_declares_every_field(model):
    assert has_declaration(model), model
    declaration = declaration_of(model)
    if declaration is None:
        names = {f.name for f in model._meta.concrete_fields}
        looks = {n for n in names if {"name", "email", "phone", "furigana"} & set(n.split("_"))}
        assert looks <= {n for (label, n) in NOT_A_PERSON if label == model._meta.label_lower}, model
        return
    assert declaration.undeclared() == [], f"{model._meta.label}: fields neither personal nor other"
    assert declaration.unknown() == [], model


def test_a_field_left_out_of_the_declaration_is_caught():
    partial = PersonalData(personal=["name", "email"], other=["status"]).bind(Person)
    assert {"phone", "skills", "fields", "staff_note"} <= set(partial.undeclared())
    assert NOT_PERSONAL is None


def test_every_model_with_personal_fields_has_a_factory_with_markers():
    personal = {
        m._meta.label_lower for m in app_models() if declaration_of(m) is not None and declaration_of(m).personal
    }
    assert personal == set(PERSONAL_FACTORIES)


def _tables_text() -> str:
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            text += [repr(row) for row in cursor.fetchall()]
    return "\n".join(text)


@pytest.mark.parametrize("label", sorted(PERSONAL_FACTORIES))
def test_erasure_leaves_no_marker_of_any_declared_field_in_any_table(label, mailoutbox):
    model = apps.get_model(label)
    markers = marker_values(model, "ZZ")
    assert markers, "a model with personal data has text fields to mark"
    obj = PERSONAL_FACTORIES[label](markers)
    before = _tables_text()
    for marker in markers.values():
        assert marker in before, marker
    if model is Person:
        services.person_erase(person=obj, reason=ErasureRecord.Reason.REQUEST, by="test")
    elif model is Match:
        services.person_erase(person=obj.person, reason=ErasureRecord.Reason.REQUEST, by="test")
    else:
        personal_erase(obj=obj)
    after = _tables_text()
    for marker in markers.values():
        assert marker not in after, marker


def test_the_person_erasure_also_blanks_choices_and_flags(make_person):
    person = make_person(
        age_band="60s", area="nakazato", available_days=5, ways=3, works_in_city=True, interests=["福祉・介護"]
    )
    services.person_erase(person=person, reason=ErasureRecord.Reason.REQUEST)
    person.refresh_from_db()
    assert (person.age_band, person.area, person.available_days, person.ways) == ("", "", 0, 0)
    assert not person.lives_in_city and not person.works_in_city and not person.fields.exists()
    assert person.status == Person.Status.ERASED and person.reference.startswith("TB")


def test_the_export_lists_every_declared_personal_field(make_person):
    person = make_person(staff_note="職員メモの内容")
    rows = services.person_export_rows(person=person)
    labels = {label for _section, label, _value in rows}
    for f in declaration_of(Person).personal_fields():
        assert str(f.verbose_name) in labels, f.name
    assert ["登録者", "職員メモ", "職員メモの内容"] in rows
    assert any(section == "同意記録" for section, _l, _v in rows)


def test_text_markers_cover_every_declared_text_field():
    for label in PERSONAL_FACTORIES:
        model = apps.get_model(label)
        assert {f.name for f in personal_text_fields(model)} == set(marker_values(model, "X"))
