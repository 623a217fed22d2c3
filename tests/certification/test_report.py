"""The secret report link: one holder, one year, only its hash stored; misuse gets a clear page, not a 500."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from certification import services
from certification.models import AnnualReport, ReportInvitation
from kiyose.tokens import token_hash
from tests.certification.test_lifecycle import report_data

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 5, 10)


@pytest.fixture
def frozen_today():
    now = timezone.make_aware(dt.datetime(2027, 5, 10, 12, 0))
    with mock.patch("django.utils.timezone.now", return_value=now):
        yield TODAY


@pytest.fixture
def invited(make_certificate, frozen_today):
    certificate = make_certificate(today=dt.date(2026, 6, 1))
    token = services.report_invitation_issue(certificate=certificate, year=2026, today=frozen_today)
    return certificate, token


def url(token: str) -> str:
    return f"/certification/report/{token}/"


def test_only_the_hash_is_stored(invited):
    certificate, token = invited
    invitation = ReportInvitation.objects.get(certificate=certificate)
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    assert invitation.expires_on == dt.date(2027, 7, 30)


def test_form_shows_holder_year_and_deadline(client, invited):
    certificate, token = invited
    html = client.get(url(token)).content.decode()
    assert certificate.holder_name in html
    assert "令和8年度" in html
    assert "令和9年5月31日" in html


def test_filing_through_the_link(client, invited):
    certificate, token = invited
    response = client.post(url(token), report_data())
    assert response.status_code == 302
    report = AnnualReport.objects.get()
    assert (report.certificate_id, report.fiscal_year, report.on_time) == (certificate.pk, 2026, True)
    assert "令和8年度" in client.get(response["Location"]).content.decode()
    again = client.get(url(token))
    assert again.status_code == 410
    assert "既に提出されています" in again.content.decode()
    assert client.post(url(token), report_data()).status_code == 410
    assert AnnualReport.objects.count() == 1


def test_wrong_token_is_a_clear_404(client, invited):
    response = client.get(url("not-a-real-token"))
    assert response.status_code == 404


def test_regenerated_token_replaces_the_old_one(client, invited, frozen_today):
    certificate, old = invited
    new = services.report_invitation_issue(certificate=certificate, year=2026, today=frozen_today)
    response = client.get(url(old))
    assert response.status_code == 410
    assert "新しいリンクの発行" in response.content.decode()
    assert client.get(url(new)).status_code == 200
    assert ReportInvitation.objects.usable(frozen_today).count() == 1


def test_token_of_one_holder_files_only_for_that_holder_and_year(client, invited, make_certificate, frozen_today):
    certificate, token = invited
    other = make_certificate(today=dt.date(2026, 6, 1), org_name="別の団体")
    other_token = services.report_invitation_issue(certificate=other, year=2026, today=frozen_today)
    client.post(url(token), report_data())
    assert list(AnnualReport.objects.values_list("certificate_id", "fiscal_year")) == [(certificate.pk, 2026)]
    # The first holder's spent link cannot file the other's report nor another year.
    assert client.post(url(token), report_data()).status_code == 410
    assert client.post(url(other_token), report_data()).status_code == 302
    assert set(AnnualReport.objects.values_list("certificate_id", "fiscal_year")) == {
        (certificate.pk, 2026),
        (other.pk, 2026),
    }


def test_expired_token(client, invited):
    _certificate, token = invited
    later = timezone.make_aware(dt.datetime(2027, 8, 1, 9, 0))
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get(url(token))
    assert response.status_code == 410
    assert "有効期限が過ぎています" in response.content.decode()


def test_token_of_revoked_certificate(client, invited, frozen_today):
    certificate, token = invited
    services.certificate_revoke(certificate=certificate, reason="取消理由", today=frozen_today)
    response = client.get(url(token))
    assert response.status_code == 410
    assert "現在有効ではない" in response.content.decode()


def test_invitation_only_for_years_the_certificate_covers(make_certificate, frozen_today):
    from django.core.exceptions import ValidationError

    certificate = make_certificate(today=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        services.report_invitation_issue(certificate=certificate, year=2025, today=frozen_today)
    with pytest.raises(ValidationError):
        services.report_invitation_issue(certificate=certificate, year=2029, today=frozen_today)


def test_bad_report_input_keeps_text(client, invited):
    _certificate, token = invited
    data = {**report_data(), "outcomes": ""}
    response = client.post(url(token), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "成果を入力してください" in html
    assert "地元産品の販売" in html
    assert not AnnualReport.objects.exists()


text = st.text(alphabet=st.characters(codec="utf-8"), max_size=2500)


@hsettings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "activities_economy",
                "activities_society",
                "activities_environment",
                "outcomes",
                "next_year_plan",
            ]
        ),
        st.one_of(text, st.lists(text, max_size=2)),
        max_size=5,
    )
)
def test_report_form_never_500(client, invited, fields):
    _certificate, token = invited
    response = client.post(url(token), {**report_data(), **fields})
    assert response.status_code in (200, 302, 400, 410)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/?#%"), min_size=1, max_size=300))
def test_any_token_never_500(client, invited, token):
    response = client.get(url(token))
    assert response.status_code in (200, 400, 404, 410)


def test_filing_a_later_year_does_not_clear_an_overdue_one(make_certificate):
    from certification.models import Certificate

    certificate = make_certificate(today=dt.date(2026, 6, 1))
    services.certification_lifecycle(today=dt.date(2027, 6, 2))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REPORT_DUE
    token = services.report_invitation_issue(certificate=certificate, year=2027, today=dt.date(2027, 6, 3))
    services.report_submit(token=token, data=report_data(), today=dt.date(2027, 6, 3))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REPORT_DUE
