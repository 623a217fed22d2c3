"""A holder's secret link to propose a new public profile (reviewed by staff before it shows), and annual
reports shown on the holder's page only after staff publish them; mail at each step."""

import datetime as dt

import pytest
from django.urls import reverse

from certification.models import AnnualReport, Certificate, ProfileLink, ProfileUpdate
from certification.services import certificate_revoke, report_invitation_issue, report_submit
from certification.services.profiles import profile_link_issue, profile_update_transition
from certification.services.reports import report_transition
from kiyose.models import OutboundMail
from kiyose.tokens import token_hash
from tests.certification.factories import DAY, certified

pytestmark = pytest.mark.django_db

REPORT = {
    "activities_economy": "地元産品の販売",
    "activities_society": "清掃活動",
    "activities_environment": "LED化",
    "outcomes": "参加者120人（未確認）",
    "next_year_plan": "活動を倍にする",
}


@pytest.fixture
def holder(db):
    return certified(contact_email="holder@example.jp")


def profile_url(token: str) -> str:
    return reverse("certification:profile", args=[token])


def test_the_link_is_mailed_and_only_its_hash_is_stored(holder):
    token = profile_link_issue(certificate=holder)
    link = ProfileLink.objects.get()
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    mail = OutboundMail.objects.filter(to=["holder@example.jp"]).latest("pk")
    assert profile_url(token) in mail.body


def test_a_proposal_waits_for_staff_and_then_shows(client, holder, make_staff):
    token = profile_link_issue(certificate=holder)
    page = client.get(profile_url(token))
    assert page.status_code == 200 and holder.holder_name in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    response = client.post(profile_url(token), {"summary": "新しい紹介文です。", "url": "https://green.example.jp/"})
    assert response.status_code == 302
    update = ProfileUpdate.objects.get()
    assert update.status == ProfileUpdate.Status.PENDING
    holder_page = f"/certification/{holder.serial}/"
    assert "新しい紹介文です。" not in client.get(holder_page).content.decode()
    assert OutboundMail.objects.about(update).filter(to=["holder@example.jp"]).exists()
    staff = make_staff("未来創造課")
    profile_update_transition(obj=update, to=ProfileUpdate.Status.APPROVED, by=staff)
    html = client.get(holder_page).content.decode()
    assert "新しい紹介文です。" in html and "https://green.example.jp/" in html
    assert OutboundMail.objects.about(update).filter(subject__contains="変更しました").exists()


def test_declining_a_proposal_needs_a_reason_and_keeps_the_page(holder, client):
    token = profile_link_issue(certificate=holder)
    client.post(profile_url(token), {"summary": "載せたくない紹介文", "url": ""})
    update = ProfileUpdate.objects.get()
    with pytest.raises(Exception, match="理由を入力してください"):
        profile_update_transition(obj=update, to=ProfileUpdate.Status.DECLINED, data={"reason": ""})
    profile_update_transition(obj=update, to=ProfileUpdate.Status.DECLINED, data={"reason": "内容の確認が必要なため"})
    holder.refresh_from_db()
    assert holder.summary != "載せたくない紹介文"
    assert OutboundMail.objects.about(update).filter(body__contains="内容の確認が必要なため").exists()


def test_wrong_token_is_404_used_replaced_and_expired_are_410(client, holder, settings):
    assert client.get(profile_url("x" * 43)).status_code == 404
    old = profile_link_issue(certificate=holder)
    token = profile_link_issue(certificate=holder)
    replaced = client.get(profile_url(old))
    assert replaced.status_code == 410 and "新しいリンクの発行" in replaced.content.decode()
    client.post(profile_url(token), {"summary": "一度目", "url": ""})
    used = client.get(profile_url(token))
    assert used.status_code == 410 and "既に変更を申し出て" in used.content.decode()
    assert client.post(profile_url(token), {"summary": "二度目", "url": ""}).status_code == 410
    assert ProfileUpdate.objects.count() == 1
    expiring = profile_link_issue(certificate=holder, today=dt.date(2020, 1, 1))
    expired = client.get(profile_url(expiring))
    assert expired.status_code == 410 and "有効期限" in expired.content.decode()


def test_a_revoked_holder_can_no_longer_use_the_link(client, holder):
    token = profile_link_issue(certificate=holder)
    certificate_revoke(certificate=holder, reason="活動実態がないため", today=DAY)
    assert client.get(profile_url(token)).status_code == 410


def test_summary_is_checked_like_every_form(client, holder):
    token = profile_link_issue(certificate=holder)
    response = client.post(profile_url(token), {"summary": "", "url": "javascript:alert(1)"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "取組の概要（公表用）を入力してください" in text
    assert "https:// から始まるアドレスを入力してください" in text


def test_secret_links_are_rate_limited(client, holder, settings):
    settings.RATELIMIT_ENABLE = True
    settings.CERTIFICATION_LINK_RATE_LIMIT = "2/h"
    token = profile_link_issue(certificate=holder)
    assert [client.get(profile_url(token)).status_code for _ in range(3)] == [200, 200, 429]


def test_a_report_shows_on_the_holder_page_only_once_published(client, holder, make_staff):
    token = report_invitation_issue(certificate=holder, year=2026, today=dt.date(2027, 5, 1))
    report = report_submit(token=token, data=REPORT, today=dt.date(2027, 5, 2))
    assert report.status == AnnualReport.Status.SUBMITTED
    page = f"/certification/{holder.serial}/"
    assert "参加者120人（未確認）" not in client.get(page).content.decode()
    staff = make_staff("未来創造課")
    report_transition(obj=report, to=AnnualReport.Status.PUBLISHED, by=staff)
    assert "参加者120人（未確認）" in client.get(page).content.decode()
    assert OutboundMail.objects.about(report).filter(subject__contains="掲載しました").exists()
    report_transition(obj=report, to=AnnualReport.Status.WITHHELD, data={"reason": "個人名が含まれるため"})
    assert "参加者120人（未確認）" not in client.get(page).content.decode()
    # A withheld report still counts as filed: the certificate stays in force.
    holder.refresh_from_db()
    assert holder.status == Certificate.Status.VALID


def test_staff_publish_reports_from_the_admin_and_other_sections_cannot(client, holder, make_staff):
    token = report_invitation_issue(certificate=holder, year=2026, today=dt.date(2027, 5, 1))
    report = report_submit(token=token, data=REPORT, today=dt.date(2027, 5, 2))
    url = reverse("admin:certification_annualreport_transition", args=[report.pk, "published"])
    client.force_login(make_staff("市民協働課", username="kyodo"))
    client.post(url, {})
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.SUBMITTED
    assert client.get(reverse("admin:certification_annualreport_changelist")).status_code == 403
    client.force_login(make_staff("未来創造課"))
    change = reverse("admin:certification_annualreport_change", args=[report.pk])
    assert url in client.get(change).content.decode()
    assert client.post(url, {}).status_code == 302
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED
