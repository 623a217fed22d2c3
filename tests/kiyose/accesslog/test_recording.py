"""The access log of personal data (kiyose.accesslog): every staff view, list, export and print of records whose
model declares personal fields is recorded — who, when, from where, which records, what kind of access — and
nothing of the records themselves. Tested on the kit's own declared models (送信メール記録, 職員アカウント, the
access log itself), so it holds for whatever the apps declare."""

import pytest
from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.test import RequestFactory
from django.utils import timezone

from kiyose import accesslog
from kiyose.accesslog import access_record, action_for, model_of_url
from kiyose.models import AccessAction, AccessLog, Counter, OutboundMail
from kiyose.personal import PersonalData, concrete_fields
from tests.kiyose.accesslog.conftest import PROXY, SECRET_VALUES, _request, entries
from tests.kiyose.test_personal import declared  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


# --- what is recorded ---------------------------------------------------------------------------------------
def test_opening_a_change_page_records_who_when_where_which_record_and_what(admin_client, admin_user, mail):
    before = timezone.now()
    response = admin_client.get(f"/admin/kiyose/outboundmail/{mail.pk}/change/", **PROXY)
    assert response.status_code == 200
    [entry] = entries(model="kiyose.outboundmail")
    assert entry.user == admin_user and entry.username == "kanri"
    # The client behind the trusted proxy, not the proxy and not the forgeable left-most hop.
    assert entry.client_ip == "203.0.113.7"
    assert entry.ids == [str(mail.pk)] and entry.count == 1
    assert entry.action == AccessAction.VIEW and entry.get_action_display() == "閲覧"
    assert entry.detail == "kiyose_outboundmail_change"
    assert before <= entry.at <= timezone.now()


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(admin_client, mail):
    admin_client.get(
        f"/admin/kiyose/outboundmail/{mail.pk}/change/", REMOTE_ADDR="192.0.2.44", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert entries(model="kiyose.outboundmail")[0].client_ip == "192.0.2.44"


def test_the_entry_holds_nothing_of_the_record_itself(admin_client, mail):
    admin_client.get(f"/admin/kiyose/outboundmail/{mail.pk}/change/", **PROXY)
    admin_client.get("/admin/kiyose/outboundmail/", {"q": "山田"}, **PROXY)
    admin_client.get(f"/admin/kiyose/outboundmail/{mail.pk}/history/", **PROXY)
    rows = entries(model="kiyose.outboundmail")
    assert len(rows) == 3
    values = [str(getattr(mail, f.attname)) for f in concrete_fields(OutboundMail)] + list(SECRET_VALUES) + ["山田"]
    values = [v for v in values if len(v) >= 4]
    for row in rows:
        for field in concrete_fields(AccessLog):
            stored = str(getattr(row, field.attname))
            assert not [v for v in values if v in stored], f"{field.name} holds a value of the record: {stored}"


def test_the_change_list_records_the_rows_it_showed(admin_client, mail):
    other = OutboundMail.objects.create(to=["b@example.jp"], subject="別件", body="本文")
    response = admin_client.get("/admin/kiyose/outboundmail/", **PROXY)
    assert response.status_code == 200
    [entry] = entries(model="kiyose.outboundmail")
    assert entry.action == AccessAction.LIST and entry.get_action_display() == "一覧"
    assert sorted(entry.ids) == sorted([str(mail.pk), str(other.pk)])


def test_an_empty_change_list_shows_nobody_and_records_nothing(admin_client):
    assert admin_client.get("/admin/kiyose/outboundmail/").status_code == 200
    assert entries(model="kiyose.outboundmail") == []


def test_the_history_page_is_recorded_as_history(admin_client, mail):
    admin_client.get(f"/admin/kiyose/outboundmail/{mail.pk}/history/")
    [entry] = entries(model="kiyose.outboundmail")
    assert entry.action == AccessAction.HISTORY and entry.ids == [str(mail.pk)]


def test_a_staff_account_page_is_recorded_against_the_staff_accounts_file(admin_client, make_staff):
    colleague = make_staff("市民協働課", username="kyodo1")
    assert admin_client.get(f"/admin/auth/user/{colleague.pk}/change/").status_code == 200
    [entry] = entries(model="auth.user")
    assert entry.ids == [str(colleague.pk)] and entry.action == AccessAction.VIEW


def test_saving_a_record_is_recorded_as_a_change(admin_client, make_staff):
    colleague = make_staff("市民協働課", username="kyodo2")
    response = admin_client.post(
        f"/admin/auth/user/{colleague.pk}/change/",
        {
            "username": "kyodo2",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": "2026-04-01",
            "date_joined_1": "09:00:00",
            "_save": "保存",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [entry] = entries(model="auth.user")
    assert entry.action == AccessAction.CHANGE and entry.ids == [str(colleague.pk)]


def test_an_admin_action_is_recorded_with_its_name_and_the_selected_ids(admin_client, mail):
    mail.sent_at = timezone.now()
    mail.save()
    response = admin_client.post(
        "/admin/kiyose/outboundmail/",
        {
            "action": "resend",
            "_selected_action": [str(mail.pk)],
            "index": "0",
            "select_across": "0",
        },
    )
    assert response.status_code == 302
    [entry] = entries(model="kiyose.outboundmail")
    assert entry.action == AccessAction.OPERATE and entry.detail == "resend" and entry.ids == [str(mail.pk)]


def test_a_bulk_delete_records_the_confirmation_page_and_the_deletion(admin_client, mail):
    confirm = admin_client.post(
        "/admin/kiyose/outboundmail/",
        {
            "action": "delete_selected",
            "_selected_action": [str(mail.pk)],
            "index": "0",
        },
    )
    assert confirm.status_code == 200
    # The confirmation posts the ids again without the action bar's "index".
    done = admin_client.post(
        "/admin/kiyose/outboundmail/",
        {
            "action": "delete_selected",
            "_selected_action": [str(mail.pk)],
            "post": "yes",
        },
    )
    assert done.status_code == 302 and not OutboundMail.objects.filter(pk=mail.pk).exists()
    shown, deleted = entries(model="kiyose.outboundmail")
    assert (shown.action, deleted.action) == (AccessAction.VIEW, AccessAction.DELETE)
    assert shown.ids == deleted.ids == [str(mail.pk)] and deleted.detail == "delete_selected"


def test_an_export_action_is_recorded_as_output_with_every_id_it_exported(admin_client, admin_user):
    first = AccessLog.objects.create(username="a", model="auth.user", object_ids=" 1 ", count=1, action="view")
    second = AccessLog.objects.create(username="b", model="auth.user", object_ids=" 2 ", count=1, action="view")
    response = admin_client.post(
        "/admin/kiyose/accesslog/",
        {
            "action": "export_csv",
            "_selected_action": [str(first.pk)],
            "index": "0",
            "select_across": "1",
        },
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    [entry] = entries(model="kiyose.accesslog")
    assert entry.action == AccessAction.EXPORT and entry.get_action_display() == "出力"
    # "Select all": every entry the export reached, not only the ticked one.
    assert sorted(entry.ids) == sorted([str(first.pk), str(second.pk)])
    assert entry.user == admin_user


def test_a_refused_request_is_not_an_access(client, make_staff, mail):
    client.force_login(make_staff("市民協働課"))
    response = client.get(f"/admin/kiyose/outboundmail/{mail.pk}/change/")
    assert response.status_code == 403
    assert entries(model="kiyose.outboundmail") == []


def test_a_missing_record_is_not_an_access(admin_client):
    response = admin_client.get("/admin/kiyose/outboundmail/999999/change/")
    assert response.status_code == 302
    assert entries(model="kiyose.outboundmail") == []


def test_a_model_without_personal_data_is_not_logged(admin_client):
    counter = Counter.objects.create(key="テスト", value=3)
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get(f"/admin/kiyose/office/{1}/change/").status_code in (200, 302)
    assert (
        access_record(request=_request(admin_client), model=Counter, ids=[counter.pk], action=AccessAction.VIEW) is None
    )
    assert AccessLog.objects.exclude(model="kiyose.accesslog").count() == 0


def test_public_pages_are_not_logged(client, mail):
    assert client.get("/").status_code == 200
    assert AccessLog.objects.count() == 0


def test_a_declaration_added_later_is_logged_without_code(admin_client, declared):  # noqa: F811
    from kiyose.models import Office

    office = Office.objects.get(key="council")
    assert admin_client.get(f"/admin/kiyose/office/{office.pk}/change/").status_code == 200
    assert entries(model="kiyose.office") == []
    declared(
        Office,
        PersonalData(
            file="問い合わせ先",
            office="議会事務局",
            personal=["name"],
            other=[f.name for f in concrete_fields(Office) if f.name != "name"],
        ),
    )
    assert admin_client.get(f"/admin/kiyose/office/{office.pk}/change/").status_code == 200
    [entry] = entries(model="kiyose.office")
    assert entry.ids == [str(office.pk)] and entry.action == AccessAction.VIEW


def test_the_explicit_api_records_a_view_outside_the_admin(admin_user):
    mail = OutboundMail.objects.create(to=["a@example.jp"], subject="件名", body="本文")
    request = _request(None, user=admin_user)
    entry = access_record(
        request=request,
        model=OutboundMail,
        ids=[mail.pk, mail.pk, "bad id"],
        action=AccessAction.PRINT,
        detail="staff_page",
    )
    assert entry.model == "kiyose.outboundmail" and entry.ids == [str(mail.pk)] and entry.count == 1
    assert entry.client_ip == "203.0.113.7" and entry.username == "kanri" and entry.get_action_display() == "印刷"
    assert access_record(request=request, model=OutboundMail, ids=[], action=AccessAction.VIEW) is None


def test_the_staff_factors_page_records_the_accounts_it_lists(admin_client, admin_user, make_staff):
    colleague = make_staff("議会事務局", username="gikai1")
    assert admin_client.get("/admin/staff-factors/").status_code == 200
    [entry] = entries(model="auth.user")
    assert entry.action == AccessAction.LIST
    assert set(entry.ids) == {str(admin_user.pk), str(colleague.pk)}


# --- how URLs and actions are read ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("export", AccessAction.EXPORT),
        ("export_csv", AccessAction.EXPORT),
        ("letter", AccessAction.PRINT),
        ("notice_pdf", AccessAction.PRINT),
        ("print_acceptances", AccessAction.PRINT),
        ("certificate_pdf", AccessAction.PRINT),
        ("erase", AccessAction.ERASE),
        ("suggestions", AccessAction.SUGGEST),
        ("history", AccessAction.HISTORY),
        ("simple_history", AccessAction.HISTORY),
        ("delete", AccessAction.DELETE),
        ("transition", AccessAction.VIEW),
        ("calendar", AccessAction.VIEW),
    ],
)
def test_screens_and_actions_are_named_by_what_they_do(name, action):
    assert action_for(name, default=AccessAction.VIEW) == action


def test_admin_url_names_resolve_to_their_model_and_screen():
    assert model_of_url("kiyose_outboundmail_change") == (OutboundMail, "change")
    assert model_of_url("auth_user_password") == (get_user_model(), "password")
    assert model_of_url("kiyose_staff_securitystamp_change")[0]._meta.label == "kiyose_staff.SecurityStamp"
    assert model_of_url("index") == (None, "")


def test_rows_a_custom_page_shows_are_found_in_its_context(make_staff):
    shown = make_staff(username="candidate")
    plan = accesslog._Plan(action=AccessAction.SUGGEST, detail="x_spot_suggestions", scan=True)
    response = TemplateResponse(
        RequestFactory().get("/"),
        "base.html",
        {
            "rows": [{"person": shown, "score": 3}],
            "counter": Counter(key="k", pk=5),
            "title": "候補",
        },
    )
    assert plan.records(response) == {get_user_model(): [str(shown.pk)]}


def test_the_autocomplete_answer_is_recorded_as_a_search_of_the_related_model():
    request = RequestFactory().get(
        "/admin/autocomplete/", {"app_label": "kiyose", "model_name": "accesslog", "field_name": "user"}
    )
    plan = accesslog._autocomplete_plan(request)
    assert plan.action == AccessAction.SEARCH
    answer = JsonResponse({"results": [{"id": "7", "text": "職員"}], "pagination": {"more": False}})
    assert plan.records(answer) == {get_user_model(): ["7"]}
    bad = RequestFactory().get("/admin/autocomplete/", {"app_label": "kiyose", "model_name": "nothing"})
    assert accesslog._autocomplete_plan(bad) is None
