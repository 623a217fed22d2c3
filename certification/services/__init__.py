"""Writes of the certification scheme: atomic, validated, their mails queued in the same transaction. Views,
the admin, the daily command and the tests all go through these functions:

- applications: intake, the review workflow (APPLICATION_FLOW, application_transition), the cap;
- certificates: CERTIFICATE_FLOW and certificate_transition, revocation, renewal;
- lifecycle: the daily run (reminders, 報告待ち, lapse, expiry, promotion);
- reports: report links and filing, staff's review of reports (REPORT_FLOW);
- mail: the scheme's mail templates and where the office's notices go.
"""

from certification.models import report_deadline
from certification.services.applications import (
    APPLICATION_FLOW,
    application_certify,
    application_reject,
    application_review_start,
    application_score,
    application_submit,
    application_transition,
    application_withdraw,
    places_left,
    slots_ensure,
    waitlist_promote,
)
from certification.services.certificates import (
    CERTIFICATE_FLOW,
    certificate_renew,
    certificate_revoke,
    certificate_transition,
)
from certification.services.lifecycle import certificate_lifecycle_step, certification_lifecycle
from certification.services.reports import (
    invitation_resolve,
    report_invitation_issue,
    report_link,
    report_submit,
)

__all__ = [
    "APPLICATION_FLOW",
    "CERTIFICATE_FLOW",
    "application_certify",
    "application_reject",
    "application_review_start",
    "application_score",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "certificate_lifecycle_step",
    "certificate_renew",
    "certificate_revoke",
    "certificate_transition",
    "certification_lifecycle",
    "invitation_resolve",
    "places_left",
    "report_deadline",
    "report_invitation_issue",
    "report_link",
    "report_submit",
    "slots_ensure",
    "waitlist_promote",
]
