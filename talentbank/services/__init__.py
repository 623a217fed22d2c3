"""Writes with side effects, one module per concern; callers use `services.person_register(...)`."""

from talentbank.services.matches import TRANSITIONS, match_next_statuses, match_propose, match_transition
from talentbank.services.people import (
    consent_withdraw,
    person_confirm_by_phone,
    person_confirm_by_token,
    person_register,
    person_renew,
    person_renew_by_token,
    person_resend_confirmation,
)
from talentbank.services.rights import (
    EXPORT_HEADER,
    person_erase,
    person_export_rows,
    person_notify_retention,
    retention_run,
)
from talentbank.services.spots import SPOT_FORM_FIELDS, spot_propose, spot_publish, spot_set_status

__all__ = [
    "person_register",
    "person_resend_confirmation",
    "person_confirm_by_token",
    "person_confirm_by_phone",
    "person_renew_by_token",
    "person_renew",
    "consent_withdraw",
    "EXPORT_HEADER",
    "person_export_rows",
    "person_erase",
    "retention_run",
    "person_notify_retention",
    "SPOT_FORM_FIELDS",
    "spot_propose",
    "spot_publish",
    "spot_set_status",
    "TRANSITIONS",
    "match_next_statuses",
    "match_propose",
    "match_transition",
]
