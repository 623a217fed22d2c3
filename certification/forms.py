from django import forms
from django.utils.translation import gettext_lazy as _

from certification.models import (
    APPLICANT_FIELDS,
    AnnualReport,
    Application,
    Intake,
    Kind,
    ProfileUpdate,
    SelfCheckQuestion,
)
from kiyose.forms import HoneypotMixin, KanaField, PhoneField, PortalFormMixin
from kiyose.workflow import ReasonForm, TransitionForm
from sdgs.goals import goal_choices

YES_NO = [("yes", _("はい")), ("no", _("いいえ"))]


class GoalsFormField(forms.TypedMultipleChoiceField):
    """The 17 goals (sdgs.goals) as checkboxes."""

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        kwargs.setdefault("choices", goal_choices)
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)


class AdminModelForm(PortalFormMixin, forms.ModelForm):
    """The base of every ModelAdmin form of the app: the same text rule and messages as the public forms."""


class ApplicationForm(PortalFormMixin, HoneypotMixin, forms.ModelForm):
    # What reaches the decision letter and the certificate: only characters the PDF font can print.
    printed_fields = ("org_name", "representative_title", "representative_name")
    org_name_kana = KanaField(
        label=_("団体名（ふりがな）"), max_length=160, help_text=_("ひらがな又はカタカナで入力してください。")
    )
    contact_phone = PhoneField(label=_("担当者電話番号"), help_text=_("例：042-492-5111"))
    goals = GoalsFormField(
        label=_("取り組むSDGsの目標"),
        help_text=_("当てはまるものをすべて選んでください。"),
        error_messages={"required": _("SDGsの目標を1つ以上選んでください。")},
    )
    commit_annual_report = forms.BooleanField(
        label=_("認定後、毎年度の年間報告書を提出します"),
        error_messages={"required": _("年間報告書の提出は認定の条件です。同意する場合はチェックしてください。")},
    )
    consent_publication = forms.BooleanField(
        label=_("認定された場合、団体名・認定番号・取組の概要を市のウェブサイト等で公表することに同意します"),
        error_messages={"required": _("認定団体は公表されます。同意する場合はチェックしてください。")},
    )

    def clean_address(self):
        # The certificate, the registry and the letters print the address on one line.
        return " ".join(self.cleaned_data["address"].split())

    class Meta:
        model = Application
        fields = list(APPLICANT_FIELDS)
        widgets = {
            "kind": forms.RadioSelect,
            "intake": forms.RadioSelect,
            "initiative_economy": forms.Textarea(attrs={"rows": 4}),
            "initiative_society": forms.Textarea(attrs={"rows": 4}),
            "initiative_environment": forms.Textarea(attrs={"rows": 4}),
            "org_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            # street-address is valid only on a textarea (W3C Nu); clean_address makes it one line again.
            "address": forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "url": forms.URLInput(attrs={"autocomplete": "url"}),
        }
        help_texts = {
            "org_name_kana": _("ひらがな又はカタカナで入力してください。"),
            "intake": _("企業は清瀬商工会、市民団体はきよせボランティア・市民活動センターが窓口です。"),
            "initiative_economy": _("地域経済、雇用、働き方などの取組を書いてください。"),
            "initiative_society": _("福祉、教育、地域の担い手づくりなどの取組を書いてください。"),
            "initiative_environment": _("省エネルギー、ごみの削減、緑の保全などの取組を書いてください。"),
            "summary": _("認定された場合に一覧で公表する、200字以内の紹介文です。"),
        }
        error_messages = {
            "org_name": {"required": _("団体名・事業者名を入力してください。")},
            "org_name_kana": {"required": _("ふりがなを入力してください。")},
            "kind": {"required": _("団体の種類を選んでください。")},
            "intake": {"required": _("申請窓口を選んでください。")},
            "address": {"required": _("所在地を入力してください。")},
            "representative_title": {"required": _("代表者の役職を入力してください。")},
            "representative_name": {"required": _("代表者氏名を入力してください。")},
            "contact_name": {"required": _("担当者氏名を入力してください。")},
            "contact_email": {
                "required": _("メールアドレスを入力してください。"),
                "invalid": _("メールアドレスの形式で入力してください（例：info@example.jp）。"),
            },
            "url": {"invalid": _("https:// から始まるアドレスを入力してください。")},
            "initiative_economy": {"required": _("経済分野の取組を入力してください。")},
            "initiative_society": {"required": _("社会分野の取組を入力してください。")},
            "initiative_environment": {"required": _("環境分野の取組を入力してください。")},
            "summary": {"required": _("取組の概要を入力してください。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons without the model's blank "---------" choice.
        self.fields["kind"].choices = Kind.choices
        self.fields["intake"].choices = Intake.choices
        self.questions = list(SelfCheckQuestion.objects.filter(active=True))
        for question in self.questions:
            self.fields[self.question_field(question)] = forms.ChoiceField(
                label=question.text,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("「はい」か「いいえ」を選んでください。")},
            )

    @staticmethod
    def question_field(question) -> str:
        return f"check_{question.pk}"

    def question_fields(self):
        return [self[self.question_field(q)] for q in self.questions]

    def answers(self) -> dict[int, bool]:
        return {q.pk: self.cleaned_data.get(self.question_field(q)) == "yes" for q in self.questions}


class ReportForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = [
            "activities_economy",
            "activities_society",
            "activities_environment",
            "outcomes",
            "next_year_plan",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}
        help_texts = {
            "outcomes": _("数値で示せる成果（参加者数、削減量など）があれば書いてください。"),
        }
        error_messages = {
            "activities_economy": {"required": _("経済分野の活動内容を入力してください。")},
            "activities_society": {"required": _("社会分野の活動内容を入力してください。")},
            "activities_environment": {"required": _("環境分野の活動内容を入力してください。")},
            "outcomes": {"required": _("成果を入力してください。")},
            "next_year_plan": {"required": _("次年度の計画を入力してください。")},
        }


# --- Transition forms (the workflow tables in certification.services read them) -------------------------
class ReviewForm(PortalFormMixin, TransitionForm):
    reviewer_notes = forms.CharField(
        label=_("審査メモ"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CertifyForm(PortalFormMixin, TransitionForm):
    """Certify under the cap. `on` is the day of the decision (the daily run and the tests pass theirs)."""

    on = forms.DateField(label=_("認定日"), required=False, help_text=_("空欄なら今日です。"))


class WaitForm(PortalFormMixin, TransitionForm):
    pass


class RejectForm(PortalFormMixin, ReasonForm):
    printed_fields = ("reason",)  # the decision letter prints it


class WithdrawForm(PortalFormMixin, ReasonForm):
    pass


class DatedForm(PortalFormMixin, TransitionForm):
    """A move the daily run makes on a given day (報告待ち, 失効, 満了)."""

    on = forms.DateField(label=_("日付"), required=False, widget=forms.HiddenInput)


class RevokeForm(PortalFormMixin, ReasonForm):
    printed_fields = ("reason",)
    on = forms.DateField(label=_("日付"), required=False, widget=forms.HiddenInput)


class PublishForm(PortalFormMixin, TransitionForm):
    pass


class WithholdForm(PortalFormMixin, ReasonForm):
    pass


class ApproveProfileForm(PortalFormMixin, TransitionForm):
    pass


class DeclineProfileForm(PortalFormMixin, ReasonForm):
    pass


class ProfileForm(PortalFormMixin, forms.ModelForm):
    """What a holder may change of their public page through their link; staff review it before it is shown."""

    class Meta:
        model = ProfileUpdate
        fields = ["summary", "url"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "url": forms.URLInput(attrs={"autocomplete": "url"})}
        help_texts = {"summary": _("認定団体の一覧とページに掲載する、200字以内の紹介文です。")}
        error_messages = {"url": {"invalid": _("https:// から始まるアドレスを入力してください。")}}
