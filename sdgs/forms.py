"""Forms: the KPI value field (takes 全角 digits, 1,200, ▲12.5), the filters, the yearly entry."""

import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kiyose.wareki import fiscal_year_label
from sdgs.goals import GOALS
from sdgs.models import (
    DECIMAL_PLACES,
    DUPLICATE_DATE_MESSAGE,
    DUPLICATE_YEAR_MESSAGE,
    MAX_DIGITS,
    Actual,
    KpiTarget,
    Pillar,
    current_fiscal_year,
    format_number,
)
from sdgs.sources import source_choices

NUMBER_MESSAGE = _("数値で入力してください（例：1,200　12.5　▲28.6）。")


def normalise_number(text: str) -> str:
    """'１，２００' → '1200', '▲28.6' → '-28.6', '△5' → '-5' (the minus signs Japanese tables use)."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    for minus in ("▲", "△", "−", "ー", "－"):
        text = text.replace(minus, "-")
    return text.replace(",", "").replace(" ", "")


class KpiValueField(forms.DecimalField):
    """A value in the KPI's terms: typed as in a spreadsheet, shown back as entered (see format_number)."""

    default_error_messages = {"invalid": NUMBER_MESSAGE}
    decimals = 0  # the KPI's, set by the form that knows the KPI

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        kwargs.setdefault("localize", False)
        super().__init__(**kwargs)
        # A text box rather than type=number: staff paste "1,200" or "▲12.5" from spreadsheets.
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return super().to_python(normalise_number(value))

    def validate(self, value):
        super().validate(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value):
        # A stored value (Decimal) is shown formatted; what staff typed (a string) is shown back untouched.
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number(value, min_decimals=self.decimals)
        return value


def show_in_kpi_terms(form, kpi, *names: str) -> None:
    """Give the form's value fields the KPI's decimals, so stored values show as "80.0", not "80.0000"."""
    if kpi is None:
        return
    for name in names:
        if name in form.fields:
            form.fields[name].decimals = kpi.decimals


class ActualForm(forms.ModelForm):
    value = KpiValueField(label=_("実績値"))

    class Meta:
        model = Actual
        fields = ["kpi", "fiscal_year", "survey_date", "value", "source", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_in_kpi_terms(self, self.instance.kpi if self.instance.kpi_id else None, "value")


class ActualInlineFormSet(forms.BaseInlineFormSet):
    """Two new rows for one year in a single save would reach the database's constraint: say it at the row."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk or self._should_delete_form(form):
                continue
            data = getattr(form, "cleaned_data", {})
            for name in ("fiscal_year", "survey_date"):
                period = data.get(name)
                if period is None:
                    continue
                if (name, period) in seen:
                    message = (
                        DUPLICATE_YEAR_MESSAGE % {"period": fiscal_year_label(period)}
                        if name == "fiscal_year"
                        else DUPLICATE_DATE_MESSAGE
                    )
                    form.add_error(name, message)
                seen.add((name, period))


class KpiTargetForm(forms.ModelForm):
    value = KpiValueField(label=_("目標値"))

    class Meta:
        model = KpiTarget
        fields = ["year", "value", "printed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_in_kpi_terms(self, self.instance.kpi if self.instance.kpi_id else None, "value")


class KpiAdminForm(forms.ModelForm):
    """The source key offers the registered live figures (and keeps a key whose app is not loaded)."""

    baseline_value = KpiValueField(label=_("基準値"), required=False, help_text=_("提案書で「—」のときは空欄"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_in_kpi_terms(self, self.instance if self.instance.pk else None, "baseline_value")
        choices = [("", _("（自動集計しない）")), *source_choices()]
        current = self.instance.source_key if self.instance else ""
        if current and current not in dict(choices):
            choices.append((current, _("%(key)s（未登録）") % {"key": current}))
        self.fields["source_key"] = forms.ChoiceField(
            label=self.fields["source_key"].label,
            help_text=self.fields["source_key"].help_text,
            choices=choices,
            required=False,
        )


PILLAR_FILTER_CHOICES = [("", _("すべて")), *Pillar.choices, ("synergy", _("相乗効果（三側面をつなぐ）"))]
GROUP_CHOICES = [("pillar", _("側面（経済・社会・環境）ごと")), ("goal", _("SDGsゴールごと"))]


class DashboardFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("まとめ方"), choices=GROUP_CHOICES, required=False)
    pillar = forms.ChoiceField(label=_("側面"), choices=PILLAR_FILTER_CHOICES, required=False)
    goal = forms.TypedChoiceField(label=_("SDGsゴール"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The 17 goals from sdgs.goals: the filter costs no query.
        self.fields["goal"].choices = [("", _("すべて")), *((n, GOALS[n].label) for n in GOALS)]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def choice(self) -> tuple[str, str, int | None]:
        """(group, pillar, goal) to show: the valid selection, or everything grouped by pillar."""
        if not (self.is_bound and self.is_valid()):
            return "pillar", "", None
        data = self.cleaned_data
        return data["group"] or "pillar", data["pillar"] or "", data["goal"]


class YearChoiceForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = range(current_fiscal_year(), 2014, -1)
        self.fields["year"].choices = [(y, fiscal_year_label(y)) for y in years]


class YearEntryRowForm(forms.Form):
    """One KPI's line on the whole-year entry screen; an empty value leaves that KPI untouched."""

    value = KpiValueField(label=_("実績値"), required=False)
    source = forms.CharField(label=_("出典"), max_length=200, required=False)
    note = forms.CharField(label=_("備考"), required=False, widget=forms.TextInput)

    def __init__(self, *args, kpi=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        show_in_kpi_terms(self, kpi, "value")
        if kpi is not None:
            # One label per row would repeat the KPI name three times; the inputs name it instead.
            for name in ("source", "note"):
                self.fields[name].widget.attrs["aria-label"] = f"{kpi.code} {self.fields[name].label}"

    def clean(self):
        cleaned = super().clean()
        value: Decimal | None = cleaned.get("value")
        if value is not None and not cleaned.get("source"):
            self.add_error("source", _("実績値を入力したときは出典も入力してください。"))
        if value is not None and self.kpi is not None:
            if value < 0 and not self.kpi.percent_change:
                self.add_error(
                    "value", _("この指標（単位：%(unit)s）にマイナスの値は入力できません。") % {"unit": self.kpi.unit}
                )
            elif self.kpi.unit == "%" and not self.kpi.percent_change and value > 100:
                self.add_error("value", _("割合は0から100までの値で入力してください。"))
        return cleaned
