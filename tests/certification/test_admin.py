import datetime as dt

import pytest
from django.urls import reverse

from certification.models import Application, Certificate, ReportInvitation
from kiyose.models import OutboundMail, TransitionRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_staff):
    client.force_login(make_staff("未来創造課"))
    return client


# The read-only inline of the mails a record caused (kiyose.adminkit.MailInline) posts its management form too.
MAILS = {
    f"kiyose-outboundmail-about_type-about_id-{k}": "0"
    for k in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
}


def change_url(obj) -> str:
    return reverse(f"admin:certification_{obj._meta.model_name}_change", args=[obj.pk])


def changelist(model: str) -> str:
    return reverse(f"admin:certification_{model}_changelist")


def test_group_sees_every_page(staff_client, make_certificate):
    certificate = make_certificate()
    for model in (
        "application",
        "certificate",
        "selfcheckquestion",
        "annualreport",
        "reportinvitation",
        "notice",
        "certificateslot",
    ):
        assert staff_client.get(changelist(model)).status_code == 200, model
    assert staff_client.get(change_url(certificate)).status_code == 200
    assert staff_client.get(change_url(certificate.application)).status_code == 200
    history = reverse("admin:certification_application_history", args=[certificate.application_id])
    assert staff_client.get(history).status_code == 200


def test_other_sections_are_refused(client, make_staff, db):
    client.force_login(make_staff("議会事務局"))
    assert client.get(changelist("application")).status_code == 403


def _answers_form(application, **extra):
    data = {
        "reviewer_notes": "メモ",
        "answers-TOTAL_FORMS": str(application.answers.count()),
        "answers-INITIAL_FORMS": str(application.answers.count()),
        "answers-MIN_NUM_FORMS": "0",
        "answers-MAX_NUM_FORMS": "0",
        **MAILS,
    }
    for i, answer in enumerate(application.answers.order_by("question__order", "question_id")):
        data[f"answers-{i}-id"] = str(answer.pk)
        data[f"answers-{i}-application"] = str(application.pk)
        data[f"answers-{i}-score"] = "2"
    data.update(extra)
    return data


def transition_url(obj, target: str) -> str:
    return reverse(f"admin:certification_{obj._meta.model_name}_transition", args=[obj.pk, target])


def test_change_page_offers_one_button_per_allowed_transition(staff_client, make_application):
    application = make_application(status="received")
    page = staff_client.get(change_url(application)).content.decode()
    assert transition_url(application, "reviewing") in page
    assert transition_url(application, "certified") not in page  # not from 受付
    assert "状態の変更記録" in page


def test_transition_pages_move_through_the_workflow(staff_client, make_application):
    application = make_application(status="received")
    assert staff_client.get(transition_url(application, "reviewing")).status_code == 200
    response = staff_client.post(transition_url(application, "reviewing"), {"reviewer_notes": "書類確認済み"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.REVIEWING
    assert application.reviewer_notes == "書類確認済み"
    # Scores and notes are typed on the change page itself.
    response = staff_client.post(change_url(application), _answers_form(application))
    assert response.status_code == 302, _debug_errors(response)
    assert application.score_total == 2 * application.answers.count()
    staff_client.post(transition_url(application, "certified"), {"on": ""})
    application.refresh_from_db()
    assert application.status == Application.Status.CERTIFIED
    assert Certificate.objects.count() == 1
    assert TransitionRecord.objects.of(application).count() == 2


def test_reject_without_reason_shows_an_error_at_the_field(staff_client, make_application):
    application = make_application()
    response = staff_client.post(transition_url(application, "rejected"), {"reason": ""})
    assert response.status_code == 200
    assert "理由を入力してください" in response.content.decode()
    staff_client.post(transition_url(application, "rejected"), {"reason": "実績不足"})
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.decision_reason == "実績不足"


def test_refused_transition_is_a_message_not_a_500(staff_client, make_application):
    application = make_application(status="received")
    response = staff_client.post(transition_url(application, "certified"), {}, follow=True)
    assert response.status_code == 200
    assert "変更できません" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED


def test_certify_with_the_cap_full_says_to_wait(staff_client, make_application, settings):
    settings.CERTIFICATION_CAP = 0
    application = make_application()
    response = staff_client.post(transition_url(application, "certified"), {"on": ""})
    assert response.status_code == 200
    assert "上限" in response.content.decode()
    staff_client.post(transition_url(application, "waiting"), {})
    application.refresh_from_db()
    assert application.status == Application.Status.WAITING


def test_every_declared_transition_has_a_page_with_its_form(staff_client, make_application):
    from certification.services import APPLICATION_FLOW, CERTIFICATE_FLOW
    from certification.services.profiles import PROFILE_FLOW
    from certification.services.reports import REPORT_FLOW

    for flow in (APPLICATION_FLOW, CERTIFICATE_FLOW, REPORT_FLOW, PROFILE_FLOW):
        assert flow.problems() == [], flow.name
    application = make_application()
    for transition in APPLICATION_FLOW.available(application):
        page = staff_client.get(transition_url(application, transition.target))
        assert page.status_code == 200, transition
        for name in transition.form.base_fields:
            assert f'name="{name}"' in page.content.decode(), (transition, name)


def test_bulk_actions_certify_and_print(staff_client, make_application, settings):
    settings.CERTIFICATION_CAP = 1
    apps = [make_application(org_name=f"団体{i}") for i in range(2)]
    ids = [str(a.pk) for a in apps]
    staff_client.post(changelist("application"), {"action": "certify_selected", "_selected_action": ids})
    assert list(Application.objects.order_by("submitted_at").values_list("status", flat=True)) == [
        "certified",
        "waiting",
    ]
    response = staff_client.post(changelist("application"), {"action": "notices_pdf", "_selected_action": ids})
    assert response["Content-Type"] == "application/pdf"
    certificate = Certificate.objects.get()
    response = staff_client.post(
        changelist("certificate"), {"action": "certificates_pdf", "_selected_action": [str(certificate.pk)]}
    )
    assert response["Content-Type"] == "application/pdf"


def test_certificate_operations(staff_client, make_certificate):
    certificate = make_certificate(today=dt.date(2026, 6, 1), contact_email="holder@example.jp")
    base = {
        "holder_name": certificate.holder_name,
        "summary": "新しい紹介文",
        "url": "",
        "goals": ["7", "13"],
        "contact_email": "holder@example.jp",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
        "reports-MIN_NUM_FORMS": "0",
        "reports-MAX_NUM_FORMS": "0",
        **MAILS,
    }
    response = staff_client.post(change_url(certificate), base)
    assert response.status_code == 302, _debug_errors(response)
    certificate.refresh_from_db()
    assert certificate.summary == "新しい紹介文" and certificate.goals == [7, 13]
    invite = reverse("admin:certification_certificate_invite", args=[certificate.pk])
    assert invite in staff_client.get(change_url(certificate)).content.decode()
    assert staff_client.post(invite, {"report_year": "2026"}).status_code == 302
    assert ReportInvitation.objects.filter(certificate=certificate, fiscal_year=2026).count() == 1
    assert OutboundMail.objects.filter(to=["holder@example.jp"], body__contains="/certification/report/").exists()
    response = staff_client.post(transition_url(certificate, "revoked"), {"reason": ""})
    assert "理由を入力してください" in response.content.decode()
    staff_client.post(transition_url(certificate, "revoked"), {"reason": "虚偽申請"})
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_reason == "虚偽申請"


def test_holder_name_refuses_characters_the_certificate_cannot_print(staff_client, make_certificate):
    certificate = make_certificate()
    response = staff_client.post(
        change_url(certificate),
        {
            "holder_name": "ひまわり会🌻",
            "summary": "紹介",
            "url": "",
            "goals": ["7"],
            "contact_email": "a@example.jp",
            "reports-TOTAL_FORMS": "0",
            "reports-INITIAL_FORMS": "0",
            **MAILS,
        },
    )
    assert response.status_code == 200
    assert "「🌻」は印刷できない文字です" in response.content.decode()


def _debug_errors(response):
    return response.context["adminform"].form.errors, [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ]


def test_single_pdfs_from_the_change_pages(staff_client, make_application):
    application = make_application()
    notice = reverse("admin:certification_application_notice_pdf", args=[application.pk])
    assert staff_client.get(notice).status_code == 302  # undecided: back to the page with a message
    from certification import services

    certificate = services.application_certify(application=application)
    page = staff_client.get(change_url(application)).content.decode()
    assert notice in page
    assert staff_client.get(notice)["Content-Type"] == "application/pdf"
    pdf_url = reverse("admin:certification_certificate_pdf", args=[certificate.pk])
    assert pdf_url in staff_client.get(change_url(certificate)).content.decode()
    response = staff_client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_single_pdfs_refused_to_other_sections(client, make_staff, make_certificate):
    certificate = make_certificate()
    client.force_login(make_staff("市民協働課"))
    url = reverse("admin:certification_certificate_pdf", args=[certificate.pk])
    assert client.get(url).status_code == 403
