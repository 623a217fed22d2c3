import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.availability import OPEN, day_status, earliest_request_date, today
from inspections.models import DOCUMENTS, Period, Programme, Transport
from kiyose.forms import HoneypotMixin, PhoneField
from kiyose.wareki import wareki

# A request further ahead than this is surely a typo (and keeps date arithmetic far from year 9999).
MAX_DAYS_AHEAD = 3 * 366
RANKS = (1, 2, 3)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TopicsField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # Refuse what cannot be a primary key before it reaches the database (a huge number overflows SQLite).
        for pk in value:
            if not str(pk).isdigit() or int(str(pk)) > 2**31:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class RequestForm(HoneypotMixin, forms.Form):
    council = forms.CharField(label=_("自治体名・議会名"), max_length=100, help_text=_("例：○○市議会"))
    committee = forms.CharField(
        label=_("委員会名／会派名"), max_length=100, help_text=_("例：総務文教委員会")
    )
    contact_name = forms.CharField(
        label=_("担当者氏名"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_department = forms.CharField(
        label=_("担当者の所属"),
        max_length=100,
        help_text=_("例：○○市議会事務局議事課"),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    phone = PhoneField(label=_("電話番号"), help_text=_("例：042-497-2566（全角でも入力できます）"))
    email = forms.EmailField(
        label=_("メールアドレス"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    address = forms.CharField(
        label=_("所在地"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )

    preferred_date_1 = forms.DateField(label=_("第1希望日"), widget=DateInput())
    preferred_period_1 = forms.ChoiceField(label=_("第1希望の時間帯"), choices=Period.choices)
    preferred_date_2 = forms.DateField(label=_("第2希望日"), required=False, widget=DateInput())
    preferred_period_2 = forms.ChoiceField(
        label=_("第2希望の時間帯"), required=False, choices=[("", "―")] + Period.choices
    )
    preferred_date_3 = forms.DateField(label=_("第3希望日"), required=False, widget=DateInput())
    preferred_period_3 = forms.ChoiceField(
        label=_("第3希望の時間帯"), required=False, choices=[("", "―")] + Period.choices
    )

    councillors = forms.IntegerField(label=_("議員の人数"), min_value=1, max_value=100)
    staff = forms.IntegerField(label=_("随行職員の人数"), min_value=0, max_value=50, initial=0)
    topics = TopicsField(
        label=_("視察項目"),
        required=False,
        queryset=Programme.objects.published(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("複数選択できます。"),
    )
    topics_other = forms.CharField(
        label=_("その他の視察項目"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("上記以外の事業を視察したい場合にご記入ください。"),
    )
    purpose = forms.CharField(
        label=_("視察の目的"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    questions = forms.CharField(
        label=_("事前の質問事項"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    transport = forms.ChoiceField(label=_("交通手段"), choices=Transport.choices, widget=forms.RadioSelect)
    vehicles = forms.IntegerField(
        label=_("車両の台数"),
        required=False,
        min_value=1,
        max_value=20,
        help_text=_("バス・自動車の場合にご記入ください。"),
    )
    notes = forms.CharField(
        label=_("備考"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        self._clean_preferences(cleaned)
        if (
            not cleaned.get("topics")
            and not (cleaned.get("topics_other") or "").strip()
            and "topics" not in self.errors
        ):
            self.add_error("topics", _("視察項目を1つ以上選ぶか、その他の視察項目をご記入ください。"))
        transport = cleaned.get("transport")
        if (
            transport in (Transport.BUS, Transport.CAR)
            and not cleaned.get("vehicles")
            and "vehicles" not in self.errors
        ):
            self.add_error("vehicles", _("バス・自動車でお越しの場合は台数を入力してください。"))
        if transport == Transport.PUBLIC:
            cleaned["vehicles"] = None
        return cleaned

    def _clean_preferences(self, cleaned):
        on = today()
        earliest = earliest_request_date(on)
        seen = {}
        for rank in RANKS:
            date_field, period_field = f"preferred_date_{rank}", f"preferred_period_{rank}"
            day, period = cleaned.get(date_field), cleaned.get(period_field)
            if day is None:
                if period and rank > 1:
                    cleaned[period_field] = ""
                continue
            if rank > 1 and not period and period_field not in self.errors:
                self.add_error(period_field, _("時間帯を選んでください。"))
            message = self._date_problem(day, on, earliest)
            if message is None and (day, period) in seen:
                message = _("第%(rank)d希望と同じ日時です。別の日時を選んでください。") % {
                    "rank": seen[(day, period)]
                }
            if message:
                self.add_error(date_field, message)
            seen.setdefault((day, period), rank)

    @staticmethod
    def _date_problem(day: dt.date, on: dt.date, earliest: dt.date) -> str | None:
        if day <= on:
            return _("今日より後の日付を入力してください。")
        if day < earliest:
            return _(
                "お申込みは視察希望日の%(days)d日前までにお願いしています。%(earliest)s以降の日付を選んでください。"
            ) % {"days": (earliest - on).days, "earliest": wareki(earliest)}
        if day > on + dt.timedelta(days=MAX_DAYS_AHEAD):
            return _("3年以内の日付を入力してください。")
        status = day_status(day, public=True, on=on)
        if status.status != OPEN:
            return _("この日はお受けできません（%(reason)s）。カレンダーで受付可の日をお選びください。") % {
                "reason": status.reason_text
            }
        return None

    def service_data(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name not in ("topics", "website")}
        for rank in RANKS:
            data[f"preferred_period_{rank}"] = data.get(f"preferred_period_{rank}") or ""
        data["staff"] = data.get("staff") or 0
        for name in ("topics_other", "questions", "notes"):
            data[name] = (data.get(name) or "").strip()
        return data


class DepartmentForm(forms.Form):
    department = forms.CharField(label=_("所管部署"), max_length=100)


class AcceptForm(forms.Form):
    confirmed_date = forms.DateField(label=_("視察日"), widget=DateInput())
    confirmed_start = forms.TimeField(label=_("開始時刻"), widget=forms.TimeInput(attrs={"type": "time"}))
    confirmed_end = forms.TimeField(
        label=_("終了時刻"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("場所"), max_length=200, initial=_("清瀬市役所"))


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("お断りの理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DocumentsForm(forms.Form):
    """The checklist: each document with the date it arrived."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in DOCUMENTS:
            self.fields[name] = forms.DateField(
                label=_("%(doc)sの受領日") % {"doc": label}, required=False, widget=DateInput()
            )


class EmptyForm(forms.Form):
    pass


TRANSITION_FORMS = {
    "coordinating": DepartmentForm,
    "accepted": AcceptForm,
    "declined": DeclineForm,
    "documents": DocumentsForm,
    "completed": EmptyForm,
    "withdrawn": EmptyForm,
}
