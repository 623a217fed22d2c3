"""清瀬市SDGs認定証: applications, review under a cap, certificates, annual reports, holders' profiles. Import from
here (the first migration names `certification.models.GoalsField`)."""

from certification.models.applications import (
    APPLICANT_FIELDS,
    INTAKE_FOR_KIND,
    Application,
    ApplicationQuerySet,
    GoalsField,
    Intake,
    Kind,
    Pillar,
    SelfCheckAnswer,
    SelfCheckQuestion,
    goal_lookup,
    goals_decode,
    goals_encode,
    report_deadline,
)
from certification.models.certificates import (
    AnnualReport,
    AnnualReportQuerySet,
    Certificate,
    CertificateQuerySet,
    CertificateSlot,
    Enquiry,
    Notice,
    ProfileLink,
    ProfileLinkQuerySet,
    ProfileUpdate,
    ReportInvitation,
    ReportInvitationQuerySet,
)

__all__ = [
    "APPLICANT_FIELDS", "INTAKE_FOR_KIND", "AnnualReport", "AnnualReportQuerySet", "Application", "ApplicationQuerySet",
    "Certificate", "CertificateQuerySet", "CertificateSlot", "Enquiry", "GoalsField", "Intake", "Kind", "Notice",
    "Pillar", "ProfileLink", "ProfileLinkQuerySet", "ProfileUpdate", "ReportInvitation", "ReportInvitationQuerySet",
    "SelfCheckAnswer", "SelfCheckQuestion", "goal_lookup", "goals_decode", "goals_encode", "report_deadline",
]
