"""What a certification leaves: certificates and their places under the cap, annual reports and their links, the
lifecycle notices, the holders' profile updates, and the scheme's enquiries."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from certification.models.applications import Application, GoalsField, Kind, goal_lookup
from kiyose.enquiries import enquiry_personal_data
from kiyose.models import EnquiryBase
from kiyose.personal import NOT_PERSONAL, PersonalData
from kiyose.portal import Role
from kiyose.wareki import fiscal_year, fiscal_year_range
from sdgs.goals import GOALS, goal_label


class CertificateQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status__in=Certificate.IN_FORCE)

    def registry(self, *, kind: str = "", goal: int | None = None):
        qs = self.in_force().order_by("serial")
        if kind:
            qs = qs.filter(kind=kind)
        if goal:
            qs = qs.filter(goals__contains=goal_lookup(goal))
        return qs


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("有効")
        REPORT_DUE = "report_due", _("報告待ち")
        LAPSED = "lapsed", _("失効")
        REVOKED = "revoked", _("取消")
        EXPIRED = "expired", _("期間満了")

    IN_FORCE = (Status.VALID, Status.REPORT_DUE)

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("申請")
    )
    serial = models.PositiveIntegerField(_("通し番号"), unique=True)
    number = models.CharField(_("認定番号"), max_length=40, unique=True)
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.VALID)
    holder_name = models.CharField(_("認定団体名"), max_length=120)
    kind = models.CharField(_("団体の種類"), max_length=16, choices=Kind.choices)
    goals = GoalsField(_("SDGsの目標"))
    summary = models.CharField(_("取組の概要（公表用）"), max_length=200)
    url = models.URLField(_("ウェブサイト（公表用）"), blank=True)
    contact_email = models.EmailField(_("連絡先メールアドレス"))
    issued_on = models.DateField(_("認定日"))
    valid_until = models.DateField(_("有効期限"))
    renewed_on = models.DateField(_("最終更新日"), null=True, blank=True)
    ended_on = models.DateField(_("終了日（失効・取消・満了）"), null=True, blank=True)
    revoked_reason = models.TextField(_("取消理由"), blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    history = HistoricalRecords()

    objects = CertificateQuerySet.as_manager()
    # The holder's public profile is published by design; only the contact address is a person's.
    personal_data = PersonalData(
        belongs_to="application",
        personal=["contact_email"],
        other=[
            "application",
            "serial",
            "number",
            "status",
            "holder_name",
            "kind",
            "goals",
            "summary",
            "url",
            "issued_on",
            "valid_until",
            "renewed_on",
            "ended_on",
            "revoked_reason",
            "updated_at",
        ],
        export=["number", "holder_name", "status", "issued_on", "valid_until"],
    )

    class Meta:
        verbose_name = _("認定証")
        verbose_name_plural = _("認定証")
        ordering = ["serial"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("issued_on")),
                name="cert_certificate_validity_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | ~Q(revoked_reason=""),
                name="cert_certificate_revocation_has_reason",
            ),
            models.CheckConstraint(condition=Q(serial__gte=1), name="cert_certificate_serial_positive"),
        ]
        indexes = [models.Index(fields=["status", "serial"], name="cert_certificate_status_idx")]

    def __str__(self):
        return f"{self.number} {self.holder_name}"

    @property
    def in_force(self) -> bool:
        return self.status in self.IN_FORCE

    @property
    def goal_labels(self) -> list[str]:
        return [goal_label(g) for g in self.goals if g in GOALS]

    def report_years(self) -> range:
        """The fiscal years this certificate owes an annual report for."""
        return range(fiscal_year(self.issued_on), fiscal_year(self.valid_until) + 1)

    def report_year_due(self, today: dt.date) -> int | None:
        """The fiscal year whose report is being collected on `today` (the one just ended), if owed."""
        year = fiscal_year(today) - 1
        if year in self.report_years() and self.issued_on <= fiscal_year_range(year)[1]:
            return year
        return None


class CertificateSlot(models.Model):
    """One place under the cap. A certificate in force occupies one slot; no more than
    settings.CERTIFICATION_CAP slots are ever in use: a slot is taken under a row lock, and
    `certificate` is unique."""

    number = models.PositiveSmallIntegerField(_("枠番号"), unique=True)
    certificate = models.OneToOneField(
        Certificate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slot",
        verbose_name=_("使用中の認定証"),
    )

    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("認定枠")
        verbose_name_plural = _("認定枠")
        ordering = ["number"]
        constraints = [models.CheckConstraint(condition=Q(number__gte=1), name="cert_slot_number_positive")]

    def __str__(self):
        return str(_("枠{n}")).format(n=self.number)


class AnnualReportQuerySet(models.QuerySet):
    def on_time(self):
        return self.filter(on_time=True)

    def published(self):
        return self.filter(status=AnnualReport.Status.PUBLISHED)


class AnnualReport(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("確認待ち")
        PUBLISHED = "published", _("掲載中")
        WITHHELD = "withheld", _("非掲載")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="reports", verbose_name=_("認定証")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("対象年度"))
    activities_economy = models.TextField(_("活動内容（経済）"), max_length=2000)
    activities_society = models.TextField(_("活動内容（社会）"), max_length=2000)
    activities_environment = models.TextField(_("活動内容（環境）"), max_length=2000)
    outcomes = models.TextField(_("成果"), max_length=2000)
    next_year_plan = models.TextField(_("次年度の計画"), max_length=2000)
    submitted_at = models.DateTimeField(_("提出日時"), default=timezone.now)
    on_time = models.BooleanField(_("期限内の提出"), default=True)
    # Shown on the holder's public page only once staff have read it (REPORT_FLOW).
    status = models.CharField(_("掲載の状態"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    withheld_reason = models.TextField(_("非掲載の理由"), blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    history = HistoricalRecords()

    objects = AnnualReportQuerySet.as_manager()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("年間報告書")
        verbose_name_plural = _("年間報告書")
        ordering = ["-fiscal_year", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "fiscal_year"], name="cert_report_one_per_year"),
        ]

    def __str__(self):
        return f"{self.certificate.number} {self.fiscal_year}"


class HolderLinkQuerySet(models.QuerySet):
    def usable(self, today: dt.date):
        return self.filter(revoked_at__isnull=True, used_at__isnull=True, expires_on__gte=today)


class HolderLink(models.Model):
    """A holder's single-use secret link (the year's report, a change of the public profile). Only the SHA-256
    of the token is stored."""

    token_hash = models.CharField(_("トークンのハッシュ"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("発行日時"), default=timezone.now)
    expires_on = models.DateField(_("有効期限"))
    revoked_at = models.DateTimeField(_("無効化日時"), null=True, blank=True)
    used_at = models.DateTimeField(_("使用日時"), null=True, blank=True)

    objects = HolderLinkQuerySet.as_manager()

    class Meta:
        abstract = True

    def gone_reason(self, today: dt.date) -> str:
        """Why the link can no longer be used ("used", "replaced", "ended", "expired"), or "" while it can; the
        key of the explanation the holder is shown (GONE_MESSAGES)."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "replaced" if self.certificate.in_force else "ended"
        if not self.certificate.in_force:
            return "ended"
        if self.expires_on < today:
            return "expired"
        return ""


class ReportInvitation(HolderLink):
    """A secret link for one certificate and one fiscal year. Only the SHA-256 of the token is stored."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("認定証")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("対象年度"))
    history = HistoricalRecords()
    # Declared on each model (kiyose.personal reads the model's own declaration, never an inherited one).
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("報告用リンク")
        verbose_name_plural = _("報告用リンク")
        ordering = ["-created_at"]
        constraints = [
            # At most one live link per certificate and year: regenerating revokes the previous one.
            models.UniqueConstraint(
                fields=["certificate", "fiscal_year"],
                condition=Q(revoked_at__isnull=True, used_at__isnull=True),
                name="cert_invitation_one_live_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.certificate.number} {self.fiscal_year}"


class Notice(models.Model):
    """A lifecycle mail sent to a holder; the unique key makes the daily run send each one once."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("提出期限前のお知らせ")
        OVERDUE = "overdue", _("提出期限超過のお知らせ")
        LAPSED = "lapsed", _("失効のお知らせ")
        EXPIRED = "expired", _("期間満了のお知らせ")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="notices", verbose_name=_("認定証")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("対象年度"))
    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices)
    sent_on = models.DateField(_("送信日"))
    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("送信済みのお知らせ")
        verbose_name_plural = _("送信済みのお知らせ")
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "fiscal_year", "kind"], name="cert_notice_once"),
        ]

    def __str__(self):
        return f"{self.certificate.number} {self.fiscal_year} {self.get_kind_display()}"


class ProfileLink(HolderLink):
    """A holder's secret link to propose a change of their public profile. Only the SHA-256 of the token is
    stored; a link serves one proposal."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="profile_links", verbose_name=_("認定証")
    )
    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("公表内容の変更用リンク")
        verbose_name_plural = _("公表内容の変更用リンク")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=Q(revoked_at__isnull=True, used_at__isnull=True),
                name="cert_profile_link_one_live",
            ),
        ]

    def __str__(self):
        return f"{self.certificate.number} {self.created_at:%Y-%m-%d}"


class ProfileUpdate(models.Model):
    """A holder's proposed public profile (summary, web site), shown only once staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("確認待ち")
        APPROVED = "approved", _("反映済み")
        DECLINED = "declined", _("見送り")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="profile_updates", verbose_name=_("認定証")
    )
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.PENDING)
    summary = models.CharField(_("取組の概要（公表用）"), max_length=200)
    url = models.URLField(_("ウェブサイト（公表用）"), blank=True)
    submitted_at = models.DateTimeField(_("申出日時"), default=timezone.now)
    decided_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    decline_reason = models.TextField(_("見送りの理由"), blank=True)
    history = HistoricalRecords()

    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("公表内容の変更の申出")
        verbose_name_plural = _("公表内容の変更の申出")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="cert_profile_decline_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.certificate.number} {self.submitted_at:%Y-%m-%d}"


class Enquiry(EnquiryBase):
    """Questions to 未来創造課 about the scheme through /certification/contact/."""

    personal_data = enquiry_personal_data(office=Role.MIRAI)
