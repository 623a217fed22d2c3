"""The request form, the status page's forms, the staff's transition forms and the admin's model forms: all
with the portal's one text rule and its specific messages (kiyose.forms.PortalFormMixin)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import DOCUMENTS, DocumentKind, Period, Programme, Transport
from inspections.services.availability import OPEN, availability, day_status, earliest_request_date, today
from kiyose.forms import HoneypotMixin, PhoneField, PortalFormMixin, portalise
from kiyose.params import parse_id
from kiyose.wareki import wareki
from kiyose.workflow import ReasonForm, TransitionForm
from sdgs.goals import goal_choices

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
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class RequestForm(PortalFormMixin, HoneypotMixin, forms.Form):
    field_units = {"councillors": "人", "staff": "人", "vehicles": "台"}
    # Printed in the 受付確認書 and the letters that follow: only characters the vendored font holds.
    printed_fields = ("council", "committee", "topics_other")

    council = forms.CharField(label=_("自治体名・議会名"), max_length=100, help_text=_("例：○○市議会"))
    committee = forms.CharField(label=_("委員会名／会派名"), max_length=100, help_text=_("例：総務文教委員会"))
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
        label=_("所在地"), max_length=200, widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"})
    )

    preferred_date_1 = forms.DateField(label=_("第1希望日"), widget=DateInput())
    preferred_period_1 = forms.ChoiceField(label=_("第1希望の時間帯"), choices=Period.choices)
    preferred_date_2 = forms.DateField(label=_("第2希望日"), required=False, widget=DateInput())
    preferred_period_2 = forms.ChoiceField(
        label=_("第2希望の時間帯"), required=False, choices=[("", _("選択してください"))] + Period.choices
    )
    preferred_date_3 = forms.DateField(label=_("第3希望日"), required=False, widget=DateInput())
    preferred_period_3 = forms.ChoiceField(
        label=_("第3希望の時間帯"), required=False, choices=[("", _("選択してください"))] + Period.choices
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
    purpose = forms.CharField(label=_("視察の目的"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
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
    notes = forms.CharField(label=_("備考"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_address(self):
        # A textarea (the only element the street-address autofill token is valid on) may bring line breaks;
        # the letters and the records print the address on one line.
        return " ".join(self.cleaned_data["address"].split())

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
                self.add_error(period_field, _("第%(rank)d希望の時間帯を選んでください。") % {"rank": rank})
            message = self._date_problem(day, on, earliest)
            if message is None and (day, period) in seen:
                message = _("第%(rank)d希望と同じ日時です。別の日時を選んでください。") % {"rank": seen[(day, period)]}
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
            return _("この日はお受けできません。%(reasons)sカレンダーで「受付可」の日をお選びください。") % {
                "reasons": status.reason_text
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


# --- The status page (the visiting council, through its secret link) -----------------------------------
class UploadForm(PortalFormMixin, forms.Form):
    """One document at a time; the type, the size and the name are checked by the service
    (inspections.services.uploads), which stores nothing it refuses."""

    kind = forms.ChoiceField(
        label=_("書類の種類"),
        choices=DocumentKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    file = forms.FileField(
        label=_("ファイル"),
        error_messages={"empty": _("ファイルが空です（0バイト）。内容のあるファイルを選んでください。")},
        help_text=_("PDF、Word（.docx・.doc）、Excel（.xlsx・.xls）、画像（PNG・JPEG）。1ファイルずつ送ってください。"),
        widget=forms.FileInput(
            attrs={
                "accept": ".pdf,.docx,.doc,.xlsx,.xls,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg",
                "class": "form-control",
                "aria-describedby": "id_file_help",
            }
        ),
    )


# --- Transition forms (kiyose.workflow): what each move asks for ----------------------------------------
class DepartmentForm(PortalFormMixin, TransitionForm):
    department = forms.CharField(label=_("所管部署"), max_length=100)

    @classmethod
    def example_data(cls, obj) -> dict:
        return {"department": "企画課"}


class AcceptForm(PortalFormMixin, TransitionForm):
    printed_fields = ("place",)  # printed in the acceptance letter
    confirmed_date = forms.DateField(label=_("視察日"), widget=DateInput())
    confirmed_start = forms.TimeField(label=_("開始時刻"), widget=forms.TimeInput(attrs={"type": "time"}))
    confirmed_end = forms.TimeField(label=_("終了時刻"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(
        label=_("場所"),
        max_length=200,
        required=False,
        initial=_("清瀬市役所"),
        help_text=_("空欄の場合は「清瀬市役所」とします。"),
    )

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and not self.initial.get("confirmed_date"):
            self.initial["confirmed_date"] = obj.preferred_date_1

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("confirmed_start"), cleaned.get("confirmed_end")
        if start and end and end <= start:
            self.add_error("confirmed_end", _("終了時刻は開始時刻より後にしてください。"))
        return cleaned

    @classmethod
    def example_data(cls, obj) -> dict:
        start = max(obj.preferred_date_1, timezone.localdate() + dt.timedelta(days=1))
        days = availability(start, start + dt.timedelta(days=120))
        day = next(d for d, status in days.items() if status.is_open)
        return {
            "confirmed_date": day.isoformat(),
            "confirmed_start": "13:30",
            "confirmed_end": "15:00",
            "place": "清瀬市役所 第1会議室",
        }


class DeclineForm(PortalFormMixin, ReasonForm):
    printed_fields = ("reason",)  # printed in the decline letter
    reason = forms.CharField(
        label=_("お断りの理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("お断り通知と申込者へのメールに載ります。"),
    )

    @classmethod
    def example_data(cls, obj) -> dict:
        return {"reason": "担当課の事情により"}


class WithdrawForm(PortalFormMixin, ReasonForm):
    reason = forms.CharField(
        label=_("取下げの理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )

    @classmethod
    def example_data(cls, obj) -> dict:
        return {"reason": "日程の都合がつかなくなったため"}


class DocumentsForm(PortalFormMixin, TransitionForm):
    """The checklist: each document with the date it arrived."""

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        for name, label in DOCUMENTS:
            field = forms.DateField(
                label=_("%(doc)sの受領日") % {"doc": label},
                required=False,
                widget=DateInput(),
                initial=getattr(obj, name, None),
            )
            # Made after the mixin's pass over the declared fields, so given the same rule here.
            portalise(field, name)
            self.fields[name] = field

    @classmethod
    def example_data(cls, obj) -> dict:
        day = timezone.localdate().isoformat()
        return {name: day for name, _label in DOCUMENTS}


class CompleteForm(PortalFormMixin, TransitionForm):
    @classmethod
    def example_data(cls, obj) -> dict:
        return {}

    @classmethod
    def example_moment(cls, obj):
        # A visit is marked done only once its day has passed: the morning after.
        day = (obj.confirmed_date or timezone.localdate()) + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


# --- Admin model forms ----------------------------------------------------------------------------------
class AdminModelForm(PortalFormMixin, forms.ModelForm):
    """The base of every ModelAdmin form of the app: the same text rule and messages as the public forms."""


class RequestAdminForm(AdminModelForm):
    # What staff correct here is printed in the letters, like what the council typed.
    printed_fields = ("council", "committee", "topics_other", "place", "decline_reason")


class ProgrammeAdminForm(AdminModelForm):
    printed_fields = ("title",)  # a programme's title is a 視察項目 in every letter
    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("関連するSDGsのゴール"),
        coerce=int,
        required=False,
        choices=goal_choices,
        widget=forms.CheckboxSelectMultiple,
    )
