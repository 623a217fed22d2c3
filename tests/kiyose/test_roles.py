import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from kiyose.portal import ROLE_APPS, SHARED_PERMISSIONS


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
    assert held == expected | set(SHARED_PERMISSIONS)


@pytest.mark.django_db
def test_each_section_edits_only_its_own_contact_block(client, make_staff):
    from kiyose.models import Office

    client.force_login(make_staff("未来創造課"))
    own, other = Office.objects.get(key="mirai"), Office.objects.get(key="council")
    assert client.get(f"/admin/kiyose/office/{own.pk}/change/").status_code == 200
    assert client.get(f"/admin/kiyose/office/{other.pk}/change/").status_code in (302, 404)
    listing = client.get("/admin/kiyose/office/").content.decode()
    assert "未来創造課" in listing and "庶務調査係" not in listing


@pytest.mark.django_db
def test_the_three_sections_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {"議会事務局", "未来創造課", "市民協働課"}


@pytest.mark.django_db
def test_staff_of_one_section_cannot_open_another_sections_admin(client, make_staff):
    client.force_login(make_staff("議会事務局"))
    assert client.get("/admin/").status_code == 200
    for label in ("talentbank", "certification", "sdgs"):
        assert client.get(f"/admin/{label}/").status_code == 404
