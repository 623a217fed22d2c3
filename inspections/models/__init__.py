"""Inspection visits (行政視察): the calendar's facts staff enter (reference) and the requests with everything
that hangs on them (requests). Import from here."""

from inspections.models.reference import (
    BlockedDate,
    BlockedDateQuerySet,
    CouncilSession,
    CouncilSessionQuerySet,
    Programme,
    ProgrammeQuerySet,
    validate_sdg_goals,
)
from inspections.models.requests import (
    DOCUMENTS,
    OPEN_STATUSES,
    SLOT_STATUSES,
    DocumentKind,
    DocumentUpload,
    Enquiry,
    Letter,
    LetterKind,
    Period,
    Request,
    RequestQuerySet,
    Status,
    Transport,
    VisitSlot,
    private_storage,
    upload_path,
)

__all__ = [
    "DOCUMENTS", "OPEN_STATUSES", "SLOT_STATUSES", "BlockedDate", "BlockedDateQuerySet", "CouncilSession",
    "CouncilSessionQuerySet", "DocumentKind", "DocumentUpload", "Enquiry", "Letter", "LetterKind", "Period",
    "Programme", "ProgrammeQuerySet", "Request", "RequestQuerySet", "Status", "Transport", "VisitSlot",
    "private_storage", "upload_path", "validate_sdg_goals",
]
