"""The proposal's KPIs: their pillars and directions, their targets by year, and the number rules the admin,
the forms and the public pages share."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kiyose.personal import NOT_PERSONAL
from kiyose.wareki import fiscal_year
from sdgs.models.goals import Target


class Pillar(models.TextChoices):
    ECONOMY = "economy", _("経済")
    SOCIETY = "society", _("社会")
    ENVIRONMENT = "environment", _("環境")


class Synergy(models.TextChoices):
    ECONOMY_ENVIRONMENT = "経済→環境", _("経済→環境")
    ENVIRONMENT_ECONOMY = "環境→経済", _("環境→経済")
    ECONOMY_SOCIETY = "経済→社会", _("経済→社会")
    SOCIETY_ECONOMY = "社会→経済", _("社会→経済")
    SOCIETY_ENVIRONMENT = "社会→環境", _("社会→環境")
    ENVIRONMENT_SOCIETY = "環境→社会", _("環境→社会")


class Direction(models.TextChoices):
    UP = "up", _("増加を目指す（高いほどよい）")
    DOWN = "down", _("削減を目指す（低いほどよい）")
    # The green area is expected to shrink; the target is the floor it must not fall below.
    SLOW_DECLINE = "slow_decline", _("減少を抑える（目標値を下回らない）")


# Units whose values are counts or amounts: a negative actual is a typing mistake.
MAX_DIGITS = 16
DECIMAL_PLACES = 4


# How the city's copy of the proposal marks what it blacked out (/work/shared/seeds/README.md).
REDACTION_MARKS = ("[REDACTED]", "■")


def format_number(value: Decimal | int, *, min_decimals: int = 0) -> str:
    """A value as staff typed it, for the admin's inputs and lists: thousands separators, no exponent and no
    padding zeros from the column (450000.0000 → "450,000", 4.5E+5 → "450,000"), at least `min_decimals`
    decimals (the KPI's, so 80 shows as "80.0") and never fewer than the value carries (12.35 stays 12.35)."""
    value = Decimal(value)
    exponent = value.normalize().as_tuple().exponent
    places = max(min_decimals, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return f"{value:,.{places}f}"


def has_redaction(text: str) -> bool:
    return any(mark in (text or "") for mark in REDACTION_MARKS)


def fiscal_year_end(year: int) -> dt.date:
    return dt.date(year + 1, 3, 31)


def current_fiscal_year() -> int:
    return fiscal_year(timezone.localdate())


class KpiQuerySet(models.QuerySet):
    def public(self):
        """The KPIs any public page, download or report may show."""
        return self.filter(published=True)

    def needing_name(self):
        """KPIs whose printed name still carries the proposal's redaction: 未来創造課 must enter it."""
        condition = Q()
        for mark in REDACTION_MARKS:
            condition |= Q(indicator__contains=mark)
        return self.filter(condition)

    def for_board(self):
        """Everything the dashboard, the downloads and the report show, in a fixed number of queries."""
        from sdgs.models.actuals import Actual  # actuals.py imports this module for Kpi

        return self.prefetch_related(
            "targets",
            Prefetch("actuals", queryset=Actual.objects.order_by("fiscal_year", "survey_date", "pk")),
            Prefetch("sdg_targets", queryset=Target.objects.with_goal()),
        ).order_by("order", "code")

    def in_goal(self, number: int):
        return self.filter(sdg_targets__goal=number).distinct()

    def in_pillar(self, pillar: str):
        if pillar == "synergy":
            return self.exclude(synergy="")
        return self.filter(pillar=pillar)


class Kpi(models.Model):
    code = models.CharField(_("KPIコード"), max_length=20, unique=True)
    indicator = models.CharField(_("指標"), max_length=200)
    pillar = models.CharField(_("側面"), max_length=12, choices=Pillar.choices)
    synergy = models.CharField(_("相乗効果の方向"), max_length=8, choices=Synergy.choices, blank=True)
    sdg_targets = models.ManyToManyField(Target, blank=True, related_name="kpis", verbose_name=_("SDGsターゲット"))
    unit = models.CharField(_("単位"), max_length=10)
    decimals = models.PositiveSmallIntegerField(_("表示する小数点以下の桁数"), default=0)
    direction = models.CharField(_("目指す方向"), max_length=12, choices=Direction.choices, default=Direction.UP)
    cumulative = models.BooleanField(_("累計"), default=False)
    percent_change = models.BooleanField(
        _("基準年比の増減率"),
        default=False,
        help_text=_("目標と実績を基準年に対する増減率（%）で表す指標（例：CO2排出量 ▲42.9%）"),
    )
    baseline_value = models.DecimalField(
        _("基準値"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        help_text=_("提案書で「—」のときは空欄"),
    )
    baseline_year = models.PositiveSmallIntegerField(_("基準時点（年）"))
    baseline_month = models.PositiveSmallIntegerField(_("基準時点（月）"), null=True, blank=True)
    source_key = models.CharField(
        _("自動集計の元"),
        max_length=80,
        blank=True,
        help_text=_("他の業務から自動で集計する値（登録されていればその値を現在の実績として表示）"),
    )
    appearances = models.JSONField(_("提案書での掲載箇所"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    published = models.BooleanField(
        _("公開する"),
        default=True,
        help_text=_(
            "公開ページ・CSV・JSON・報告書に載せるか。提案書で黒塗りされた指標名は、名称を入力するまで公開できません。"
        ),
    )

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL
    objects = KpiQuerySet.as_manager()

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPI")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_month__isnull=True) | Q(baseline_month__gte=1, baseline_month__lte=12),
                name="sdgs_kpi_baseline_month_valid",
            ),
            models.CheckConstraint(condition=Q(decimals__lte=DECIMAL_PLACES), name="sdgs_kpi_decimals_max"),
            models.CheckConstraint(
                condition=Q(direction__in=[c.value for c in Direction]), name="sdgs_kpi_direction_valid"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.indicator}"

    def clean(self):
        errors = {}
        if self.percent_change and self.baseline_value is not None:
            errors["baseline_value"] = _("増減率の指標では基準値は空欄にしてください（基準年が0%です）。")
        if self.published and has_redaction(self.indicator):
            errors["indicator"] = _(
                "指標名に黒塗り（[REDACTED]・■）が残っているため公開できません。"
                "正しい指標名を入力してから公開してください。"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def needs_name(self) -> bool:
        return has_redaction(self.indicator)

    @property
    def sources_printed(self) -> list[dict]:
        """Where the proposal prints this KPI, with the name as entered where the document's is blacked out."""
        return [
            {**a, "indicator": self.indicator} if has_redaction(a.get("indicator", "")) else a for a in self.appearances
        ]

    @property
    def lower_is_better(self) -> bool:
        return self.direction != Direction.UP

    @property
    def pillar_label(self) -> str:
        """The pillar, or for the six synergy KPIs their printed direction (経済→環境 …)."""
        return self.synergy or self.get_pillar_display()

    @property
    def baseline_date(self) -> dt.date:
        """The point the straight path starts from; a year without a month is that fiscal year's end."""
        if self.baseline_month:
            return dt.date(self.baseline_year, self.baseline_month, 1)
        return fiscal_year_end(self.baseline_year)

    @property
    def baseline_period(self) -> str:
        if self.baseline_month:
            return f"{self.baseline_year:04d}-{self.baseline_month:02d}"
        return f"{self.baseline_year:04d}"

    @property
    def baseline_label(self) -> str:
        if self.baseline_month:
            return _("%(y)d年%(m)d月") % {"y": self.baseline_year, "m": self.baseline_month}
        return _("%(y)d年") % {"y": self.baseline_year}

    @property
    def baseline_display(self) -> str:
        return self.format_value(self.baseline_value)

    def format_value(self, value: Decimal | int | None, *, with_unit: bool = True) -> str:
        """As the document writes it: thousands separators, the KPI's decimals, ▲ for a reduction."""
        if value is None:
            return "—"
        value = Decimal(value)
        text = f"{abs(value):,.{self.decimals}f}"
        if value < 0:
            text = ("▲" if self.percent_change else "-") + text
        return f"{text}{self.unit}" if with_unit else text

    def number(self, value: Decimal | None) -> int | float | None:
        """A JSON number in the document's precision: 432000, 80.0, -42.9, 319.93."""
        if value is None:
            return None
        rounded = round(Decimal(value), self.decimals)
        return int(rounded) if self.decimals == 0 else float(rounded)


class KpiTarget(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets", verbose_name=_("KPI"))
    year = models.PositiveSmallIntegerField(_("目標年度"))
    value = models.DecimalField(_("目標値"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    printed = models.CharField(_("提案書の表記"), max_length=40, blank=True)

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("KPIの目標値")
        verbose_name_plural = _("KPIの目標値")
        ordering = ["kpi", "year"]
        constraints = [models.UniqueConstraint(fields=["kpi", "year"], name="sdgs_kpitarget_one_per_year")]

    def __str__(self):
        return f"{self.kpi.code} {self.year}: {self.printed or self.value}"

    @property
    def date(self) -> dt.date:
        return fiscal_year_end(self.year)
