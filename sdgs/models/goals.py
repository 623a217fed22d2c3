"""The UN's goals and their targets (外務省仮訳), as the KPIs are tagged with them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kiyose.personal import NOT_PERSONAL


class Goal(models.Model):
    number = models.PositiveSmallIntegerField(_("ゴール番号"), primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    color = models.CharField(_("色"), max_length=7, help_text=_("国連が定めるゴールの色（#RRGGBB）"))

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("SDGsゴール")
        verbose_name_plural = _("SDGsゴール")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=17), name="sdgs_goal_number_1_17"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def css_class(self) -> str:
        return f"sdg-goal-{self.number}"


class TargetQuerySet(models.QuerySet):
    def with_goal(self):
        return self.select_related("goal")


class Target(models.Model):
    code = models.CharField(_("ターゲット番号"), max_length=8, unique=True)
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="targets", verbose_name=_("ゴール"))
    text = models.TextField(_("ターゲット（外務省仮訳）"), blank=True)

    history = HistoricalRecords()
    personal_data = NOT_PERSONAL
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("SDGsターゲット")
        verbose_name_plural = _("SDGsターゲット")
        ordering = ["goal_id", "code"]

    def __str__(self):
        return self.code

    def clean(self):
        if self.goal_id and self.code.split(".")[0] != str(self.goal_id):
            raise ValidationError({"code": _("ターゲット番号はゴール番号で始めてください（例：8.1）。")})
