"""The daily run with several holders at once: each step is about its own certificate, every outcome of
the run is compared whole, and the mails say what happened in the words the city chose."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from certification import services
from certification.models import Certificate, ReportInvitation
from certification.services.certificates import CERTIFICATE_FLOW
from kiyose.models import Office, OutboundMail, TransitionRecord

pytestmark = pytest.mark.django_db
OFFICE_EMAIL = "mirai-office@example.jp"  # as 未来創造課 would enter it in its contact block
ISSUED = dt.date(2026, 6, 1)  # 令和8年度; its report is due 2027-05-31, reminded from 2027-05-01


def report_data() -> dict:
    return {
        "activities_economy": "地元産品の販売",
        "activities_society": "清掃活動",
        "activities_environment": "LED化",
        "outcomes": "参加者120人",
        "next_year_plan": "活動を倍にする",
    }


def last_mail(address: str) -> OutboundMail:
    return OutboundMail.objects.filter(to=[address]).order_by("pk").last()


def file_report(address: str, today: dt.date):
    token = re.search(r"/certification/report/([A-Za-z0-9_-]+)/", last_mail(address).body).group(1)
    return services.report_submit(token=token, data=report_data(), today=today)


def step(certificate: Certificate, today: dt.date) -> str:
    return services.certificate_lifecycle_step(certificate=certificate, today=today)


@pytest.fixture
def holders(make_certificate):
    names = ("diligent", "late", "silent")
    return {
        name: make_certificate(today=ISSUED, org_name=f"清瀬{name}の会", contact_email=f"{name}@example.jp")
        for name in names
    }


def test_each_holder_moves_on_its_own_record(holders):
    assert services.certification_lifecycle(today=dt.date(2027, 4, 30)) == {}
    assert services.certification_lifecycle(today=dt.date(2027, 5, 1)) == {"reminder": 3}
    file_report("diligent@example.jp", dt.date(2027, 5, 10))
    assert services.certification_lifecycle(today=dt.date(2027, 5, 31)) == {}
    assert services.certification_lifecycle(today=dt.date(2027, 6, 1)) == {"overdue": 2}
    assert services.certification_lifecycle(today=dt.date(2027, 6, 2)) == {}
    file_report("late@example.jp", dt.date(2027, 6, 20))
    assert services.certification_lifecycle(today=dt.date(2027, 7, 30)) == {}
    assert services.certification_lifecycle(today=dt.date(2027, 7, 31)) == {"lapsed": 1}
    statuses = {name: Certificate.objects.get(pk=c.pk).status for name, c in holders.items()}
    assert statuses == {"diligent": "valid", "late": "valid", "silent": "lapsed"}


def test_the_overdue_letter_names_the_deadline_and_the_last_day_of_grace(holders):
    assert [step(c, dt.date(2027, 6, 1)) for c in holders.values()] == ["overdue", "overdue", "overdue"]
    assert last_mail("silent@example.jp").body.startswith(
        "清瀬silentの会 様\n\n提出期限（令和9年5月31日）を過ぎました。令和9年7月30日までにご提出ください。\n"
        "令和8年度（2026年度）の年間報告書を、次の専用リンクからご提出ください。\n"
    )


def test_a_status_reset_by_hand_without_a_report_is_report_due_again(holders):
    late, silent = holders["late"], holders["silent"]
    assert [step(late, dt.date(2027, 6, 1)), step(silent, dt.date(2027, 6, 1))] == ["overdue", "overdue"]
    Certificate.objects.filter(pk=silent.pk).update(status=Certificate.Status.VALID)
    assert [step(late, dt.date(2027, 6, 2)), step(silent, dt.date(2027, 6, 2))] == ["", "report_due"]
    assert Certificate.objects.get(pk=silent.pk).status == Certificate.Status.REPORT_DUE


def test_a_filed_report_puts_a_report_due_certificate_back_to_valid(holders):
    late, silent = holders["late"], holders["silent"]
    step(late, dt.date(2027, 6, 1))
    step(silent, dt.date(2027, 6, 1))
    file_report("late@example.jp", dt.date(2027, 6, 5))
    Certificate.objects.filter(pk=late.pk).update(status=Certificate.Status.REPORT_DUE)
    assert [step(late, dt.date(2027, 6, 6)), step(silent, dt.date(2027, 6, 6))] == ["", ""]
    assert {c.pk: c.status for c in Certificate.objects.filter(pk__in=[late.pk, silent.pk])} == {
        late.pk: Certificate.Status.VALID,
        silent.pk: Certificate.Status.REPORT_DUE,
    }


def test_the_lapse_letter_says_which_year_was_not_reported(holders):
    silent = holders["silent"]
    assert step(silent, dt.date(2027, 7, 31)) == "lapsed"
    # The daily run's day, not the machine's: a catch-up run dates the lapse on the day it stands for.
    assert Certificate.objects.get(pk=silent.pk).ended_on == dt.date(2027, 7, 31)
    mail = last_mail("silent@example.jp")
    assert mail.subject == f"【清瀬市】SDGs認定証の失効について（{silent.number}）"
    assert mail.body.startswith(
        "清瀬silentの会 様\n\n令和8年度（2026年度）の年間報告書の提出がなかったため、"
        f"清瀬市SDGs認定証（{silent.number}）は失効しました。\n\n"
    )
    assert step(silent, dt.date(2027, 8, 1)) == ""


def test_the_expiry_letter_gives_the_last_day_of_validity(make_certificate):
    certificate = make_certificate(today=ISSUED, org_name="満了の会", contact_email="end@example.jp")
    for year in (2026, 2027):
        services.certification_lifecycle(today=dt.date(year + 1, 5, 1))
        file_report("end@example.jp", dt.date(year + 1, 5, 2))
    assert [step(certificate, dt.date(2029, 3, 31)), step(certificate, dt.date(2029, 4, 1))] == ["", "expired"]
    mail = last_mail("end@example.jp")
    assert mail.subject == f"【清瀬市】SDGs認定証の有効期間が満了しました（{certificate.number}）"
    assert mail.body.startswith(
        f"満了の会 様\n\n清瀬市SDGs認定証（{certificate.number}）は令和11年3月31日をもって有効期間が満了しました。"
        "引き続き認定をご希望の場合は、改めて申請してください。\n\n"
    )


def test_revoking_one_of_two_holders_frees_exactly_its_place_and_tells_it_why(
    make_certificate, make_application, settings
):
    settings.CERTIFICATION_CAP = 2
    Office.objects.filter(key="mirai").update(email=OFFICE_EMAIL)  # replies go to the address staff entered
    kept = make_certificate(today=ISSUED, org_name="継続の会", contact_email="kept@example.jp")
    revoked = make_certificate(today=ISSUED, org_name="取消の会", contact_email="gone@example.jp")
    waiting = make_application(org_name="順番待ちの会", contact_email="next@example.jp")
    assert services.application_certify(application=waiting, today=ISSUED) is None
    with pytest.raises(ValidationError) as caught:
        services.certificate_revoke(certificate=revoked, reason=" \n", today=ISSUED)
    assert caught.value.message_dict == {"revoked_reason": ["取消の理由を入力してください。"]}
    services.certificate_revoke(certificate=revoked, reason=" 活動実態がないため ", today=ISSUED)
    promoted = Certificate.objects.exclude(pk__in=[kept.pk, revoked.pk]).get()
    assert {c.pk: c.status for c in Certificate.objects.all()} == {
        kept.pk: "valid",
        revoked.pk: "revoked",
        promoted.pk: "valid",
    }
    gone = Certificate.objects.get(pk=revoked.pk)
    assert (gone.status, gone.revoked_reason, gone.ended_on) == ("revoked", "活動実態がないため", ISSUED)
    # The freed place goes to the waiting list on the day of the revocation, not on the machine's day.
    assert promoted.issued_on == ISSUED
    record = TransitionRecord.objects.of(gone).last()
    assert (record.workflow, record.source, record.target) == ("certification.certificate", "valid", "revoked")
    assert CERTIFICATE_FLOW.find("valid", "revoked").label == "取り消す"  # the admin's button
    mail = last_mail("gone@example.jp")
    assert mail.subject == f"【清瀬市】SDGs認定証の取消について（{revoked.number}）"
    assert mail.body.startswith(
        f"取消の会 様\n\n清瀬市SDGs認定証（{revoked.number}）の認定を取り消しました。\n理由：活動実態がないため\n\n"
    )
    assert mail.reply_to == [OFFICE_EMAIL]
    with pytest.raises(ValidationError, match=r"^\['「取消」の認定証は取り消せません。'\]$"):
        services.certificate_revoke(certificate=gone, reason="二度目", today=ISSUED)


def test_renewal_only_in_the_final_fiscal_year_of_a_valid_certificate(make_certificate, settings):
    Office.objects.filter(key="mirai").update(email=OFFICE_EMAIL)
    certificate = make_certificate(today=ISSUED, org_name="更新の会", contact_email="renew@example.jp")
    final = certificate.valid_until
    assert final == dt.date(2029, 3, 31)
    with pytest.raises(ValidationError, match=r"^\['更新は有効期限の年度（令和10年度（2028年度））に行えます。'\]$"):
        services.certificate_renew(certificate=certificate, today=dt.date(2028, 3, 31))
    renewed = services.certificate_renew(certificate=certificate, today=dt.date(2028, 4, 1))
    assert (renewed.valid_until, renewed.renewed_on) == (dt.date(2031, 3, 31), dt.date(2028, 4, 1))
    mail = last_mail("renew@example.jp")
    assert mail.subject == f"【清瀬市】SDGs認定証の更新について（{certificate.number}）"
    assert mail.body.startswith(
        f"更新の会 様\n\n清瀬市SDGs認定証（{certificate.number}）を更新しました。新しい有効期限：令和13年3月31日\n\n"
    )
    assert mail.reply_to == [OFFICE_EMAIL]
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REPORT_DUE)
    with pytest.raises(ValidationError, match=r"^\['更新できるのは「有効」の認定証だけです"):
        services.certificate_renew(certificate=certificate, today=dt.date(2031, 4, 1))


def test_nothing_happens_before_the_first_report_year_is_due(holders):
    assert [step(c, dt.date(2026, 6, 2)) for c in holders.values()] == ["", "", ""]
    assert services.certification_lifecycle(today=dt.date(2027, 3, 31)) == {}


def test_every_broken_holder_is_counted_and_the_others_go_on(holders, monkeypatch):
    real = services.certificate_lifecycle_step
    broken = {holders["late"].pk, holders["silent"].pk}

    def step_or_fail(*, certificate, today):
        if certificate.pk in broken:
            raise ValidationError("broken")
        return real(certificate=certificate, today=today)

    monkeypatch.setattr("certification.services.lifecycle.certificate_lifecycle_step", step_or_fail)
    assert services.certification_lifecycle(today=dt.date(2027, 5, 1)) == {"failed": 2, "reminder": 1}


def test_revoking_kills_the_live_report_link_and_needs_a_reason(holders):
    services.certification_lifecycle(today=dt.date(2027, 5, 1))
    file_report("diligent@example.jp", dt.date(2027, 5, 2))
    revoked, kept = holders["silent"], holders["late"]
    with pytest.raises(ValidationError) as caught:
        services.certificate_revoke(certificate=revoked, reason=None, today=dt.date(2027, 5, 3))
    assert caught.value.message_dict == {"revoked_reason": ["取消の理由を入力してください。"]}
    for certificate in (revoked, holders["diligent"]):
        services.certificate_revoke(certificate=certificate, reason="活動実態がないため", today=dt.date(2027, 5, 3))
    live = {(i.certificate_id, i.revoked_at is None, i.used_at is None) for i in ReportInvitation.objects.all()}
    assert live == {(revoked.pk, False, True), (kept.pk, True, True), (holders["diligent"].pk, True, False)}
