"""Every model declares its personal data (kiyose.personal), and the declaration classifies every field: a field
added to a model and left out of its declaration fails here. The register of personal-information files is
generated from the same declarations."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from kiyose import personal
from kiyose.models import Counter, OutboundAttachment, OutboundMail
from kiyose.personal import NOT_PERSONAL, PersonalData, concrete_fields, declaration_of, has_declaration
from kiyose.portal import APPS
from tests.kiyose.registry_support import PENDING_APPS

# The apps whose every model must carry a declaration: every feature app (kiyose.portal.APPS) but those still
# being converted (PENDING_APPS, emptied at merge), and the kit's own.
COVERED_APPS = (*(app for app in APPS if app not in PENDING_APPS), "kiyose", "kiyose_staff")
# Models of other apps that hold personal data of ours.
COVERED_MODELS = ("auth.User",)

# Field names (split on "_") and types that look like a person's data.
PERSONAL_LOOKING_WORDS = {
    "email",
    "mail",
    "phone",
    "tel",
    "fax",
    "name",
    "furigana",
    "kana",
    "address",
    "birth",
    "birthday",
    "birthdate",
    "postcode",
    "zipcode",
}
PERSONAL_LOOKING_TYPES = (models.EmailField,)

# NOT_PERSONAL models whose fields only look personal, each with the reason.
ALLOWED_PERSONAL_LOOKING = {
    ("kiyose.office", "name"): "an office's published contact block (its name), not a person's",
    ("kiyose.office", "address"): "the office's published address",
    ("kiyose.office", "phone"): "the office's published direct line",
    ("kiyose.office", "phone_main"): "the city hall's switchboard",
    ("kiyose.office", "fax"): "the office's published fax number",
    ("kiyose.office", "email"): "the office's published address for enquiries",
    ("kiyose.office", "postcode"): "the office's published postcode",
    ("inspections.councilsession", "name"): "a council session's name (令和8年第2回定例会), not a person's",
    ("sdgs.goal", "name"): "an SDG's name (貧困をなくそう), not a person's",
    ("sdgs.initiative", "name"): "an initiative's name in the proposal, not a person's",
    ("sdgs.scheduleline", "name"): "a row of the proposal's schedule, not a person's",
    ("sdgs.supportscheme", "name"): "a national support scheme's name, not a person's",
    ("talentbank.field", "name"): "an activity field's name (福祉・介護), not a person's",
    ("talentbank.cohort", "name"): "an SDGs人材 course cohort's name (令和7年度 第1期), not a person's",
}


def covered_models():
    found = []
    for label in COVERED_APPS:
        for model in apps.get_app_config(label).get_models():
            # Proxies share their concrete model's declaration; history tables are scrubbed with their model's.
            if model._meta.proxy or hasattr(model, "instance_type"):
                continue
            found.append(model)
    return found + [apps.get_model(label) for label in COVERED_MODELS]


MODELS = covered_models()
IDS = [m._meta.label_lower for m in MODELS]


@pytest.fixture
def declared():
    """declared(model, PersonalData(...)) for one test; the previous declarations come back afterwards."""
    saved = dict(personal._THIRD_PARTY)
    yield personal.declare
    personal._THIRD_PARTY.clear()
    personal._THIRD_PARTY.update(saved)


def looks_personal(field) -> bool:
    words = set(field.name.lower().split("_"))
    return bool(words & PERSONAL_LOOKING_WORDS) or isinstance(field, PERSONAL_LOOKING_TYPES)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_every_model_declares_its_personal_data(model):
    assert has_declaration(model), (
        f"{model._meta.label}: add `personal_data = PersonalData(...)` (or NOT_PERSONAL) to the model"
    )


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_every_field_is_declared_personal_or_other(model):
    declaration = declaration_of(model)
    if declaration is None:
        return
    assert declaration.undeclared() == [], f"{model._meta.label}: fields missing from personal_data"
    assert declaration.unknown() == [], f"{model._meta.label}: personal_data names fields the model lacks"
    assert not set(declaration.personal) & set(declaration.other), f"{model._meta.label}: a field in both lists"


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_a_subject_file_says_what_the_register_prints(model):
    declaration = declaration_of(model)
    if declaration is None or not declaration.personal or declaration.belongs_to:
        return
    for item in ("file", "office", "purpose", "source", "retention"):
        assert str(getattr(declaration, item)).strip(), f"{model._meta.label}: personal_data lacks {item}"


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_a_model_declared_not_personal_has_no_field_that_looks_personal(model):
    if declaration_of(model) is not None:
        return
    label = model._meta.label_lower
    suspicious = [
        f.name for f in concrete_fields(model) if looks_personal(f) and (label, f.name) not in ALLOWED_PERSONAL_LOOKING
    ]
    assert suspicious == [], f"{model._meta.label}: declare these as personal, or allow them with a reason"


def test_the_walk_covers_the_kit_the_staff_accounts_and_every_converted_app():
    assert {"kiyose.outboundmail", "kiyose.office", "kiyose.accesslog", "auth.user"} <= set(IDS)
    assert {app for app in APPS if app not in PENDING_APPS} <= {label.split(".")[0] for label in IDS}
    assert not any(label.startswith("kiyose.historical") for label in IDS)


def test_a_field_left_out_of_a_declaration_is_reported():
    partial = PersonalData(personal=["to", "subject"], other=["created_at"]).bind(OutboundMail)
    assert "body" in partial.undeclared()
    assert "sent_at" in partial.undeclared()
    misspelt = PersonalData(personal=["to", "subjekt"], other=[]).bind(OutboundMail)
    assert misspelt.unknown() == ["subjekt"]


def test_a_model_without_a_declaration_is_reported(declared):
    assert has_declaration(Counter)  # its own `personal_data = NOT_PERSONAL`
    assert not has_declaration(apps.get_model("auth.Group"))
    declared(apps.get_model("auth.Group"), NOT_PERSONAL)
    assert has_declaration(apps.get_model("auth.Group"))


def test_a_not_personal_model_with_an_email_field_is_caught():
    field = models.EmailField(name="contact")
    field.name = "contact"
    assert looks_personal(field)
    assert looks_personal(models.CharField(name="furigana"))
    assert looks_personal(models.CharField(name="contact_phone"))
    assert not looks_personal(models.CharField(name="reference"))


# --- the register -----------------------------------------------------------------------------------------
def _file(name: str) -> dict:
    matches = [f for f in personal.files() if f["file"] == name]
    assert len(matches) == 1, [f["file"] for f in personal.files()]
    return matches[0]


def test_the_register_lists_the_kits_files_from_their_declarations():
    mail = _file("送信メール記録")
    assert mail["office"] == personal.SYSTEMS_OFFICE
    # The items are the fields' names as staff know them, the attachments' folded into their mail's file.
    assert mail["items"] == ["宛先", "件名", "本文", "返信先", "直近のエラー", "ファイル名", "内容"]
    assert mail["models"] == ["kiyose.outboundmail"]
    staff = _file("職員アカウント")
    assert "メールアドレス" in staff["items"] and "ユーザー名" in staff["items"]
    assert _file("個人情報アクセス記録")["retention"].startswith("5年")


def test_a_new_declaration_appears_in_the_register(declared):
    declared(
        Counter,
        PersonalData(
            file="テスト用の番号簿",
            office="市民協働課",
            purpose="試験",
            source="職員が入力",
            retention="1年",
            personal=["key"],
            other=["value"],
        ),
    )
    entry = _file("テスト用の番号簿")
    assert entry["items"] == [str(Counter._meta.get_field("key").verbose_name)]
    assert entry["viewers"] == "市民協働課の職員"
    assert entry["retention"] == "1年"


def test_models_sharing_a_file_and_office_make_one_entry_and_other_offices_their_own(declared):
    base = {"purpose": "試験", "source": "本人", "retention": "3年", "other": []}
    declared(Counter, PersonalData(file="共通ファイル", office="未来創造課", personal=["key", "value"], **base))
    declared(
        apps.get_model("auth.Group"), PersonalData(file="共通ファイル", office="未来創造課", personal=["name"], **base)
    )
    declared(
        apps.get_model("auth.Permission"),
        PersonalData(file="共通ファイル", office="議会事務局", personal=["name"], **{**base, "other": []}),
    )
    entries = [f for f in personal.files() if f["file"] == "共通ファイル"]
    assert {e["office"] for e in entries} == {"未来創造課", "議会事務局"}
    mirai = next(e for e in entries if e["office"] == "未来創造課")
    assert sorted(mirai["models"]) == ["auth.group", "kiyose.counter"]


def test_a_dependent_is_folded_into_its_subject_not_listed_alone():
    assert declaration_of(OutboundAttachment).belongs_to == "mail"
    assert not [f for f in personal.files() if "kiyose.outboundattachment" in f["models"]]


def test_the_access_log_models_are_those_with_personal_fields(declared):
    assert OutboundMail in personal.personal_models()
    assert get_user_model() in personal.personal_models()
    assert Counter not in personal.personal_models()
    declared(
        OutboundMail,
        PersonalData(
            file="x",
            office="市民協働課",
            personal=["to"],
            other=[f.name for f in concrete_fields(OutboundMail) if f.name != "to"],
        ),
    )
    # Beside the apps' own files of each office (which grow as the apps declare theirs).
    assert "kiyose.outboundmail" in personal.models_of_offices(["市民協働課"])
    assert "kiyose.outboundmail" not in personal.models_of_offices(["議会事務局"])
    for office in ("議会事務局", "未来創造課", "市民協働課"):
        assert all(
            str(declaration_of(apps.get_model(label)).office) == office
            for label in personal.models_of_offices([office])
        )


@pytest.mark.parametrize(("days", "label"), [(1826, "5年"), (1095, "3年"), (365, "1年"), (30, "30日"), (400, "400日")])
def test_retention_periods_read_as_the_register_prints_them(days, label):
    assert personal.days_label(days) == label
