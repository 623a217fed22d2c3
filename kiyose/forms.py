"""Pieces every public form shares: the input → 確認 → 完了 flow, a honeypot, phone normalisation."""

import re
import unicodedata
import uuid

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Model
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from django_ratelimit.core import is_ratelimited

PHONE_RE = re.compile(r"^0\d{1,4}-?\d{1,4}-?\d{3,4}$")


def normalise_phone(value: str) -> str:
    """Full-width digits and any dash-like character become ASCII; the result is checked as a Japanese number."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    text = re.sub(r"[‐‑‒–—―−ーｰ－]", "-", text)
    text = re.sub(r"[\s()（）]", "", text)
    if not text:
        return ""
    digits = text.replace("-", "")
    if not PHONE_RE.match(text) or not 10 <= len(digits) <= 11:
        raise ValidationError(_("電話番号は市外局番から、数字とハイフンで入力してください（例：042-497-2566）。"))
    return text


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        return normalise_phone(super().clean(value))


class HoneypotMixin(forms.Form):
    """A field people never see; bots fill it in. Hidden with CSS (not type=hidden) so bots still find it."""

    website = forms.CharField(
        label=_("この欄には何も入力しないでください"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "hp-field"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("送信できませんでした。"))
        return ""


def display_value(field: forms.BoundField, value) -> str:
    """How a cleaned value reads on the confirmation page."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(value, Model):
        return str(value)
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return "、".join(display_value(field, v) for v in value)
    if isinstance(value, bool):
        return str(_("はい")) if value else str(_("いいえ"))
    choices = getattr(field.field, "choices", None)
    if choices:
        flat = {}
        for key, label in choices:
            if isinstance(label, (list, tuple)):
                flat.update({str(k): v for k, v in label})
            else:
                flat[str(key)] = label
        if str(value) in flat:
            return str(flat[str(value)])
    if hasattr(value, "isoformat") and hasattr(value, "month"):
        from kiyose.wareki import wareki

        return f"{wareki(value)}（{value.isoformat()}）"
    return str(value)


def confirm_rows(form: forms.Form) -> list[tuple[str, str]]:
    return [
        (str(field.label), display_value(field, form.cleaned_data.get(name)))
        for name, field in form.fields.items()
        if name != "website" and not isinstance(field.widget, forms.HiddenInput)
        for field in [form[name]]
    ]


class ConfirmFlowView(FormView):
    """GET shows the form; POST validates and shows 確認; POST with _step=confirm saves through
    `form_confirmed(form, token)` and redirects to the done page. `_step=back` returns to the input with
    everything typed kept. The token makes a double submit create one row: the app stores it unique."""

    confirm_template_name: str = ""
    done_url: str = ""
    session_key: str = ""
    ratelimit_group: str = ""
    ratelimit_rate: str = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("submission_token", self._token())
        return context

    def _token(self) -> str:
        try:
            return str(uuid.UUID(self.request.POST.get("_token", "")))
        except ValueError:
            return str(uuid.uuid4())

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        step = request.POST.get("_step", "input")
        if not form.is_valid() or step == "back":
            return self.render_to_response(self.get_context_data(form=form))
        if step != "confirm":
            context = self.get_context_data(form=form, confirm_rows=confirm_rows(form))
            return render(request, self.confirm_template_name, context)
        if self.ratelimit_rate and is_ratelimited(
            request, group=self.ratelimit_group or self.session_key, key="ip", rate=self.ratelimit_rate,
            method="POST", increment=True,
        ):
            return render(request, "429.html", status=429)
        obj = self.form_confirmed(form, uuid.UUID(self._token()))
        request.session[self.session_key] = self.done_reference(obj)
        return redirect(self.done_url)

    def form_confirmed(self, form, token: uuid.UUID):
        # Each app saves through its own service; a view that forgets to say which is a programming error.
        raise ImproperlyConfigured(f"{type(self).__name__} must define form_confirmed()")

    def done_reference(self, obj) -> str:
        return str(obj)
