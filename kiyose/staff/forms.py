import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _


def _normalise(value: str) -> str:
    # Full-width digits from a Japanese input method, spaces and hyphens people copy from the screen.
    return re.sub(r"[\s\-‐－ー]", "", unicodedata.normalize("NFKC", value or "")).lower()


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("認証アプリに表示されている6桁の確認コード"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 10}),
    )

    def clean_code(self):
        code = _normalise(self.cleaned_data["code"])
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("確認コードは6桁の数字で入力してください。"))
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("リカバリーコード（8文字）"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 12, "autocapitalize": "none"}),
    )

    def clean_code(self):
        code = _normalise(self.cleaned_data["code"])
        if not re.fullmatch(r"[a-z2-7]{8}", code):
            raise forms.ValidationError(_("リカバリーコードは8文字の英数字（a〜z、2〜7）で入力してください。"))
        return code
