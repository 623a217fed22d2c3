"""The access log in the admin: append-only for everyone, each office seeing the entries of its own records,
searchable, exported as CSV, purged after the retention period (kiyose.accesslog)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone

from kiyose.accesslog import accesslog_purge
from kiyose.models import AccessLog, OutboundMail
from kiyose.personal import PersonalData, concrete_fields
from tests.kiyose.test_personal import declared  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


# --- append-only ----------------------------------------------------------------------------------------------
def test_nobody_can_add_change_or_delete_entries_in_the_admin_not_even_a_superuser(admin_client):
    entry = AccessLog.objects.create(username="x", model="auth.user", object_ids=" 1 ", count=1, action="view")
    assert admin_client.get("/admin/kiyose/accesslog/add/").status_code == 403
    assert admin_client.get(f"/admin/kiyose/accesslog/{entry.pk}/delete/").status_code == 403
    page = admin_client.get(f"/admin/kiyose/accesslog/{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.post(f"/admin/kiyose/accesslog/{entry.pk}/change/", {"username": "y"}).status_code == 403
    deleting = admin_client.post(
        "/admin/kiyose/accesslog/",
        {
            "action": "delete_selected",
            "_selected_action": [str(entry.pk)],
            "index": "0",
            "post": "yes",
        },
    )
    assert deleting.status_code == 302  # the action is not offered: back to the list, nothing done
    entry.refresh_from_db()
    assert entry.username == "x"


def test_only_a_view_permission_exists_to_grant():
    codenames = set(
        Permission.objects.filter(content_type__app_label="kiyose", content_type__model="accesslog").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_accesslog"}


def test_code_cannot_change_or_delete_an_entry_either():
    entry = AccessLog.objects.create(username="x", model="auth.user", object_ids=" 1 ", count=1, action="view")
    entry.username = "y"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AccessLog.objects.filter(pk=entry.pk).update(username="y")
    with pytest.raises(TypeError):
        AccessLog.objects.filter(pk=entry.pk).delete()
    assert AccessLog.objects.get(pk=entry.pk).username == "x"


# --- who sees which entries -------------------------------------------------------------------------------
@pytest.fixture
def two_offices(declared):  # noqa: F811
    """送信メール記録 as if 市民協働課 owned it; the staff accounts stay the systems office's."""
    declared(
        OutboundMail,
        PersonalData(
            file="送信メール記録",
            office="市民協働課",
            personal=["to"],
            other=[f.name for f in concrete_fields(OutboundMail) if f.name != "to"],
        ),
    )
    mails = AccessLog.objects.create(
        username="a", model="kiyose.outboundmail", object_ids=" 5 ", count=1, action="view"
    )
    accounts = AccessLog.objects.create(username="b", model="auth.user", object_ids=" 6 ", count=1, action="view")
    return mails, accounts


def _listed(client) -> set[int]:
    response = client.get("/admin/kiyose/accesslog/")
    assert response.status_code == 200
    return {row.pk for row in response.context_data["cl"].result_list}


def test_each_office_sees_the_log_of_its_own_records_only(client, make_staff, two_offices):
    mails, accounts = two_offices
    client.force_login(make_staff("市民協働課"))
    assert _listed(client) == {mails.pk}
    assert client.get(f"/admin/kiyose/accesslog/{accounts.pk}/change/").status_code == 302
    client.force_login(make_staff("議会事務局"))
    assert _listed(client) == set()


def test_a_superuser_sees_every_entry(admin_client, two_offices):
    assert {e.pk for e in two_offices} <= _listed(admin_client)


def test_search_by_record_and_by_staff_member(admin_client):
    make = AccessLog.objects.create
    hit = make(username="suzuki", model="auth.user", object_ids=" 5 12 ", count=2, action="view")
    near = make(username="tanaka", model="auth.user", object_ids=" 15 ", count=1, action="view")
    other_model = make(username="tanaka", model="kiyose.outboundmail", object_ids=" 5 ", count=1, action="list")

    def found(q):
        response = admin_client.get("/admin/kiyose/accesslog/", {"q": q})
        return {row.pk for row in response.context_data["cl"].result_list}

    assert found("auth.user:5") == {hit.pk}
    assert found("5") == {hit.pk, other_model.pk}
    assert found("tanaka") >= {near.pk, other_model.pk} and hit.pk not in found("tanaka")
    assert found("suzuki") == {hit.pk}


def test_filters_by_action_and_by_staff_member(admin_client, make_staff):
    someone = make_staff(username="sato")
    viewed = AccessLog.objects.create(
        user=someone, username="sato", model="auth.user", object_ids=" 1 ", count=1, action="view"
    )
    AccessLog.objects.create(username="x", model="auth.user", object_ids=" 2 ", count=1, action="export")
    response = admin_client.get("/admin/kiyose/accesslog/", {"staff": str(someone.pk)})
    assert {r.pk for r in response.context_data["cl"].result_list} == {viewed.pk}
    response = admin_client.get("/admin/kiyose/accesslog/", {"action__exact": "view", "model": "auth.user"})
    assert {r.pk for r in response.context_data["cl"].result_list} == {viewed.pk}


# --- CSV export -----------------------------------------------------------------------------------------------
def test_the_csv_export_names_staff_time_address_records_and_action(admin_client):
    at = timezone.make_aware(timezone.datetime(2026, 4, 1, 9, 30))
    entry = AccessLog.objects.create(
        at=at,
        username="suzuki",
        client_ip="203.0.113.7",
        model="auth.user",
        object_ids=" 5 12 ",
        count=2,
        action="print",
        detail="auth_user_letter",
    )
    response = admin_client.post(
        "/admin/kiyose/accesslog/",
        {
            "action": "export_csv",
            "_selected_action": [str(entry.pk)],
            "index": "0",
            "select_across": "0",
        },
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff日時,職員,接続元アドレス,記録の種類,記録のID,件数,操作,操作の詳細")
    assert "2026-04-01 09:30:00,suzuki,203.0.113.7,auth.user,5 12,2,印刷,auth_user_letter" in text
    assert "attachment;" in response["Content-Disposition"]


# --- retention ------------------------------------------------------------------------------------------------
def test_the_purge_removes_entries_past_the_retention_and_nothing_else(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 1826
    now = timezone.now()
    make = AccessLog.objects.create
    old = make(at=now - timedelta(days=1827), username="a", model="auth.user", object_ids=" 1 ", count=1, action="view")
    kept = make(
        at=now - timedelta(days=1825), username="a", model="auth.user", object_ids=" 1 ", count=1, action="view"
    )
    assert accesslog_purge(now=now) == 1
    assert accesslog_purge(now=now) == 0  # idempotent
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert AccessLog.objects.filter(pk=kept.pk).exists()


def test_the_purge_command_follows_the_setting_and_says_what_it_did(settings, capsys):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    AccessLog.objects.create(
        at=timezone.now() - timedelta(days=31),
        username="a",
        model="auth.user",
        object_ids=" 1 ",
        count=1,
        action="view",
    )
    call_command("accesslog_purge")
    assert "1 件を消去しました" in capsys.readouterr().out
    call_command("accesslog_purge")
    assert "0 件を消去しました" in capsys.readouterr().out


def test_the_purge_timer_runs_the_command_daily():
    from pathlib import Path

    units = Path(__file__).resolve().parents[3] / "deploy" / "systemd"
    service = (units / "kiyose-accesslog-purge.service").read_text()
    timer = (units / "kiyose-accesslog-purge.timer").read_text()
    assert "manage.py accesslog_purge" in service and "Type=oneshot" in service
    assert "OnCalendar=*-*-* " in timer and "Persistent=true" in timer


def test_a_malformed_retention_stops_start_up_naming_it():
    from tests.kiyose.test_settings import _manage

    result = _manage("check", DEBUG="true", ACCESS_LOG_RETENTION_DAYS="five years")
    assert result.returncode != 0 and "ACCESS_LOG_RETENTION_DAYS" in result.stderr
    result = _manage("check", DEBUG="true", ACCESS_LOG_RETENTION_DAYS="0")
    assert result.returncode != 0 and "ACCESS_LOG_RETENTION_DAYS" in result.stderr
