"""A form field drawn once per look: the choice widgets (selects, radio buttons, checkbox lists) of the public
forms are most of a form's rendering time — every option goes through the template engine — yet for a given
set of choices and a given selection they are the same markup for everyone. `field_html()` keeps them drawn
in the worker's "fragments" cache, keyed on everything the markup is made of (the choices and the selection
included), so an entry can never be stale: a changed choice or label is a different key.

Only choice fields of an unbound, helper-less form are kept: a field with errors or typed input is drawn
afresh, and text inputs (a name, an address) are never kept, so no one's personal text sits in a cache."""

import hashlib

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.core.cache import caches
from django.forms.models import ModelChoiceField
from django.forms.widgets import ChoiceWidget
from django.utils.translation import get_language

SECONDS = 3600


def field_html(field) -> str:
    """The field as crispy draws it (`as_crispy_field`), kept when it can be."""
    key = _key(field)
    if key is None:
        return as_crispy_field(field)
    store = caches["fragments"]
    html = store.get(key)
    if html is None:
        html = as_crispy_field(field)
        store.set(key, html, SECONDS)
    return html


def _key(field) -> str | None:
    form, widget = field.form, field.field.widget
    if form.is_bound or getattr(form, "helper", None) is not None or not isinstance(widget, ChoiceWidget):
        return None
    choices = list(iter(field.field.choices))  # iter(): no COUNT query for a length hint
    if isinstance(field.field, ModelChoiceField):
        # A model field's choices are a query each time they are read: read once, for the key and the drawing.
        field.field.choices = choices
    value = field.value()
    values = value if isinstance(value, list | tuple) else [value]
    parts = [
        type(form).__module__,
        type(form).__qualname__,
        form.prefix or "",
        str(form.auto_id),
        field.html_name,
        str(field.label),
        str(field.help_text),
        field.css_classes(),
        repr((field.field.required, field.field.disabled, field.field.show_hidden_initial)),
        type(widget).__qualname__,
        repr(sorted((k, str(v)) for k, v in widget.attrs.items())),
        repr([(str(v), str(label)) for v, label in choices]),
        repr([str(getattr(v, "pk", v)) for v in values]),
        get_language() or "",
    ]
    return "fieldcache:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
