"""Permission matrix: every staff group × every talent-bank model × every admin action.

Only 市民協働課 and superusers get in; 議会事務局, 未来創造課 and staff without a group get 403 everywhere,
exports and the suggestion list included."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from kiyose.portal import Role
from talentbank.models import Cohort, ErasureRecord, Field, Graduate, Match, Person, Spot

pytestmark = pytest.mark.django_db

MODELS = [Field, Person, Spot, Match, Cohort, Graduate, ErasureRecord]
ACTIONS = ["changelist", "add", "change", "delete", "history"]
EXTRA = ["export", "erase", "suggestions"]
ROLES = [Role.KYODO, "superuser", Role.COUNCIL, Role.MIRAI, "no-group"]

# What the owning section may do: people and consents are not added or deleted in the admin (people register
# on the public form; leaving the bank is erasure), the erasure log is read-only.
NOT_OFFERED = {
    (Person, "add"),
    (Person, "delete"),
    (ErasureRecord, "add"),
    (ErasureRecord, "delete"),
}


@pytest.fixture
def objects(make_person, make_spot, fields):
    person = make_person(interests=["福祉・介護"])
    spot = make_spot()
    match = Match.objects.create(spot=spot, person=person)
    cohort = Cohort.objects.create(fiscal_year=2026, participants=16)
    graduate = Graduate.objects.create(cohort=cohort, person=person)
    record = ErasureRecord.objects.create(person_ref="TB000999", reason="request")
    return {
        Field: fields["防災"],
        Person: person,
        Spot: spot,
        Match: match,
        Cohort: cohort,
        Graduate: graduate,
        ErasureRecord: record,
    }


def _user(make_staff, role):
    if role == "superuser":
        return make_staff(username="root", superuser=True)
    if role == "no-group":
        return make_staff(username="nobody")
    return make_staff(role)


def _url(model, action, obj):
    name = f"admin:talentbank_{model._meta.model_name}_{action}"
    if action in ("changelist", "add"):
        return reverse(name)
    return reverse(name, args=[obj.pk])


def _expected(role, model, action):
    if role not in (Role.KYODO, "superuser"):
        return 403
    if (model, action) in NOT_OFFERED:
        return 403
    return 200


@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(client, make_staff, objects, role):
    client.force_login(_user(make_staff, role))
    failures = []
    for model in MODELS:
        for action in ACTIONS:
            if model is ErasureRecord and action == "change":
                expected = 200 if role in (Role.KYODO, "superuser") else 403  # view-only page
            else:
                expected = _expected(role, model, action)
            response = client.get(_url(model, action, objects[model]))
            if response.status_code != expected:
                failures.append(f"{model.__name__}.{action}: {response.status_code} != {expected}")
    person, spot = objects[Person], objects[Spot]
    for name, url in [
        ("export", reverse("admin:talentbank_person_export", args=[person.pk])),
        ("erase", reverse("admin:talentbank_person_erase", args=[person.pk])),
        ("suggestions", reverse("admin:talentbank_spot_suggestions", args=[spot.pk])),
    ]:
        expected = 200 if role in (Role.KYODO, "superuser") else 403
        response = client.get(url)
        if response.status_code != expected:
            failures.append(f"{name}: {response.status_code} != {expected}")
    assert not failures, failures


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.MIRAI, "no-group"])
def test_other_groups_cannot_write_either(client, make_staff, objects, role):
    client.force_login(_user(make_staff, role))
    person, spot = objects[Person], objects[Spot]
    posts = [
        reverse("admin:talentbank_person_erase", args=[person.pk]),
        reverse("admin:talentbank_spot_suggestions", args=[spot.pk]),
        reverse("admin:talentbank_person_change", args=[person.pk]),
        reverse("admin:talentbank_field_add"),
    ]
    for url in posts:
        assert client.post(url, {"person": person.pk, "name": "x"}).status_code == 403, url
    person.refresh_from_db()
    assert person.status == Person.Status.ACTIVE and person.name.startswith("テスト")


def test_model_permissions_alone_do_not_open_people(client, make_staff, objects):
    """A user handed the talentbank permissions without the 市民協働課 group is still refused."""
    user = make_staff(username="borrowed")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="talentbank"))
    client.force_login(user)
    assert client.get(reverse("admin:talentbank_person_changelist")).status_code == 403
    assert client.get(reverse("admin:talentbank_person_export", args=[objects[Person].pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, objects):
    response = client.get(reverse("admin:talentbank_person_export", args=[objects[Person].pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_index_hides_talentbank_from_other_groups(client, make_staff, objects):
    client.force_login(make_staff(Role.COUNCIL))
    assert "市民人材バンク" not in client.get(reverse("admin:index")).content.decode()
    client.force_login(make_staff(Role.KYODO))
    assert "市民人材バンク" in client.get(reverse("admin:index")).content.decode()


def test_export_is_the_persons_data_as_excel_csv(client, make_staff, objects):
    client.force_login(make_staff(Role.KYODO))
    person = objects[Person]
    response = client.get(reverse("admin:talentbank_person_export", args=[person.pk]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert person.name in text and person.email in text
    assert "連携団体" in text and "2026" in text
    assert timezone.localdate().isoformat()[:4] in text
