"""The 17 SDGs, kept here so the certification app depends on nothing of `sdgs` but its sources registry."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

GOALS: dict[int, str] = {
    1: _("貧困をなくそう"),
    2: _("飢餓をゼロに"),
    3: _("すべての人に健康と福祉を"),
    4: _("質の高い教育をみんなに"),
    5: _("ジェンダー平等を実現しよう"),
    6: _("安全な水とトイレを世界中に"),
    7: _("エネルギーをみんなに そしてクリーンに"),
    8: _("働きがいも経済成長も"),
    9: _("産業と技術革新の基盤をつくろう"),
    10: _("人や国の不平等をなくそう"),
    11: _("住み続けられるまちづくりを"),
    12: _("つくる責任 つかう責任"),
    13: _("気候変動に具体的な対策を"),
    14: _("海の豊かさを守ろう"),
    15: _("陸の豊かさも守ろう"),
    16: _("平和と公正をすべての人に"),
    17: _("パートナーシップで目標を達成しよう"),
}


def goal_choices() -> list[tuple[str, str]]:
    return [(str(n), f"{n}. {name}") for n, name in GOALS.items()]


def goal_label(number: int) -> str:
    return f"{number}. {GOALS[number]}"


def goals_encode(goals) -> str:
    """[3, 11] → ',3,11,' : the delimiters let `goals__contains=',11,'` find one goal on any database."""
    numbers = sorted({int(g) for g in goals})
    return f",{','.join(str(n) for n in numbers)}," if numbers else ""


def goals_decode(text: str) -> list[int]:
    return [int(part) for part in (text or "").split(",") if part.strip().isdigit()]


def goal_lookup(number: int) -> str:
    return f",{int(number)},"


class GoalsFormField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        kwargs.setdefault("choices", goal_choices())
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)


class GoalsField(models.CharField):
    """The SDG goals an organisation addresses, as a list of ints in Python."""

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
        bad = [v for v in value if v not in GOALS]
        if bad:
            raise ValidationError(_("SDGsの目標は1から17の番号で選んでください。"), code="invalid")

    def run_validators(self, value):
        # CharField's MaxLengthValidator would measure the list, not the stored text.
        return

    def formfield(self, **kwargs):
        return super(models.CharField, self).formfield(
            form_class=GoalsFormField, choices_form_class=GoalsFormField, **kwargs
        )
