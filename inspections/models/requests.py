"""Requests from visiting councils, from the web form to the visit: their places on the calendar, the letters
issued to them, the documents they upload, and the questions sent to the council office."""

import datetime as dt
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inspections.models.reference import Programme
from kiyose.enquiries import enquiry_personal_data
from kiyose.models import EnquiryBase
from kiyose.personal import NOT_PERSONAL, PersonalData
from kiyose.portal import Role
from kiyose.wareki import fiscal_year, fiscal_year_range


class Status(models.TextChoices):
    RECEIVED = "received", _("受付")
    COORDINATING = "coordinating", _("調整中")
    ACCEPTED = "accepted", _("受入決定")
    DECLINED = "declined", _("お断り")
    DOCUMENTS = "documents", _("書類受領")
    COMPLETED = "completed", _("実施済")
    WITHDRAWN = "withdrawn", _("取下げ")


OPEN_STATUSES = (Status.RECEIVED, Status.COORDINATING, Status.ACCEPTED, Status.DOCUMENTS)
# The statuses that hold a day's slot: an accepted visit occupies its date until it is withdrawn.
SLOT_STATUSES = (Status.ACCEPTED, Status.DOCUMENTS, Status.COMPLETED)


class Period(models.TextChoices):
    MORNING = "am", _("午前")
    AFTERNOON = "pm", _("午後")
    EITHER = "any", _("終日いずれでも可")


class Transport(models.TextChoices):
    BUS = "bus", _("バス")
    CAR = "car", _("自動車")
    PUBLIC = "public", _("公共交通機関")


class DocumentKind(models.TextChoices):
    """The four documents the city's page asks for once a visit is accepted, in the order it names them."""

    LETTER = "letter", _("依頼文書")
    PARTICIPANTS = "participants", _("参加者名簿")
    QUESTIONS = "questions", _("質問事項")
    ITINERARY = "itinerary", _("行程")

    @property
    def received_field(self) -> str:
        return f"doc_{self.value}_received_on"


# (checklist field, label) for each document; the checklist's columns are named after the kinds.
DOCUMENTS = tuple((kind.received_field, kind.label) for kind in DocumentKind)


class RequestQuerySet(models.QuerySet):
    def awaiting_answer(self):
        return self.filter(status__in=[Status.RECEIVED, Status.COORDINATING])

    def confirmed(self):
        return self.filter(status__in=[Status.ACCEPTED, Status.DOCUMENTS], confirmed_date__isnull=False)

    def completed(self):
        return self.filter(status=Status.COMPLETED)

    def in_fiscal_year(self, year: int):
        return self.filter(fiscal_year=year)

    def visits_between(self, start: dt.date, end: dt.date):
        return self.filter(status__in=SLOT_STATUSES, confirmed_date__range=(start, end))

    def visits_in_fiscal_year(self, year: int):
        """Finished visits whose day falls in fiscal year `year`, in date order (the public record)."""
        return self.completed().filter(confirmed_date__range=fiscal_year_range(year)).order_by("confirmed_date", "pk")

    def record_years(self) -> list[tuple[int, int]]:
        """[(fiscal year of the visit, number of visits)], newest first, in two queries whatever the number of
        visits: the first and last visit, then one count per fiscal year between them."""
        visits = self.completed().filter(confirmed_date__isnull=False)
        bounds = visits.aggregate(first=Min("confirmed_date"), last=Max("confirmed_date"))
        if bounds["first"] is None:
            return []
        years = range(fiscal_year(bounds["last"]), fiscal_year(bounds["first"]) - 1, -1)
        counts = visits.aggregate(
            **{f"y{year}": Count("pk", filter=Q(confirmed_date__range=fiscal_year_range(year))) for year in years}
        )
        return [(year, counts[f"y{year}"]) for year in years if counts[f"y{year}"]]

    def documents_overdue(self, *, on: dt.date, days: int):
        """Accepted visits within `days` of their day whose documents are not all in and that were not reminded."""
        missing = Q()
        for name, _label in DOCUMENTS:
            missing |= Q(**{f"{name}__isnull": True})
        return self.filter(
            missing,
            status=Status.ACCEPTED,
            reminded_on__isnull=True,
            confirmed_date__gte=on,
            confirmed_date__lte=on + dt.timedelta(days=days),
        )


class Request(models.Model):
    """One inspection-visit request from another council, from the web form to the visit."""

    reference = models.CharField(_("受付番号"), max_length=20, unique=True, editable=False)
    submission_token = models.UUIDField(_("送信トークン"), unique=True, editable=False)
    # The status page's secret link: only its SHA-256 is kept (kiyose.tokens).
    status_token_hash = models.CharField(
        _("状況確認リンクの照合値"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), editable=False, db_index=True)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    council = models.CharField(_("自治体名・議会名"), max_length=100, help_text=_("例：○○市議会"))
    committee = models.CharField(_("委員会名／会派名"), max_length=100)
    contact_name = models.CharField(_("担当者氏名"), max_length=100)
    contact_department = models.CharField(_("担当者の所属"), max_length=100, help_text=_("例：○○市議会事務局議事課"))
    phone = models.CharField(_("電話番号"), max_length=20)
    email = models.EmailField(_("メールアドレス"))
    address = models.CharField(_("所在地"), max_length=200)

    preferred_date_1 = models.DateField(_("第1希望日"))
    preferred_period_1 = models.CharField(_("第1希望の時間帯"), max_length=3, choices=Period.choices)
    preferred_date_2 = models.DateField(_("第2希望日"), null=True, blank=True)
    preferred_period_2 = models.CharField(_("第2希望の時間帯"), max_length=3, choices=Period.choices, blank=True)
    preferred_date_3 = models.DateField(_("第3希望日"), null=True, blank=True)
    preferred_period_3 = models.CharField(_("第3希望の時間帯"), max_length=3, choices=Period.choices, blank=True)

    councillors = models.PositiveSmallIntegerField(
        _("議員の人数"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    staff = models.PositiveSmallIntegerField(_("随行職員の人数"), default=0, validators=[MaxValueValidator(50)])
    topics = models.ManyToManyField(Programme, verbose_name=_("視察項目"), blank=True, related_name="requests")
    topics_other = models.TextField(_("その他の視察項目"), blank=True)
    purpose = models.TextField(_("視察の目的"))
    questions = models.TextField(_("事前の質問事項"), blank=True)
    transport = models.CharField(_("交通手段"), max_length=10, choices=Transport.choices)
    vehicles = models.PositiveSmallIntegerField(
        _("車両の台数"), null=True, blank=True, validators=[MaxValueValidator(20)]
    )
    notes = models.TextField(_("備考"), blank=True)

    # The office's side of the workflow.
    department = models.CharField(_("所管部署"), max_length=100, blank=True)
    confirmed_date = models.DateField(_("視察日"), null=True, blank=True, db_index=True)
    confirmed_start = models.TimeField(_("開始時刻"), null=True, blank=True)
    confirmed_end = models.TimeField(_("終了時刻"), null=True, blank=True)
    place = models.CharField(_("場所"), max_length=200, blank=True)
    decline_reason = models.TextField(_("お断りの理由"), blank=True)
    withdraw_reason = models.TextField(_("取下げの理由"), blank=True)
    closed_on = models.DateField(_("お断り・取下げの日"), null=True, blank=True)
    doc_letter_received_on = models.DateField(_("依頼文書の受領日"), null=True, blank=True)
    doc_participants_received_on = models.DateField(_("参加者名簿の受領日"), null=True, blank=True)
    doc_questions_received_on = models.DateField(_("質問事項の受領日"), null=True, blank=True)
    doc_itinerary_received_on = models.DateField(_("行程の受領日"), null=True, blank=True)
    reminded_on = models.DateField(_("書類の督促メールの送信日"), null=True, blank=True, editable=False)
    staff_note = models.TextField(_("事務局メモ"), blank=True)

    history = HistoricalRecords(m2m_fields=[topics])
    objects = RequestQuerySet.as_manager()
    personal_data = PersonalData(
        file=_("行政視察申込者ファイル"),
        office=Role.COUNCIL,
        purpose=_("行政視察の受入れの調整、回答、関係文書の送付及び受入れ実績の記録"),
        source=_("本人（申込フォーム・状況確認ページ）"),
        retention=_("視察の実施、お断り又は取下げの日の属する年度の翌年度から5年"),
        personal=["contact_name", "phone", "email", "notes", "staff_note"],
        other=[
            "reference",
            "submission_token",
            "status_token_hash",
            "fiscal_year",
            "status",
            "created_at",
            "updated_at",
            "council",
            "committee",
            "contact_department",
            "address",
            "councillors",
            "staff",
            "topics",
            "topics_other",
            "purpose",
            "questions",
            "transport",
            "vehicles",
            "department",
            "confirmed_date",
            "confirmed_start",
            "confirmed_end",
            "place",
            "decline_reason",
            "withdraw_reason",
            "closed_on",
            "reminded_on",
            *[f"preferred_{part}_{rank}" for rank in (1, 2, 3) for part in ("date", "period")],
            *[name for name, _label in DOCUMENTS],
        ],
        export=["reference", "council", "committee", "status", "created_at", "confirmed_date"],
    )

    class Meta:
        verbose_name = _("行政視察の申込み")
        verbose_name_plural = _("行政視察の申込み")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="inspections_request_status_known"),
            models.CheckConstraint(
                condition=~Q(status__in=SLOT_STATUSES) | Q(confirmed_date__isnull=False),
                name="inspections_request_accepted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="inspections_request_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdraw_reason=""),
                name="inspections_request_withdrawn_has_reason",
            ),
            models.CheckConstraint(condition=Q(councillors__gte=1), name="inspections_request_has_councillors"),
            models.CheckConstraint(
                condition=Q(transport="public", vehicles__isnull=True)
                | (Q(transport__in=["bus", "car"]) & Q(vehicles__gte=1)),
                name="inspections_request_vehicles_match_transport",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.council} {self.committee}"

    def clean(self):
        errors = {}
        if self.transport in (Transport.BUS, Transport.CAR) and not self.vehicles:
            errors["vehicles"] = _("バス・自動車でお越しの場合は台数を入力してください。")
        if self.transport == Transport.PUBLIC and self.vehicles:
            errors["vehicles"] = _("公共交通機関でお越しの場合は台数を空欄にしてください。")
        if self.status in SLOT_STATUSES and not self.confirmed_date:
            errors["confirmed_date"] = _("受入決定には視察日が必要です。")
        if self.status == Status.DECLINED and not self.decline_reason.strip():
            errors["decline_reason"] = _("お断りの理由を入力してください。")
        if self.status == Status.WITHDRAWN and not self.withdraw_reason.strip():
            errors["withdraw_reason"] = _("取下げの理由を入力してください。")
        if self.confirmed_start and self.confirmed_end and self.confirmed_end <= self.confirmed_start:
            errors["confirmed_end"] = _("終了時刻は開始時刻より後にしてください。")
        if errors:
            raise ValidationError(errors)

    @property
    def visitors(self) -> int:
        return self.councillors + self.staff

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def takes_documents(self) -> bool:
        """The documents are sent once a visit is accepted, and may be replaced until it has taken place."""
        return self.status in (Status.ACCEPTED, Status.DOCUMENTS)

    def preferences(self) -> list[tuple[int, dt.date, str]]:
        """[(rank, date, period label), …] for the preferred dates given."""
        rows = []
        for rank in (1, 2, 3):
            day = getattr(self, f"preferred_date_{rank}")
            if day:
                rows.append((rank, day, getattr(self, f"get_preferred_period_{rank}_display")()))
        return rows

    def documents(self) -> list[tuple[str, str, dt.date | None]]:
        return [(name, str(label), getattr(self, name)) for name, label in DOCUMENTS]

    def documents_missing(self) -> list[str]:
        return [label for _name, label, received in self.documents() if received is None]

    def topic_labels(self) -> list[str]:
        # Uses the prefetched topics when the caller prefetched them; records and letters always do.
        labels = [t.title for t in self.topics.all()]
        if self.topics_other.strip():
            labels.append(self.topics_other.strip())
        return labels

    @property
    def visit_fiscal_year(self) -> int | None:
        return fiscal_year(self.confirmed_date) if self.confirmed_date else None

    def status_link_expires_on(self) -> dt.date | None:
        """The last day the status page opens: INSPECTIONS_STATUS_DAYS_AFTER_VISIT days after the visit, or after
        the decline or withdrawal; None while the request is still being answered."""
        days = dt.timedelta(days=settings.INSPECTIONS_STATUS_DAYS_AFTER_VISIT)
        if self.status in (Status.DECLINED, Status.WITHDRAWN):
            base = self.closed_on or timezone.localdate(self.updated_at)
        elif self.status in SLOT_STATUSES:
            base = self.confirmed_date
        else:
            return None
        return base + days if base else None


class VisitSlot(models.Model):
    """One of a day's visit places. (date, index) is unique and index < capacity, so two staff accepting
    into a day's last place at the same moment collide in the database and exactly one succeeds."""

    date = models.DateField(_("日付"))
    index = models.PositiveSmallIntegerField(_("枠番号"))
    request = models.OneToOneField(Request, on_delete=models.CASCADE, related_name="slot", verbose_name=_("申込み"))

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("受け入れ枠")
        verbose_name_plural = _("受け入れ枠")
        constraints = [models.UniqueConstraint(fields=["date", "index"], name="inspections_slot_unique_per_day")]

    def __str__(self):
        return f"{self.date} #{self.index + 1}"


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "ack", _("受付確認書")
    ACCEPTANCE = "accept", _("受入決定通知")
    DECLINE = "decline", _("お断り通知")


class Letter(models.Model):
    """An issued official letter: its number is taken once and reprints keep it."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="letters", verbose_name=_("申込み"))
    kind = models.CharField(_("種類"), max_length=10, choices=LetterKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("文書番号"))
    issued_on = models.DateField(_("発行日"))

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("発行文書")
        verbose_name_plural = _("発行文書")
        ordering = ["-issued_on", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="inspections_letter_once_per_kind"),
            models.UniqueConstraint(fields=["fiscal_year", "serial"], name="inspections_letter_serial_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.serial}"


def private_storage():
    # Read at use, not at import: tests and deployments point the "private" alias elsewhere.
    return storages["private"]


def upload_path(instance: "DocumentUpload", filename: str) -> str:
    """Where a document is kept: never the visitor's file name, only the checked type's extension."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"inspections/{instance.request_id}/{instance.kind}/{uuid.uuid4().hex}{suffix}"


class DocumentUpload(models.Model):
    """One version of a document a visiting council uploaded on its status page; a replacement is a new
    version and the earlier ones stay."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="uploads", verbose_name=_("申込み"))
    kind = models.CharField(_("書類"), max_length=20, choices=DocumentKind.choices)
    version = models.PositiveSmallIntegerField(_("版"))
    file = models.FileField(_("ファイル"), storage=private_storage, upload_to=upload_path, max_length=200)
    original_name = models.CharField(_("ファイル名"), max_length=120)
    content_type = models.CharField(_("ファイルの種類"), max_length=100)
    size = models.PositiveIntegerField(_("大きさ（バイト）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("受信日時"), auto_now_add=True)

    personal_data = PersonalData(
        file=_("行政視察申込者ファイル"),
        office=Role.COUNCIL,
        purpose=_("行政視察の受入れに必要な書類（参加者名簿等）の受領"),
        source=_("本人（状況確認ページからの提出）"),
        retention=_("申込みと同じ"),
        personal=["file", "original_name"],
        other=["request", "kind", "version", "content_type", "size", "sha256", "uploaded_at"],
        belongs_to="request",
    )

    class Meta:
        verbose_name = _("提出書類")
        verbose_name_plural = _("提出書類")
        ordering = ["request", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "version"], name="inspections_upload_version_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="inspections_upload_version_from_one"),
        ]

    def __str__(self):
        return _("%(kind)s 第%(version)d版") % {"kind": self.get_kind_display(), "version": self.version}


class Enquiry(EnquiryBase):
    """Questions to the council office through /inspections/contact/."""

    personal_data = enquiry_personal_data(office=Role.COUNCIL)
