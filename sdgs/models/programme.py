"""The model project: its initiatives by area, the funding scheme (資金スキーム), and the enquiries to
未来創造課, who runs it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kiyose.enquiries import enquiry_personal_data
from kiyose.models import EnquiryBase
from kiyose.personal import NOT_PERSONAL
from kiyose.portal import Role
from sdgs.models.kpis import Kpi, current_fiscal_year


class Area(models.TextChoices):
    """The columns of the funding scheme (資金スキーム) and the sides of the model project."""

    ECONOMY = "economy", _("経済面の取組")
    SOCIETY = "society", _("社会面の取組")
    ENVIRONMENT = "environment", _("環境面の取組")
    INTEGRATED = "integrated", _("三側面をつなぐ統合的取組")


class Initiative(models.Model):
    code = models.CharField(_("取組コード"), max_length=20, unique=True)
    name = models.CharField(_("取組名"), max_length=200)
    area = models.CharField(_("区分"), max_length=12, choices=Area.choices)
    section = models.CharField(_("提案書の項"), max_length=20, blank=True)
    description = models.TextField(_("概要"), blank=True)
    kpis = models.ManyToManyField(Kpi, blank=True, related_name="initiatives", verbose_name=_("関連するKPI"))
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("取組")
        verbose_name_plural = _("取組")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class BudgetLineQuerySet(models.QuerySet):
    def scheme(self):
        return self.order_by("fiscal_year", "area")


class BudgetLine(models.Model):
    """One cell of the 資金スキーム: the planned amount for an area and year, and what was spent."""

    area = models.CharField(_("区分"), max_length=12, choices=Area.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    planned = models.PositiveIntegerField(_("計画額（千円）"))
    spent = models.PositiveIntegerField(_("執行額（千円）"), null=True, blank=True)
    note = models.TextField(_("備考"), blank=True)

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL
    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("資金計画")
        verbose_name_plural = _("資金計画（資金スキーム）")
        ordering = ["fiscal_year", "area"]
        constraints = [
            models.UniqueConstraint(fields=["area", "fiscal_year"], name="sdgs_budgetline_one_per_area_year"),
        ]

    def __str__(self):
        return f"{self.fiscal_year}年度 {self.get_area_display()}"

    def clean(self):
        if self.spent is not None and self.fiscal_year and self.fiscal_year > current_fiscal_year():
            raise ValidationError({"spent": _("まだ始まっていない年度の執行額は入力できません。")})


class Enquiry(EnquiryBase):
    """Questions to 未来創造課 through /sdgs/contact/."""

    personal_data = enquiry_personal_data(office=Role.MIRAI)
