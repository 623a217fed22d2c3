"""Pieces every public form shares: one text rule and one set of messages for every field (PortalFormMixin),
the input → 確認 → 完了 flow with the data kept server-side (ConfirmFlowView), a honeypot, phones and kana."""

import re
import unicodedata
import uuid
from urllib.parse import urlencode

from django import forms
from django.core import validators as core_validators
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Model
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from django_ratelimit.core import is_ratelimited

from kiyose import text

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


class KanaField(forms.CharField):
    """ふりがな: hiragana or katakana (full- or half-width) in, hiragana out."""

    # Its own rule is the text rule for kana (normalised by to_hiragana, only kana and spaces pass), so
    # PortalFormMixin leaves it alone: a second NFKC pass would turn the full-width space back into an ASCII one.
    portal_text = True

    def to_python(self, value):
        return text.to_hiragana(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        text.validate_kana(value)


def _label(field: forms.Field, name: str) -> str:
    return str(field.label or name)


def _choose(field: forms.Field) -> bool:
    return isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField, forms.FileField))


class ListedChoiceIterator(ModelChoiceIterator):
    """A model field's choices read in one query. Django reads them with QuerySet.iterator(), on PostgreSQL a
    server-side cursor (DECLARE, FETCH, CLOSE: three round trips) meant for long results, and again at each
    reading. A form's choices are a short list: kept on the form's own copy of the queryset, they are read once
    per form however often the page draws or checks them."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        # Read the rows rather than COUNT them: list(choices) asks for the length first.
        return len(self.queryset) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.queryset)


def portalise(field: forms.Field, name: str, *, unit: str = "", printed: bool = False) -> None:
    """Apply the portal's one text rule and its specific Japanese messages to one form field (in place)."""
    label = _label(field, name)
    if isinstance(field, forms.ModelChoiceField):
        field.iterator = ListedChoiceIterator
        field.widget.choices = field.choices
    default, required = forms.Field.default_error_messages["required"], field.error_messages.get("required")
    # Identity first: comparing lazy texts translates both, and every form field passes here on every request.
    if required is None or required is default or str(required) == str(default):
        message = _("%(label)sを選んでください。") if _choose(field) else _("%(label)sを入力してください。")
        field.error_messages["required"] = message % {"label": label}
    if isinstance(field, (forms.IntegerField, forms.DecimalField)):
        field.error_messages["invalid"] = _("%(label)sは数字で入力してください。") % {"label": label}
    elif isinstance(field, forms.DateField):
        field.error_messages["invalid"] = _("%(label)sは日付（例：2026-04-01）で入力してください。") % {"label": label}
    elif isinstance(field, forms.EmailField):
        field.error_messages["invalid"] = _("メールアドレスの形式で入力してください（例：info@example.jp）。")
    new_validators = []
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if isinstance(validator, core_validators.MaxValueValidator):
            message = _("%(label)sは%(limit)s%(unit)s以下で入力してください。")
        elif isinstance(validator, core_validators.MinValueValidator):
            message = _("%(label)sは%(limit)s%(unit)s以上で入力してください。")
        elif isinstance(validator, core_validators.MaxLengthValidator):
            message, unit_here = _("%(label)sは%(limit)s文字以内で入力してください。"), ""
            new_validators.append(type(validator)(limit, message % {"label": label, "limit": limit, "unit": unit_here}))
            continue
        else:
            new_validators.append(validator)
            continue
        new_validators.append(type(validator)(limit, message % {"label": label, "limit": limit, "unit": unit}))
    field.validators = new_validators
    if isinstance(field, forms.ChoiceField) and field.required and not isinstance(field.widget, forms.RadioSelect):
        choices = list(field.choices)
        if isinstance(field.widget, forms.Select) and not any(value == "" for value, _l in choices):
            # A select whose first option is preselected lets a person submit a choice they never made.
            field.choices = [("", _("選択してください"))] + choices
    if isinstance(field, forms.CharField) and not getattr(field, "portal_text", False):
        multiline = isinstance(field.widget, forms.Textarea)
        original = field.to_python

        def to_python(value, _original=original, _multiline=multiline):
            return text.normalise(_original(value), multiline=_multiline)

        field.to_python = to_python
        field.validators.append(text.validate_multi_line if multiline else text.validate_single_line)
        if printed:
            from kiyose.fonts import validate_printable

            field.validators.append(validate_printable)
        field.portal_text = True


class PortalFormMixin:
    """Every public form and every admin form of the portal: one text rule, specific Japanese messages, and no
    choice preselected where the person must choose. `field_units` adds the unit to limits ("人"), and
    `printed_fields` ("__all__" or names) are the fields that end up in a PDF (only printable characters)."""

    field_units: dict[str, str] = {}
    printed_fields: tuple[str, ...] | str = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == "website":  # the honeypot keeps its own rule
                continue
            printed = self.printed_fields == "__all__" or name in self.printed_fields
            portalise(field, name, unit=self.field_units.get(name, ""), printed=printed)


def fields_html(*, cache, name: str, template: str, form, parts=(), context=None) -> str:
    """An unbound form's fields, rendered once per data version (`cache`: the app's PageCache) and kept: an
    empty form is the same for every visitor (the CSRF and submission tokens sit outside its fields), so the form
    itself is built only when the piece is not kept. `form` may be a callable that builds it; `parts` are what
    else the fields depend on (a preset date, a holder)."""

    def build():
        return render_to_string(template, {"form": form() if callable(form) else form, **(context or {})})

    return cache.fragment(f"fields:{name}", *parts, build=build)


class ConfirmFlowView(FormView):
    """The public forms' input → 確認 → 完了 flow, POST-redirect-GET at every step:

    - POST the input: errors show at the fields with everything typed kept; valid input is kept in the session
      and the browser is sent to the confirmation page (GET ?step=confirm);
    - 確認 shows the input read back; "修正する" returns to the input filled in (GET ?step=edit);
    - POST _step=confirm saves through `form_confirmed(form, token)` and sends the browser to the done page.
      The token makes a double submit create one row (the app stores it unique); afterwards Back shows the
      done page again, never a resubmission, and the typed data leaves the session.
    """

    confirm_template_name: str = ""
    done_template_name: str = ""
    # The form's fields alone (included by the page's template); with `page_cache` (the app's PageCache) the
    # empty form's fields are kept rendered, passed to the page as `fields_html` (kiyose.forms.fields_html).
    fields_template_name: str = ""
    page_cache = None
    form_url: str = ""
    done_url: str = ""
    session_key: str = ""
    ratelimit_group: str = ""
    ratelimit_rate: str = ""

    # --- the flow's state in the session --------------------------------------------------------------
    @property
    def _flow_key(self) -> str:
        return f"{self.session_key}:flow"

    def _flow(self) -> dict:
        return self.request.session.get(self._flow_key) or {}

    def _save_flow(self, **values) -> None:
        self.request.session[self._flow_key] = {**self._flow(), **values}

    def _stored_data(self) -> QueryDict | None:
        data = self._flow().get("data")
        if not data:
            return None
        query = QueryDict(mutable=True)
        for key, values in data.items():
            query.setlist(key, values)
        return query

    def _token(self) -> str:
        """The submission's token: kept in the session from the input step (so a double click on 送信 makes
        one row), else the one the form page carried."""
        for candidate in (self._flow().get("token"), self.request.POST.get("_token")):
            try:
                return str(uuid.UUID(candidate or ""))
            except ValueError:
                continue
        return str(uuid.uuid4())

    def fields_parts(self) -> tuple:
        """What the empty form's fields depend on besides the data version (e.g. a date preset from the URL)."""
        return ()

    def fields_context(self) -> dict:
        """What the fields template reads besides the form."""
        return {}

    def get_context_data(self, **kwargs):
        extra = self.fields_context()
        if "form" not in kwargs and self.request.method == "GET" and self.page_cache and self.fields_template_name:
            kwargs["form"] = None
            kwargs["fields_html"] = fields_html(
                cache=self.page_cache,
                name=self.session_key,
                template=self.fields_template_name,
                form=self.get_form,
                parts=self.fields_parts(),
                context=extra,
            )
        context = super().get_context_data(**{**extra, **kwargs})
        context.setdefault("submission_token", self._token())
        return context

    def _step_url(self, step: str) -> str:
        return f"{self.request.path}?{urlencode({'step': step})}"

    # --- steps ----------------------------------------------------------------------------------------
    def get(self, request, *args, **kwargs):
        step = request.GET.get("step", "")
        flow = self._flow()
        if step in ("confirm", "edit") and flow.get("done"):
            return redirect(self.done_url)
        data = self._stored_data()
        if step == "confirm" and data is not None:
            form = self.get_form_class()(**{**self.get_form_kwargs(), "data": data})
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            return render(
                request, self.confirm_template_name, self.get_context_data(form=form, confirm_rows=confirm_rows(form))
            )
        if step == "edit" and data is not None:
            return self.render_to_response(
                self.get_context_data(form=self.get_form_class()(**{**self.get_form_kwargs(), "data": data}))
            )
        if flow.get("done"):
            request.session.pop(self._flow_key, None)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        step = request.POST.get("_step", "input")
        if step == "confirm":
            return self._confirm(request)
        if step == "back":
            if self._stored_data() is not None:
                return redirect(self._step_url("edit"))
            # An old confirmation page that carried the input: show it again, nothing lost.
            return self.render_to_response(self.get_context_data(form=self.get_form_class()(**self.get_form_kwargs())))
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        kept = {key: values for key, values in request.POST.lists() if key not in ("csrfmiddlewaretoken", "_step")}
        self._save_flow(data=kept, token=self._token(), done=None)
        return redirect(self._step_url("confirm"))

    def _confirm(self, request):
        flow = self._flow()
        data = self._stored_data()
        if data is None:
            posted_token = request.POST.get("_token", "")
            if flow.get("done") and (not posted_token or posted_token == flow.get("token")):
                return redirect(self.done_url)  # a second click after the first went through
            if not any(name in request.POST for name in self.get_form_class().base_fields):
                return redirect(request.path)
            # A client that posts the whole input with its confirmation (no stored step): the POST is the input.
            data = request.POST
        form = self.get_form_class()(**{**self.get_form_kwargs(), "data": data})
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if self.ratelimit_rate and is_ratelimited(
            request,
            group=self.ratelimit_group or self.session_key,
            key="ip",
            rate=self.ratelimit_rate,
            method="POST",
            increment=True,
        ):
            return render(request, "429.html", status=429)
        token = self._token() if data is not request.POST else self._posted_or_new_token()
        obj = self.form_confirmed(form, uuid.UUID(token))
        # The typed data leaves the session once saved; only the reference (and the token, to recognise a
        # second click) stays for the done page.
        reference = self.done_reference(obj)
        request.session[self._flow_key] = {"done": reference, "token": token}
        request.session[self.session_key] = reference
        return redirect(self.done_url)

    def _posted_or_new_token(self) -> str:
        try:
            return str(uuid.UUID(self.request.POST.get("_token", "")))
        except ValueError:
            return str(uuid.uuid4())

    def form_confirmed(self, form, token: uuid.UUID):
        # Each app saves through its own service; a view that forgets to say which is a programming error.
        raise ImproperlyConfigured(f"{type(self).__name__} must define form_confirmed()")

    def done_reference(self, obj) -> str:
        return str(obj)

    @classmethod
    def done_view(cls, request):
        """The 完了 page: shows the reference of this visitor's last submission, or sends them to the form."""
        reference = request.session.get(cls.session_key)
        if not reference:
            return redirect(str(cls.form_url))
        return render(request, cls.done_template_name, {"reference": reference})
