import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from kiyose.portal import ROLE_APPS


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "app_labels"), list(ROLE_APPS.items()))
def test_each_group_holds_exactly_its_apps_model_permissions(role, app_labels):
    group = Group.objects.get(name=role)
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    expected = {
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for label in app_labels
        for model in apps.get_app_config(label).get_models()
        for action in model._meta.default_permissions
    }
    assert expected <= held
    assert {label for label, _ in held} <= set(app_labels)


@pytest.mark.django_db
def test_the_three_sections_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {"議会事務局", "未来創造課", "市民協働課"}


@pytest.mark.django_db
def test_staff_of_one_section_cannot_open_another_sections_admin(client, make_staff):
    client.force_login(make_staff("議会事務局"))
    assert client.get("/admin/").status_code == 200
    for label in ("talentbank", "certification", "sdgs"):
        assert client.get(f"/admin/{label}/").status_code == 404
