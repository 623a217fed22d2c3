"""The applications side: the goals field, the kinds and intake bodies, the self-check list and the applications."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kiyose.personal import NOT_PERSONAL, PersonalData
from kiyose.portal import Role
from sdgs.goals import GOALS, goal_label


def goals_encode(goals) -> str:
    """[3, 11] → ',3,11,' : the delimiters let `goals__contains=',11,'` find one goal on any database."""
    numbers = sorted({int(g) for g in goals})
    return f",{','.join(str(n) for n in numbers)}," if numbers else ""


def goals_decode(text: str) -> list[int]:
    return [int(part) for part in (text or "").split(",") if part.strip().isdigit()]


def goal_lookup(number: int) -> str:
    return f",{int(number)},"


class GoalsField(models.CharField):
    """The SDG goals an organisation addresses (sdgs.goals), as a list of ints in Python."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return goals_decode(value)

    def to_python(self, value):
        if isinstance(value, list):
            return [int(v) for v in value]
        return goals_decode(value)

    def get_prep_value(self, value):
        if isinstance(value, str):
            return value
        return goals_encode(value or [])

    def value_to_string(self, obj):
        return goals_encode(self.value_from_object(obj))

    def validate(self, value, model_instance):
        if not self.blank and not value:
            raise ValidationError(_("SDGsの目標を1つ以上選んでください。"), code="required")
        if any(v not in GOALS for v in value):
            raise ValidationError(_("SDGsの目標は1から17の番号で選んでください。"), code="invalid")

    def run_validators(self, value):
        # CharField's MaxLengthValidator would measure the list, not the stored text.
        return

    def formfield(self, **kwargs):
        from certification.forms import GoalsFormField

        return super(models.CharField, self).formfield(
            form_class=GoalsFormField, choices_form_class=GoalsFormField, **kwargs
        )


class Kind(models.TextChoices):
    COMPANY = "company", _("企業")
    GROUP = "group", _("市民団体")
    OTHER = "other", _("その他")


class Intake(models.TextChoices):
    # The proposal names the two bodies that take enquiries; 未来創造課 itself reviews and certifies.
    SHOKOKAI = "shokokai", _("清瀬商工会（企業）")
    VOLUNTEER_CENTER = "volunteer_center", _("きよせボランティア・市民活動センター（市民団体）")
    DIRECT = "direct", _("未来創造課へ直接（その他の団体）")


class Pillar(models.TextChoices):
    ECONOMY = "economy", _("経済")
    SOCIETY = "society", _("社会")
    ENVIRONMENT = "environment", _("環境")


# Companies come through 清瀬商工会 and citizen groups through the volunteer centre (proposal §1.3(4)).
INTAKE_FOR_KIND = {Kind.COMPANY: Intake.SHOKOKAI, Kind.GROUP: Intake.VOLUNTEER_CENTER}


def report_deadline(year: int) -> dt.date:
    """The report for fiscal year `year` is due on settings.CERTIFICATION_REPORT_DUE of the next one."""
    try:
        month, day = (int(part) for part in settings.CERTIFICATION_REPORT_DUE.split("-"))
        return dt.date(year + 1, month, day)
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"CERTIFICATION_REPORT_DUE: '{settings.CERTIFICATION_REPORT_DUE}' is not MM-DD (e.g. 05-31)."
        ) from None


class SelfCheckQuestion(models.Model):
    """A question of the self-check list; staff keep the set, as prefectural schemes do."""

    text = models.CharField(_("質問"), max_length=300)
    pillar = models.CharField(_("分野"), max_length=16, choices=Pillar.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("使用中"), default=True)
    max_score = models.PositiveSmallIntegerField(_("配点"), default=2)
    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("セルフチェック項目")
        verbose_name_plural = _("セルフチェック項目")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["text"], name="cert_question_text_unique"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="cert_question_max_score_positive"),
        ]

    def __str__(self):
        return self.text


class ApplicationQuerySet(models.QuerySet):
    def waiting_in_order(self):
        return self.filter(status=Application.Status.WAITING).order_by("waitlisted_at", "pk")

    def open(self):
        return self.filter(status__in=Application.OPEN_STATUSES)


# What an applicant types (the public form) and what the service copies onto the application: one list.
APPLICANT_FIELDS = (
    "org_name",
    "org_name_kana",
    "kind",
    "intake",
    "address",
    "url",
    "representative_title",
    "representative_name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "goals",
    "initiative_economy",
    "initiative_society",
    "initiative_environment",
    "summary",
    "commit_annual_report",
    "consent_publication",
)


class Application(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("受付")
        REVIEWING = "reviewing", _("審査中")
        WAITING = "waiting", _("順番待ち")
        CERTIFIED = "certified", _("認定")
        REJECTED = "rejected", _("不認定")
        WITHDRAWN = "withdrawn", _("取下げ")

    OPEN_STATUSES = (Status.RECEIVED, Status.REVIEWING, Status.WAITING)

    reference = models.CharField(_("受付番号"), max_length=32, unique=True)
    submission_token = models.UUIDField(_("送信トークン"), unique=True, editable=False)
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    org_name = models.CharField(_("団体名・事業者名"), max_length=120)
    org_name_kana = models.CharField(_("団体名（ふりがな）"), max_length=160)
    kind = models.CharField(_("団体の種類"), max_length=16, choices=Kind.choices)
    intake = models.CharField(_("申請窓口"), max_length=24, choices=Intake.choices)
    address = models.CharField(_("所在地"), max_length=200)
    url = models.URLField(_("ウェブサイト"), blank=True)
    representative_title = models.CharField(_("代表者の役職"), max_length=60)
    representative_name = models.CharField(_("代表者氏名"), max_length=60)
    contact_name = models.CharField(_("担当者氏名"), max_length=60)
    contact_email = models.EmailField(_("担当者メールアドレス"))
    contact_phone = models.CharField(_("担当者電話番号"), max_length=20)
    goals = GoalsField(_("取り組むSDGsの目標"))
    initiative_economy = models.TextField(_("現在の取組（経済）"), max_length=2000)
    initiative_society = models.TextField(_("現在の取組（社会）"), max_length=2000)
    initiative_environment = models.TextField(_("現在の取組（環境）"), max_length=2000)
    summary = models.CharField(_("取組の概要（公表用）"), max_length=200)
    commit_annual_report = models.BooleanField(_("年間報告書の提出に同意"), default=False)
    consent_publication = models.BooleanField(_("公表に同意"), default=False)
    submitted_at = models.DateTimeField(_("申請日時"), default=timezone.now)
    reviewer_notes = models.TextField(_("審査メモ"), blank=True)
    decision_reason = models.TextField(_("決定理由（不認定・取下げ）"), blank=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("順番待ち登録日時"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ApplicationQuerySet.as_manager()
    personal_data = PersonalData(
        file=_("SDGs認定証申請者ファイル"),
        office=Role.MIRAI,
        purpose=_("清瀬市SDGs認定証の審査、認定、結果の通知及び認定団体との連絡"),
        source=_("本人（申請フォーム）"),
        retention=_("認定の終了又は不認定・取下げの日の属する年度の翌年度から5年"),
        subjects=_("認定を申請した団体の代表者及び担当者"),
        personal=["representative_name", "contact_name", "contact_email", "contact_phone", "reviewer_notes"],
        other=[
            "reference",
            "submission_token",
            "status",
            "org_name",
            "org_name_kana",
            "kind",
            "intake",
            "address",
            "url",
            "representative_title",
            "goals",
            "initiative_economy",
            "initiative_society",
            "initiative_environment",
            "summary",
            "commit_annual_report",
            "consent_publication",
            "submitted_at",
            "decision_reason",
            "decided_at",
            "waitlisted_at",
        ],
        export=["reference", "org_name", "status", "submitted_at"],
    )

    class Meta:
        verbose_name = _("認定申請")
        verbose_name_plural = _("認定申請")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commit_annual_report=True) & Q(consent_publication=True),
                name="cert_application_commitments_given",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="cert_application_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waitlisted_at__isnull=False),
                name="cert_application_waiting_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "waitlisted_at"], name="cert_app_waitlist_idx")]

    def __str__(self):
        return f"{self.reference} {self.org_name}"

    @property
    def goal_labels(self) -> list[str]:
        return [goal_label(g) for g in self.goals if g in GOALS]

    def clean(self):
        expected = INTAKE_FOR_KIND.get(self.kind)
        if expected and self.intake and self.intake != expected:
            raise ValidationError(
                {"intake": _("企業は清瀬商工会、市民団体はきよせボランティア・市民活動センターが窓口です。")}
            )

    @property
    def score_total(self) -> int:
        return sum(a.score or 0 for a in self.answers.all())


class SelfCheckAnswer(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="answers", verbose_name=_("申請")
    )
    question = models.ForeignKey(
        SelfCheckQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("質問")
    )
    # The wording the applicant saw, kept even if staff later edit the question.
    question_text = models.CharField(_("質問（申請時）"), max_length=300)
    answer = models.BooleanField(_("回答（はい）"))
    score = models.PositiveSmallIntegerField(_("審査点"), null=True, blank=True)
    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("セルフチェック回答")
        verbose_name_plural = _("セルフチェック回答")
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="cert_answer_unique_question"),
        ]

    def __str__(self):
        return self.question_text

    def clean(self):
        if self.score is not None and self.question_id and self.score > self.question.max_score:
            raise ValidationError(
                {"score": _("審査点は配点（%(max)s点）以内で入力してください。") % {"max": self.question.max_score}}
            )
