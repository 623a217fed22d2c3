"""The calendar's facts staff enter: featured programmes (the request form's topics), council sessions and the
days staff block."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kiyose.personal import NOT_PERSONAL
from sdgs.goals import goal_label, validate_goal_numbers

# The name the first migration refers to; the rule itself is sdgs.goals'.
validate_sdg_goals = validate_goal_numbers


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True).order_by("order", "pk")


class Programme(models.Model):
    """A featured programme (本市の事務事業) visitors can study; the request form offers these as topics."""

    slug = models.SlugField(_("識別名"), max_length=60, unique=True)
    title = models.CharField(_("事業名"), max_length=200)
    body = models.TextField(_("紹介文"))
    department = models.CharField(_("所管部署"), max_length=100, blank=True)
    sdg_goals = models.JSONField(
        _("関連するSDGsのゴール"), default=list, blank=True, validators=[validate_goal_numbers]
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_published = models.BooleanField(_("公開する"), default=True)

    history = HistoricalRecords()
    objects = ProgrammeQuerySet.as_manager()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("視察項目（本市の事務事業）")
        verbose_name_plural = _("視察項目（本市の事務事業）")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in self.body.splitlines() if line.strip()]

    @property
    def goal_labels(self) -> list[str]:
        return [goal_label(g) for g in self.sdg_goals]


class CouncilSessionQuerySet(models.QuerySet):
    def overlapping(self, start: dt.date, end: dt.date):
        return self.filter(opens_on__lte=end, closes_on__gte=start)


class CouncilSession(models.Model):
    """A sitting of the council (定例会・臨時会) as staff enter it; visits are refused from 7 days before."""

    name = models.CharField(_("会議名"), max_length=100, help_text=_("例：令和8年第2回定例会"))
    opens_on = models.DateField(_("開会日"))
    closes_on = models.DateField(_("閉会日"))

    history = HistoricalRecords()
    objects = CouncilSessionQuerySet.as_manager()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("議会の会期")
        verbose_name_plural = _("議会の会期")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="inspections_session_closes_after_opening",
            ),
            models.UniqueConstraint(fields=["name"], name="inspections_session_name_unique"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("閉会日は開会日以降の日付を入力してください。")})


class BlockedDateQuerySet(models.QuerySet):
    def overlapping(self, start: dt.date, end: dt.date):
        return self.filter(starts_on__lte=end, ends_on__gte=start)


class BlockedDate(models.Model):
    """Days staff close for their own reasons (a department's circumstances, an event, building work)."""

    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了日"))
    reason = models.CharField(
        _("理由"), max_length=200, help_text=_("公開ページのカレンダーと申込フォームに表示されます。")
    )

    history = HistoricalRecords()
    objects = BlockedDateQuerySet.as_manager()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("受け入れ不可日")
        verbose_name_plural = _("受け入れ不可日")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="inspections_blocked_ends_after_start"
            ),
        ]

    def __str__(self):
        if self.starts_on == self.ends_on:
            return f"{self.starts_on}：{self.reason}"
        return f"{self.starts_on}〜{self.ends_on}：{self.reason}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("終了日は開始日以降の日付を入力してください。")})
