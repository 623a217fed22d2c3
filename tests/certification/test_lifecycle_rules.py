"""The daily run with several holders at once: each step is about its own certificate, every outcome of
the run is compared whole, and the mails say what happened in the words the city chose."""

import datetime as dt
import re

import pytest

from certification import services
from certification.models import Certificate
from kiyose.models import OutboundMail

pytestmark = pytest.mark.django_db
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
    assert "提出期限（令和9年5月31日）を過ぎました。令和9年7月30日までにご提出ください。" in last_mail(
        "silent@example.jp").body


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
        late.pk: Certificate.Status.VALID, silent.pk: Certificate.Status.REPORT_DUE,
    }


def test_the_lapse_letter_says_which_year_was_not_reported(holders):
    silent = holders["silent"]
    assert step(silent, dt.date(2027, 7, 31)) == "lapsed"
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
