"""A form field drawn once per look. Drawing a field goes through crispy's and Django's templates, and the choice
widgets (selects, radio buttons, checkbox lists) through them once per option: most of a form's rendering time.
Yet a field's markup is the same for everyone who sees the same choices, selection and errors. `field_html()`
keeps it drawn in the worker's "fragments" cache, keyed on everything the markup is made of (form, name, label,
help, attributes, the choices and the selection), so an entry can never be stale: a changed choice or label is a
different key.

- Choice fields are kept with their selection (which options are ticked says nothing of who ticked them).
- Text fields (a name, an address, a note) are kept without their value: drawn once with a placeholder, which
  is replaced at each request by the person's own text, escaped as Django escapes it. No one's text is kept.
- A field of a bound form (typed input, errors) or of a form with a crispy helper is drawn afresh."""

import copy
import hashlib

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.core.cache import caches
from django.forms.models import ModelChoiceField
from django.forms.widgets import ChoiceWidget, EmailInput, Textarea, TextInput, URLInput
from django.utils.html import escape
from django.utils.safestring import mark_safe

SECONDS = 3600
# Widgets whose value is printed as-is (str, escaped) into one place of the markup; not dates or numbers, whose
# printing depends on the locale.
TEXT_WIDGETS = (TextInput, EmailInput, URLInput, Textarea)
PLACEHOLDER = "kiyose-fieldcache-value-7f3a9c"


def _with_placeholder(field):
    """A copy of the bound field whose value is the placeholder (crispy wants a real BoundField)."""
    copied = copy.copy(field)
    copied.value = lambda: PLACEHOLDER
    return copied


def field_html(field) -> str:
    """The field as crispy draws it (`as_crispy_field`), kept when it can be."""
    look = _look(field)
    if look is None:
        return as_crispy_field(field)
    key, text = look
    store = caches["fragments"]
    html = store.get(key)
    if html is None:
        html = as_crispy_field(field if text is None else _with_placeholder(field))
        if text is not None and html.count(PLACEHOLDER) != 1:
            return as_crispy_field(field)  # a template that prints the value twice, or not at all: never kept
        store.set(key, html, SECONDS)
    if text is None:
        return html
    # Both pieces are safe: crispy's markup, and the text escaped as Django's widget template escapes it.
    return mark_safe(html.replace(PLACEHOLDER, escape(text)))  # noqa: S308


def _look(field) -> tuple[str, str | None] | None:
    """The key of the field's look and, for a text field with a value, the text that goes in the placeholder."""
    form, widget = field.form, field.field.widget
    if form.is_bound or getattr(form, "helper", None) is not None:
        return None
    text = None
    if isinstance(widget, ChoiceWidget):
        choices = list(iter(field.field.choices))  # iter(): no COUNT query for a length hint
        if isinstance(field.field, ModelChoiceField):
            # A model field's choices are a query each time they are read: read once, for the key and the drawing.
            field.field.choices = choices
        value = field.value()  # prepared: a model choice's pk, whether the initial was the row or its pk
        values = value if isinstance(value, list | tuple) else [value]
        content = [
            repr([(str(v), str(label)) for v, label in choices]),
            repr([str(v) for v in values]),
        ]
    elif type(widget) in TEXT_WIDGETS and not widget.is_localized:
        text = widget.format_value(field.value())
        content = ["with a value" if text is not None else "empty"]
    else:
        return None
    parts = [
        type(form).__module__,
        type(form).__qualname__,
        form.prefix or "",
        str(form.auto_id),
        field.html_name,
        # As translated for this request: the look in another language is another key.
        str(field.label),
        str(field.help_text),
        field.css_classes(),
        repr((field.field.required, field.field.disabled, field.field.show_hidden_initial)),
        type(widget).__qualname__,
        repr(sorted((k, str(v)) for k, v in widget.attrs.items())),
        *content,
    ]
    return "fieldcache:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest(), text
