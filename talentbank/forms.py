"""Public forms (registration, a partner body's 困りごとスポット proposal, the registrant's own page), admin forms
and the workflows' transition forms. Every form takes the portal's one text rule and messages (PortalFormMixin);
ふりがな takes hiragana or katakana, full- or half-width, and is stored as hiragana (KanaField)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiyose.forms import HoneypotMixin, KanaField, PhoneField, PortalFormMixin
from kiyose.params import parse_id
from kiyose.workflow import ReasonForm, TransitionForm
from talentbank.models import AREAS, CONSENTS, DAYS, TIMES, WAYS, Consent, Field, Match, Person, Spot

RELATIONS = [
    ("lives", _("市内に住んでいる")),
    ("works", _("市内で働いている")),
    ("studies", _("市内で学んでいる")),
]


def _checks(choices, label, *, required=False, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        choices=[(str(v), lbl) for v, lbl in choices],
        required=required,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={
            "required": _("1つ以上選んでください。"),
            "invalid_choice": _("選択肢の中から選んでください。"),
        },
    )


def _valid_pk(value) -> bool:
    # Out-of-range numbers would overflow the database driver: refuse them as a bad choice (kiyose.params).
    return parse_id(str(value)) is not None


class FieldChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name

    def _check_values(self, value):
        if any(not _valid_pk(v) for v in value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""})
        return super()._check_values(value)


class FieldChoice(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _valid_pk(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RegistrationForm(PortalFormMixin, HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    furigana = KanaField(label=_("ふりがな"), max_length=100, help_text=_("例：きよせ　はなこ"))
    age_band = forms.ChoiceField(label=_("年代"), choices=[("", _("選んでください"))] + list(Person.AgeBand.choices))
    relation = forms.MultipleChoiceField(
        label=_("清瀬市との関わり"),
        choices=RELATIONS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("当てはまるものをすべて選んでください。"),
        error_messages={
            "required": _("1つ以上選んでください。"),
            "invalid_choice": _("選択肢の中から選んでください。"),
        },
    )
    area = forms.ChoiceField(
        label=_("主な活動地域"),
        required=False,
        choices=[("", _("特になし"))] + [(k, v) for k, v in AREAS],
        help_text=_("活動しやすい町名を選んでください（近くの困りごとをご紹介します）。"),
    )
    email = forms.EmailField(
        label=_("メールアドレス"),
        required=False,
        max_length=254,
        help_text=_("登録を完了するための確認メールをお送りします。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(
        label=_("電話番号"),
        required=False,
        help_text=_("メールアドレスをお持ちでない方は、電話番号をご記入ください。職員がお電話で確認します。"),
    )
    interests = FieldChoices(
        label=_("関心のある分野"),
        queryset=Field.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("1つ以上選んでください。"),
            "invalid_choice": _("選択肢の中から選んでください。"),
            "invalid_pk_value": _("選択肢の中から選んでください。"),
        },
    )
    skills = forms.CharField(
        label=_("得意なこと・特技"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例：パソコン操作、料理、英会話、庭木の手入れ"),
    )
    qualifications = forms.CharField(
        label=_("資格・免許"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例：介護職員初任者研修、保育士、普通自動車免許"),
    )
    available_days = _checks(DAYS, _("活動できる曜日"))
    available_times = _checks(TIMES, _("活動できる時間帯"))
    availability_note = forms.CharField(
        label=_("活動できる日時の補足"),
        required=False,
        max_length=200,
        help_text=_("例：月に2回程度、平日の10時〜15時"),
    )
    ways = _checks(WAYS, _("関わり方の希望"), required=True)
    consent_retain = forms.BooleanField(
        label=CONSENTS["retain"],
        error_messages={"required": _("登録には、登録情報の保管への同意が必要です。")},
    )
    consent_share = forms.BooleanField(label=CONSENTS["share"], required=False)
    consent_partner = forms.BooleanField(label=CONSENTS["partner"], required=False)

    groups = [
        (_("ご本人について"), ["name", "furigana", "age_band", "relation", "area"]),
        (_("連絡先（メールアドレスか電話番号のどちらかは必須）"), ["email", "phone"]),
        (_("関心・得意なこと"), ["interests", "skills", "qualifications", "ways"]),
        (_("活動できる日時"), ["available_days", "available_times", "availability_note"]),
        (_("同意（それぞれ別に選べます）"), ["consent_retain", "consent_share", "consent_partner"]),
    ]

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error("email", _("メールアドレスか電話番号のどちらかを入力してください。"))
        return cleaned


class SpotProposalForm(PortalFormMixin, HoneypotMixin, forms.Form):
    body_name = forms.CharField(
        label=_("団体名"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    body_kind = forms.ChoiceField(
        label=_("団体の種類"),
        choices=[("", _("選んでください"))] + [c for c in Spot.BodyKind.choices if c[0] != Spot.BodyKind.CITY],
    )
    field = FieldChoice(
        label=_("分野"),
        queryset=Field.objects.filter(is_active=True),
        empty_label=_("選んでください"),
        error_messages={"invalid_choice": _("選択肢の中から選んでください。")},
    )
    title = forms.CharField(label=_("困りごとの見出し"), max_length=100, help_text=_("例：デイサービスの送迎補助"))
    needed = forms.CharField(label=_("手伝ってほしいこと"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    skill_keywords = forms.CharField(
        label=_("あると助かる技能・資格"),
        required=False,
        max_length=200,
        help_text=_("読点（、）で区切ってください。例：介護、運転"),
    )
    when_text = forms.CharField(label=_("日時"), max_length=200, help_text=_("例：毎週水曜日 9時〜12時"))
    days = _checks(DAYS, _("曜日"))
    times = _checks(TIMES, _("時間帯"))
    place = forms.CharField(label=_("場所"), max_length=200)
    area = forms.ChoiceField(label=_("地域"), required=False, choices=[("", _("特になし"))] + list(AREAS))
    headcount = forms.IntegerField(
        label=_("募集人数"),
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    ways = _checks(WAYS, _("関わり方"))
    closes_on = forms.DateField(
        label=_("募集期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("例：2026-03-31（期限がなければ空欄）"),
    )
    contact_name = forms.CharField(
        label=_("ご担当者名"), max_length=100, help_text=_("公開しません。市民協働課からの連絡に使います。")
    )
    contact_email = forms.EmailField(
        label=_("ご担当者メールアドレス"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = PhoneField(label=_("ご担当者電話番号"), required=False)

    groups = [
        (_("団体について"), ["body_name", "body_kind"]),
        (_("困りごとの内容"), ["field", "title", "needed", "skill_keywords", "headcount", "ways"]),
        (_("日時と場所"), ["when_text", "days", "times", "place", "area", "closes_on"]),
        (_("ご担当者（公開しません）"), ["contact_name", "contact_email", "contact_phone"]),
    ]

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]

    def clean_closes_on(self):
        value = self.cleaned_data.get("closes_on")
        if value and value < timezone.localdate():
            raise ValidationError(_("募集期限は今日以降の日付にしてください。"))
        return value


# --- Transition forms (the workflow tables in services read them; the admin shows one page per transition) ---
class SpotNoteForm(PortalFormMixin, TransitionForm):
    note = forms.CharField(
        label=_("審査メモに追記"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def example_data(cls, obj) -> dict:
        return {"note": "内容を確認した"}


class SpotRejectForm(PortalFormMixin, ReasonForm):
    reason = forms.CharField(
        label=_("掲載しない理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("提案した団体のご担当者へのメールに載ります。"),
    )

    @classmethod
    def example_data(cls, obj) -> dict:
        return {"reason": "市内での活動ではないため"}


class MatchNoteForm(PortalFormMixin, TransitionForm):
    note = forms.CharField(
        label=_("経過メモに追記"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def example_data(cls, obj) -> dict:
        return {"note": "団体に連絡した"}


class MatchFinishForm(MatchNoteForm):
    hours = forms.DecimalField(
        label=_("活動時間（時間）"), min_value=Decimal("0"), max_digits=7, decimal_places=1, required=False
    )
    field_units = {"hours": "時間"}

    @classmethod
    def example_data(cls, obj) -> dict:
        return {"note": "3か月で終了", "hours": "12.5"}


class MatchDeclineForm(PortalFormMixin, ReasonForm):
    reason = forms.CharField(label=_("辞退の理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def example_data(cls, obj) -> dict:
        return {"reason": "日程が合わなかった"}


class AdminModelForm(PortalFormMixin, forms.ModelForm):
    """Every admin form of the app: the portal's one text rule and messages."""


class MatchAdminForm(AdminModelForm):
    """A match's own page: hours and a note without a change of state (states change with the buttons)."""

    note = forms.CharField(
        label=_("経過メモに追記"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    class Meta:
        model = Match
        fields = ["spot", "person", "hours"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["spot"].disabled = True
            self.fields["person"].disabled = True
        else:
            self.fields["person"].queryset = Person.objects.active()
            self.fields["spot"].queryset = Spot.objects.filter(status=Spot.Status.PUBLISHED)
            self.fields.pop("hours", None)


# --- The registrant's own page (the secret link) --------------------------------------------------------
class ProfileForm(RegistrationForm):
    """The registration as the person filled it in, to change on their own page (consents apart)."""

    groups = [(legend, names) for legend, names in RegistrationForm.groups if "consent_retain" not in names]
    # Declared away, so they are never built: each consent has its own form on the page, and the page behind the
    # person's secret link needs no honeypot.
    consent_retain = consent_share = consent_partner = website = None

    def __init__(self, *args, person: Person | None = None, **kwargs):
        if person is not None and "initial" not in kwargs:
            kwargs["initial"] = profile_initial(person)
        super().__init__(*args, **kwargs)
        if person is not None and not self.is_bound and "interests" not in self.initial:
            self.initial["interests"] = self._chosen_interests(person)

    def _chosen_interests(self, person: Person) -> list[Field]:
        """The person's fields of interest read with the choices, in one query: the field keeps the rows it read,
        so drawing the checkboxes asks for nothing more."""
        field = self.fields["interests"]
        chosen = Person.fields.through.objects.filter(person=person, field=OuterRef("pk"))
        field.queryset = field.queryset.annotate(chosen=Exists(chosen))
        return [row for row in field.queryset if row.chosen]


def profile_initial(person: Person) -> dict:
    relation = [
        key
        for key, name in (("lives", "lives_in_city"), ("works", "works_in_city"), ("studies", "studies_in_city"))
        if getattr(person, name)
    ]
    initial = {
        name: getattr(person, name)
        for name in (
            "name",
            "furigana",
            "age_band",
            "area",
            "email",
            "phone",
            "skills",
            "qualifications",
            "availability_note",
        )
    }
    for name, flags in (("available_days", DAYS), ("available_times", TIMES), ("ways", WAYS)):
        initial[name] = [str(bit) for bit, _label in flags if getattr(person, name) & bit]
    return initial | {"relation": relation}


class ConsentForm(PortalFormMixin, forms.Form):
    """One consent's new answer."""

    kind = forms.ChoiceField(label=_("同意の種類"), choices=Consent.Kind.choices)
    granted = forms.TypedChoiceField(
        label=_("回答"),
        choices=[("1", _("同意する")), ("0", _("同意しない"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class WithdrawForm(PortalFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("登録を取り消し、登録情報をすべて消去することを確認しました"),
        error_messages={"required": _("取り消す場合は、確認の欄にチェックを入れてください。")},
    )
