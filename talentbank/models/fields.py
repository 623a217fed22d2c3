"""Small sets of choices (days, times, ways of helping) stored as bit masks, and the areas of the city.

A mask is one integer column, so the ranking can test an overlap in SQL (`days & spot_days`) on any
database instead of joining a table per choice. (talentbank/flags.py stays as a name only because the
initial migration, which is history and never edited, imports FlagsField from there.)
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

AREAS = [
    ("asahigaoka", _("旭が丘")),
    ("umezono", _("梅園")),
    ("kamikiyoto", _("上清戸")),
    ("shimokiyoto", _("下清戸")),
    ("shimojuku", _("下宿")),
    ("takeoka", _("竹丘")),
    ("nakakiyoto", _("中清戸")),
    ("nakazato", _("中里")),
    ("noshio", _("野塩")),
    ("matsuyama", _("松山")),
    ("motomachi", _("元町")),
    ("outside", _("市外")),
]


DAYS = [
    (1, _("月曜日")),
    (2, _("火曜日")),
    (4, _("水曜日")),
    (8, _("木曜日")),
    (16, _("金曜日")),
    (32, _("土曜日")),
    (64, _("日曜日・祝日")),
]
TIMES = [
    (1, _("午前")),
    (2, _("午後")),
    (4, _("夜間")),
]
WAYS = [
    (1, _("ボランティアとして")),
    (2, _("有償の仕事（パート・副業など）として")),
    (4, _("起業・事業として")),
    (8, _("講師・指導として")),
    (16, _("相談・助言として")),
]


def mask_from(values) -> int:
    mask = 0
    for value in values or ():
        mask |= int(value)
    return mask


def mask_labels(mask: int, flags) -> list[str]:
    return [str(label) for bit, label in flags if mask & bit]


def mask_display(mask: int, flags) -> str:
    return "、".join(mask_labels(mask, flags)) or "—"


class FlagsFormField(forms.TypedMultipleChoiceField):
    """Check boxes in, an integer mask out (admin forms use this through FlagsField.formfield)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, flags, **kwargs):
        kwargs.pop("max_value", None)
        kwargs.pop("min_value", None)
        kwargs.pop("step_size", None)
        kwargs.pop("coerce", None)
        kwargs.pop("empty_value", None)
        super().__init__(choices=[(str(b), label) for b, label in flags], coerce=int, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return [str(b) for b, _label in self.choices if value & int(b)]
        return value

    def has_changed(self, initial, data):
        return self.prepare_value(initial or 0) != [str(v) for v in (data or [])]

    def clean(self, value):
        return mask_from(super().clean(value))


class FlagsField(models.PositiveSmallIntegerField):
    def __init__(self, *args, flags=(), **kwargs):
        self.flags = list(flags)
        kwargs.setdefault("default", 0)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # The labels are code, not schema: leave them out so a wording change needs no migration.
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return FlagsFormField(
            flags=self.flags,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )
