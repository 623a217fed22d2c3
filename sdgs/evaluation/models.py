"""The yearly evaluation (FY2025 first, then every year to 2030), the schedule's milestones and the support
schemes. Imported at the end of sdgs/models/__init__.py, so Django files these models under the `sdgs` app."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kiyose.personal import NOT_PERSONAL
from kiyose.wareki import fiscal_year_label
from sdgs.evaluation.rules import Grade
from sdgs.models import DECIMAL_PLACES, MAX_DIGITS, Area, Initiative, Kpi

__all__ = [
    "Evaluation",
    "EvaluationStatus",
    "KpiEvaluation",
    "Milestone",
    "MilestoneStatus",
    "ScheduleLine",
    "SupportScheme",
]

FIRST_YEAR = 2023
# Long enough for a paragraph of reasons, short enough for one table cell of the A4 report.
TEXT_MAX = 800
NOTE_MAX = 400
TEXT_HELP = _("800文字以内。課内確認に回す前に入力が必要です。")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    REVIEW = "review", _("課内確認")
    PUBLISHED = "published", _("公表")


class EvaluationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EvaluationStatus.PUBLISHED)

    def published_years(self) -> list[int]:
        return sorted(set(self.published().values_list("fiscal_year", flat=True)), reverse=True)

    def current_of(self, year: int, *, include_drafts: bool = False):
        """The revision the public sees for a year (the latest published one); staff previewing see the latest
        revision whatever its state."""
        rows = self.filter(fiscal_year=year)
        if not include_drafts:
            rows = rows.published()
        return rows.order_by("-revision").first()


class Evaluation(models.Model):
    """One fiscal year's evaluation, as one revision. A published revision is never edited again: a
    correction is a new revision (its date and reason shown), and the public page shows the latest."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("評価する年度"), validators=[MinValueValidator(FIRST_YEAR)], help_text=_("西暦で入力（令和7年度なら2025）")
    )
    revision = models.PositiveSmallIntegerField(_("版"), default=1, editable=False)
    status = models.CharField(
        _("状態"), max_length=12, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT, editable=False
    )
    revision_reason = models.TextField(
        _("改訂の理由"),
        blank=True,
        max_length=NOTE_MAX,
        validators=[MaxLengthValidator(NOTE_MAX)],
        help_text=_("改訂版（第2版以降）で必須。公表ページに改訂日とともに表示します。"),
    )
    published_at = models.DateTimeField(_("公表日時"), null=True, blank=True, editable=False)
    # Milestones and money as they stood when the revision was published: later edits go into a new revision.
    snapshot = models.JSONField(_("公表時点の取組・資金"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["snapshot"])
    objects = EvaluationQuerySet.as_manager()
    # Staff accounts appear only in the transition record, as for every workflow.
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("SDGs評価")
        verbose_name_plural = _("SDGs評価（年度別）")
        ordering = ["-fiscal_year", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "revision"], name="sdgs_evaluation_one_per_revision"),
            # One revision in preparation per year: two drafts of the same year could both be published.
            models.UniqueConstraint(
                fields=["fiscal_year"], condition=~Q(status="published"), name="sdgs_evaluation_one_open_per_year"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published"]), name="sdgs_evaluation_status_valid"
            ),
            models.CheckConstraint(condition=Q(fiscal_year__gte=FIRST_YEAR), name="sdgs_evaluation_year_from_2023"),
        ]

    def __str__(self):
        text = _("%(year)s SDGs評価") % {"year": fiscal_year_label(self.fiscal_year)} if self.fiscal_year else ""
        if self.revision > 1:
            text += _("（第%(n)d版）") % {"n": self.revision}
        return str(text)

    @property
    def year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def is_published(self) -> bool:
        return self.status == EvaluationStatus.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status == EvaluationStatus.DRAFT

    def clean(self):
        if self.fiscal_year is not None and self.fiscal_year < FIRST_YEAR:
            raise ValidationError({"fiscal_year": _("評価は%(y)d年度以降について作成します。") % {"y": FIRST_YEAR}})


class KpiEvaluation(models.Model):
    """One KPI in one evaluation: the figures the rule used (kept as they were computed, so the published
    page never moves when an actual is corrected later) and the staff's reasons and plan."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="rows", verbose_name=_("評価"))
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="+", verbose_name=_("KPI"))
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    baseline = models.DecimalField(
        _("基準値"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    target = models.DecimalField(
        _("目標値"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    target_printed = models.CharField(_("目標値（提案書の表記）"), max_length=40, blank=True)
    value = models.DecimalField(
        _("評価に用いた値"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    value_date = models.DateField(_("値の時点"), null=True, blank=True)
    value_label = models.CharField(_("値の時点（表記）"), max_length=60, blank=True)
    value_source = models.CharField(_("値の出典"), max_length=200, blank=True)
    value_note = models.CharField(_("値についての注記"), max_length=200, blank=True)
    rate = models.DecimalField(_("達成率（%）"), max_digits=12, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("評価"), max_length=14, choices=Grade.choices, default=Grade.UNRATED)
    reason = models.CharField(_("評価不能の理由"), max_length=200, blank=True)
    analysis = models.TextField(
        _("要因分析"), blank=True, max_length=TEXT_MAX, validators=[MaxLengthValidator(TEXT_MAX)], help_text=TEXT_HELP
    )
    plan = models.TextField(
        _("今後の方針"), blank=True, max_length=TEXT_MAX, validators=[MaxLengthValidator(TEXT_MAX)], help_text=TEXT_HELP
    )

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("KPIの評価")
        verbose_name_plural = _("KPIの評価")
        ordering = ["evaluation", "order", "kpi__code"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "kpi"], name="sdgs_kpievaluation_one_per_kpi"),
            models.CheckConstraint(
                condition=Q(grade__in=[g.value for g in Grade]), name="sdgs_kpievaluation_grade_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kpi.code} {self.kpi.indicator}"

    @property
    def value_display(self) -> str:
        return self.kpi.format_value(self.value)

    @property
    def target_display(self) -> str:
        return self.target_printed or self.kpi.format_value(self.target)

    @property
    def baseline_display(self) -> str:
        return self.kpi.format_value(self.baseline)

    @property
    def rate_display(self) -> str:
        return f"{self.rate}%" if self.rate is not None else "—"


class ScheduleLine(models.Model):
    """A row of the proposal's schedule (2.1(8) スケジュール) as printed: its side and the 取組名."""

    area = models.CharField(_("区分"), max_length=12, choices=Area.choices)
    name = models.CharField(_("取組名（提案書の表記）"), max_length=200)
    order = models.PositiveSmallIntegerField(_("表示順"), unique=True)
    initiative = models.ForeignKey(
        Initiative, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("対応する取組")
    )

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("スケジュールの取組")
        verbose_name_plural = _("スケジュールの取組")
        ordering = ["order"]

    def __str__(self):
        return f"{self.get_area_display()}：{self.name}"


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("予定")
    DONE = "done", _("実施済")
    LATE = "late", _("遅れ")
    CANCELLED = "cancelled", _("中止")


class Milestone(models.Model):
    """One cell of the schedule: a phase of an initiative in a fiscal year, its text as printed, and the
    status and note staff keep."""

    line = models.ForeignKey(ScheduleLine, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("取組"))
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    position = models.PositiveSmallIntegerField(_("年度内の順"), default=1)
    text = models.CharField(_("内容（提案書の表記）"), max_length=200)
    status = models.CharField(
        _("状況"), max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    note = models.TextField(_("備考"), blank=True, max_length=NOTE_MAX, validators=[MaxLengthValidator(NOTE_MAX)])
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("マイルストーン")
        verbose_name_plural = _("マイルストーン（スケジュール）")
        ordering = ["line__order", "fiscal_year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["line", "fiscal_year", "position"], name="sdgs_milestone_one_per_cell"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in MilestoneStatus]), name="sdgs_milestone_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.line.name} {self.fiscal_year}年度：{self.text}"


class SupportScheme(models.Model):
    """A support scheme the proposal plans to use (活用予定の支援施策), and what was actually received."""

    name = models.CharField(_("支援施策の名称"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("活用予定年度"))
    planned = models.PositiveIntegerField(_("活用予定額（千円）"))
    purpose = models.TextField(_("活用予定の取組の概要"))
    actual = models.PositiveIntegerField(
        _("活用額（千円）"), null=True, blank=True, help_text=_("実際に充当した額。未確定のときは空欄。")
    )
    note = models.TextField(_("備考"), blank=True, max_length=NOTE_MAX, validators=[MaxLengthValidator(NOTE_MAX)])
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("活用予定の支援施策")
        verbose_name_plural = _("活用予定の支援施策")
        ordering = ["order", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["name", "fiscal_year"], name="sdgs_supportscheme_one_per_year"),
        ]

    def __str__(self):
        return f"{self.name}（{self.fiscal_year}年度）"
