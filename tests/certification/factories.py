"""Builders for the certification app's records in a known state (services do the work, as staff would)."""

import datetime as dt
import uuid

from certification import seed, services
from certification.models import APPLICANT_FIELDS, Application, Enquiry, SelfCheckQuestion

DAY = dt.date(2026, 6, 1)


def application_data(**overrides) -> dict:
    data = {
        "org_name": "株式会社きよせグリーン",
        "org_name_kana": "かぶしきがいしゃきよせぐりーん",
        "kind": "company",
        "intake": "shokokai",
        "address": "東京都清瀬市中里5-842",
        "url": "https://example.jp/",
        "representative_title": "代表取締役",
        "representative_name": "清瀬 太郎",
        "contact_name": "清瀬 花子",
        "contact_email": "hanako@example.jp",
        "contact_phone": "042-492-5111",
        "goals": [7, 11, 13],
        "initiative_economy": "市内の農家と連携した地産地消の商品づくり",
        "initiative_society": "地域の子ども食堂への食材提供",
        "initiative_environment": "店舗の照明のLED化と太陽光発電",
        "summary": "地産地消と省エネルギーに取り組む市内の事業者です。",
        "commit_annual_report": True,
        "consent_publication": True,
    }
    data.update(overrides)
    return data


def submitted(**overrides) -> Application:
    seed.load()
    answers = {q.pk: True for q in SelfCheckQuestion.objects.filter(active=True)}
    return services.application_submit(data=application_data(**overrides), answers=answers, token=uuid.uuid4())


def certified(*, today: dt.date = DAY, **overrides):
    application = services.application_review_start(application=submitted(**overrides))
    return services.application_certify(application=application, today=today)


def _application_with_markers(markers: dict) -> Application:
    """A certified application (so its certificate holds the contact address too), through the services, so the
    markers reach the mails and the history as a real applicant's would."""
    from django.core.exceptions import ValidationError

    typed = {k: v for k, v in markers.items() if k in APPLICANT_FIELDS}
    try:
        certificate = certified(**typed)
    except ValidationError:  # a marker that is no valid e-mail address or phone number
        certificate = certified()
        Application.objects.filter(pk=certificate.application_id).update(**typed)
    application = Application.objects.get(pk=certificate.application_id)
    for name, value in markers.items():
        if name not in typed:  # staff's own fields (審査メモ), saved as staff would
            setattr(application, name, value)
    application.save()
    return application


def _enquiry_with_markers(markers: dict) -> Enquiry:
    values = {
        "name": "問合 太郎",
        "email": "q@example.jp",
        "phone": "",
        "subject": "質問",
        "message": "本文",
        "staff_note": "",
    }
    values.update(markers)
    return Enquiry.objects.create(reference=f"Q-{uuid.uuid4().hex[:8]}", submission_token=uuid.uuid4(), **values)


# For the erasure test: a row of each model holding personal data, with the given markers in its declared
# personal text fields.
PERSONAL_FACTORIES = {
    "certification.application": _application_with_markers,
    "certification.enquiry": _enquiry_with_markers,
}


def _report_submitted():
    from certification.services.reports import report_invitation_issue, report_submit

    certificate = certified()
    token = report_invitation_issue(certificate=certificate, year=certificate.report_years()[0])
    return report_submit(
        token=token,
        data={
            "activities_economy": "地元産品の販売",
            "activities_society": "清掃活動",
            "activities_environment": "LED化",
            "outcomes": "参加者120人",
            "next_year_plan": "活動を倍にする",
        },
    )


def _profile_update_submitted():
    from certification.services.profiles import profile_link_issue, profile_update_submit

    token = profile_link_issue(certificate=certified())
    return profile_update_submit(token=token, data={"summary": "市内の清掃活動を毎月行っています", "url": ""})


# For the registry-driven tests (tests/kiyose/registry_support.py): a row of each workflow's model in its
# initial state, and a certified holder so the holder pages have an instance.
WORKFLOW_FACTORIES = {
    "certification.application": submitted,
    "certification.certificate": certified,
    "certification.annualreport": _report_submitted,
    "certification.profileupdate": _profile_update_submitted,
}
PUBLIC_SAMPLES = certified


def _cap_full(obj):
    """順番待ち is for when every place under the cap is taken: the cap set to the places in use."""
    from django.conf import settings
    from django.test import override_settings

    from certification.services import places_left

    return override_settings(CERTIFICATION_CAP=settings.CERTIFICATION_CAP - places_left())


WORKFLOW_CONDITIONS = {"certification.application": {"waiting": _cap_full}}
