"""Writes with side effects, one module per concern; callers use `services.person_register(...)`."""

from talentbank.services.matches import MATCH_FLOW, match_note_add, match_propose, match_transition
from talentbank.services.people import (
    consent_record,
    consent_withdraw,
    consents_current,
    link_is_expired,
    person_confirm_by_phone,
    person_confirm_by_token,
    person_register,
    person_renew,
    person_resend_confirmation,
    person_update,
)
from talentbank.services.rights import (
    EXPORT_HEADER,
    person_erase,
    person_export_rows,
    person_notify_retention,
    person_rows,
    person_withdraw,
    retention_run,
)
from talentbank.services.spots import SPOT_FLOW, SPOT_FORM_FIELDS, spot_propose, spot_transition

__all__ = [
    "EXPORT_HEADER",
    "MATCH_FLOW",
    "SPOT_FLOW",
    "SPOT_FORM_FIELDS",
    "consent_record",
    "consent_withdraw",
    "consents_current",
    "link_is_expired",
    "match_note_add",
    "match_propose",
    "match_transition",
    "person_confirm_by_phone",
    "person_confirm_by_token",
    "person_erase",
    "person_export_rows",
    "person_notify_retention",
    "person_register",
    "person_rows",
    "person_renew",
    "person_resend_confirmation",
    "person_update",
    "person_withdraw",
    "retention_run",
    "spot_propose",
    "spot_transition",
]
