"""Writes of the certification scheme: atomic, validated, their mails queued in the same transaction.

Views, the admin, the daily command and the tests all go through these functions.
"""

from certification.models import report_deadline
from certification.services.applications import (
    application_certify,
    application_reject,
    application_review_start,
    application_score,
    application_submit,
    application_withdraw,
    places_left,
    slots_ensure,
    waitlist_promote,
)
from certification.services.certificates import certificate_renew, certificate_revoke
from certification.services.lifecycle import certificate_lifecycle_step, certification_lifecycle
from certification.services.reports import (
    InvitationProblem,
    invitation_resolve,
    report_invitation_issue,
    report_link,
    report_submit,
)

__all__ = [
    "InvitationProblem",
    "application_certify",
    "application_reject",
    "application_review_start",
    "application_score",
    "application_submit",
    "application_withdraw",
    "certificate_lifecycle_step",
    "certificate_renew",
    "certificate_revoke",
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
