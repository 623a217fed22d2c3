"""Public forms: registration in the bank and a partner body's 困りごとスポット proposal."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    EmailValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kiyose.forms import HoneypotMixin, PhoneField
from talentbank.models import AREAS, CONSENTS, DAYS, TIMES, WAYS, Field, Person, Spot

KANA_RE = re.compile(r"^[ぁ-ゖゝゞー 　]+$")

RELATIONS = [
    ("lives", _("市内に住んでいる")),
    ("works", _("市内で働いている")),
    ("studies", _("市内で学んでいる")),
]


def normalise_kana(value: str) -> str:
    """ふりがな: half-width and katakana become full-width hiragana; spaces become one full-width space."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    text = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" or c in "ヽヾ" else c for c in text)
    text = re.sub(r"[\s　]+", "　", text)
    if text and not KANA_RE.match(text):
        raise ValidationError(_("ふりがなは、ひらがなかカタカナで入力してください。"))
    return text


def japanese_messages(form_class):
    """Field messages in Japanese whatever language the browser asks for. LocaleMiddleware would otherwise
    pick Django's English defaults for a browser that prefers English, in the middle of a Japanese page.
    Applied once to the class's fields (each form instance copies them)."""
    default_required = str(forms.Field.default_error_messages["required"])
    for field in form_class.base_fields.values():
        choice = isinstance(field, (forms.ChoiceField, forms.BooleanField))
        if str(field.error_messages.get("required")) == default_required:
            template = _("{label}を選んでください。") if choice else _("{label}を入力してください。")
            field.error_messages["required"] = format_lazy(template, label=field.label)
        if choice and not isinstance(field, forms.BooleanField):
            for key in ("invalid_choice", "invalid_list", "invalid_pk_value"):
                field.error_messages[key] = _("選択肢の中から選んでください。")
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = _(
                "メールアドレスの形式で入力してください（例：hanako@example.jp）。"
            )
            field.validators = [v for v in field.validators if not isinstance(v, EmailValidator)]
            field.validators.append(EmailValidator(message=field.error_messages["invalid"]))
        if isinstance(field, forms.IntegerField):
            field.error_messages["invalid"] = _("半角の数字で入力してください。")
        if isinstance(field, forms.DateField):
            field.error_messages["invalid"] = _("日付を正しく入力してください（例：2026-03-31）。")
        field.validators = [_japanese(v) for v in field.validators]
    return form_class


def _japanese(validator):
    if isinstance(validator, MaxLengthValidator):
        return MaxLengthValidator(
            validator.limit_value, message=_("%(limit_value)d文字以内で入力してください。")
        )
    if isinstance(validator, MinValueValidator):
        return MinValueValidator(
            validator.limit_value, message=_("%(limit_value)s以上の数を入力してください。")
        )
    if isinstance(validator, MaxValueValidator):
        return MaxValueValidator(
            validator.limit_value, message=_("%(limit_value)s以下の数を入力してください。")
        )
    if isinstance(validator, ProhibitNullCharactersValidator):
        return ProhibitNullCharactersValidator(message=_("使えない文字が含まれています。"))
    return validator


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


PK_RE = re.compile(r"^[0-9]{1,18}$")


def _valid_pk(value) -> bool:
    # Out-of-range numbers would overflow the database driver (a 500 on SQLite): refuse them as a bad choice.
    return bool(PK_RE.match(str(value)))


class FieldChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name

    def _check_values(self, value):
        if any(not _valid_pk(v) for v in value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super()._check_values(value)


class FieldChoice(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _valid_pk(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


@japanese_messages
class RegistrationForm(HoneypotMixin, forms.Form):
    name = forms.CharField(
        label=_("氏名"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    furigana = forms.CharField(label=_("ふりがな"), max_length=100, help_text=_("例：きよせ　はなこ"))
    age_band = forms.ChoiceField(
        label=_("年代"), choices=[("", _("選んでください"))] + list(Person.AgeBand.choices)
    )
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

    def clean_name(self):
        name = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", self.cleaned_data["name"])).strip()
        if not name:
            raise ValidationError(_("氏名を入力してください。"))
        return name

    def clean_furigana(self):
        return normalise_kana(self.cleaned_data["furigana"])

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


@japanese_messages
class SpotProposalForm(HoneypotMixin, forms.Form):
    body_name = forms.CharField(
        label=_("団体名"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    body_kind = forms.ChoiceField(
        label=_("団体の種類"),
        choices=[("", _("選んでください"))]
        + [c for c in Spot.BodyKind.choices if c[0] != Spot.BodyKind.CITY],
    )
    field = FieldChoice(
        label=_("分野"),
        queryset=Field.objects.filter(is_active=True),
        empty_label=_("選んでください"),
        error_messages={"invalid_choice": _("選択肢の中から選んでください。")},
    )
    title = forms.CharField(
        label=_("困りごとの見出し"), max_length=100, help_text=_("例：デイサービスの送迎補助")
    )
    needed = forms.CharField(
        label=_("手伝ってほしいこと"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
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
