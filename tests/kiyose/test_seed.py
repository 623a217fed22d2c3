import pytest
from django.apps import apps
from django.core.management import call_command


def _counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "admin."))
    }


@pytest.mark.django_db
def test_seeding_twice_changes_nothing():
    call_command("seed", verbosity=0)
    first = _counts()
    call_command("seed", verbosity=0)
    assert _counts() == first


@pytest.mark.django_db
def test_setup_creates_the_local_staff_account_once_when_debug(settings, capsys):
    settings.DEBUG = True
    call_command("setup")
    out = capsys.readouterr().out
    assert "ユーザー名: admin" in out and "パスワード:" in out
    call_command("setup")
    assert "パスワード:" not in capsys.readouterr().out
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(is_superuser=True).count() == 1
