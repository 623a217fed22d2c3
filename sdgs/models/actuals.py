"""The measured values of the KPIs, each for a fiscal year (年度) or a dated survey."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kiyose.personal import NOT_PERSONAL
from kiyose.wareki import fiscal_year, fiscal_year_label
from sdgs.models.kpis import DECIMAL_PLACES, MAX_DIGITS, Kpi, fiscal_year_end, format_number


class ActualQuerySet(models.QuerySet):
    def in_fiscal_year(self, year: int):
        return self.filter(fiscal_year=year)

    def for_kpis(self, kpis):
        return self.filter(kpi__in=kpis)


class Actual(models.Model):
    """One measured value: for a fiscal year (年度) or for a dated survey."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="actuals", verbose_name=_("KPI"))
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), null=True, blank=True, help_text=_("西暦で入力（令和7年度なら2025）")
    )
    survey_date = models.DateField(
        _("調査日"), null=True, blank=True, help_text=_("世論調査など、年度ではなく日付で測る場合")
    )
    value = models.DecimalField(_("実績値"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    source = models.CharField(_("出典"), max_length=200, help_text=_("例：市政世論調査、担当課集計"))
    note = models.TextField(_("備考"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("入力者"),
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    history = HistoricalRecords()
    # Who entered a value is a staff account (kiyose_staff's file), not a person's data of this app.
    personal_data = NOT_PERSONAL
    objects = ActualQuerySet.as_manager()

    class Meta:
        verbose_name = _("実績")
        verbose_name_plural = _("実績")
        ordering = ["kpi", "fiscal_year", "survey_date"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(fiscal_year__isnull=False, survey_date__isnull=True)
                    | Q(fiscal_year__isnull=True, survey_date__isnull=False)
                ),
                name="sdgs_actual_one_period",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__isnull=True) | Q(fiscal_year__gte=2000),
                name="sdgs_actual_fiscal_year_from_2000",
            ),
            models.UniqueConstraint(
                fields=["kpi", "fiscal_year"],
                condition=Q(fiscal_year__isnull=False),
                name="sdgs_actual_one_per_fiscal_year",
            ),
            models.UniqueConstraint(
                fields=["kpi", "survey_date"],
                condition=Q(survey_date__isnull=False),
                name="sdgs_actual_one_per_survey_date",
            ),
        ]

    def __str__(self):
        return f"{self.kpi.code} {self.period_label}: {format_number(self.value, min_decimals=self.kpi.decimals)}"

    @property
    def date(self) -> dt.date:
        """Where the value sits on the time axis: a fiscal year's value is its state at the year's end."""
        return fiscal_year_end(self.fiscal_year) if self.fiscal_year else self.survey_date

    @property
    def period(self) -> str:
        """Machine-readable period: "FY2025" for 年度, ISO date for a survey."""
        return f"FY{self.fiscal_year}" if self.fiscal_year else self.survey_date.isoformat()

    @property
    def period_label(self) -> str:
        if self.fiscal_year:
            return fiscal_year_label(self.fiscal_year)
        from kiyose.wareki import wareki

        return _("%(date)s調査") % {"date": wareki(self.survey_date)}

    def clean(self):
        errors = {}
        if (self.fiscal_year is None) == (self.survey_date is None):
            errors["fiscal_year"] = _("年度か調査日のどちらか一方を入力してください。")
        today = timezone.localdate()
        if self.fiscal_year is not None:
            if self.fiscal_year < 2000:
                errors["fiscal_year"] = _("年度は西暦で入力してください（例：令和7年度なら2025）。")
            elif self.fiscal_year > fiscal_year(today):
                errors["fiscal_year"] = _(
                    "%(year)d年度はまだ始まっていません。実績は現在の年度（%(now)d年度）までしか入力できません。"
                ) % {"year": self.fiscal_year, "now": fiscal_year(today)}
        if self.survey_date is not None and self.survey_date > today:
            errors["survey_date"] = _("調査日が未来の日付です。実施済みの調査の日付を入力してください。")
        kpi = self.kpi if self.kpi_id else None
        if kpi is not None and "fiscal_year" not in errors and "survey_date" not in errors:
            self._check_period_free(errors)
        if self.value is not None and kpi is not None:
            if self.value < 0 and not kpi.percent_change:
                errors["value"] = _("この指標（単位：%(unit)s）にマイナスの値は入力できません。") % {"unit": kpi.unit}
            elif kpi.unit == "%" and not kpi.percent_change and self.value > 100:
                errors["value"] = _("割合は0から100までの値で入力してください。")
        if errors:
            raise ValidationError(errors)

    def _check_period_free(self, errors: dict) -> None:
        """One value per KPI and period, said at the field in words (not as the constraint's name)."""
        others = Actual.objects.filter(kpi_id=self.kpi_id).exclude(pk=self.pk)
        if self.fiscal_year is not None and others.filter(fiscal_year=self.fiscal_year).exists():
            errors["fiscal_year"] = DUPLICATE_YEAR_MESSAGE % {"period": fiscal_year_label(self.fiscal_year)}
        elif self.survey_date is not None and others.filter(survey_date=self.survey_date).exists():
            errors["survey_date"] = DUPLICATE_DATE_MESSAGE


DUPLICATE_YEAR_MESSAGE = _(
    "このKPIの%(period)sの実績はすでに入力されています。訂正するときは、その行の値を書き換えてください。"
)
DUPLICATE_DATE_MESSAGE = _(
    "このKPIのこの調査日の実績はすでに入力されています。訂正するときは、その行の値を書き換えてください。"
)
