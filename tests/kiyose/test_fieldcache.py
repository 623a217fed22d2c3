"""kiyose.fieldcache: a field is drawn once per look, byte for byte as crispy draws it, and nothing that can be
stale or personal is kept."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.template import Context, Template
from django.utils.html import escape
from django.utils.safestring import SafeData

from kiyose.fieldcache import PLACEHOLDER, field_html
from kiyose.forms import PortalFormMixin


class Sample(PortalFormMixin, forms.Form):
    name = forms.CharField(label="氏名")
    note = forms.CharField(label="備考", widget=forms.Textarea, required=False, help_text="自由にお書きください。")
    email = forms.EmailField(label="メールアドレス", required=False)
    visitors = forms.IntegerField(label="人数", required=False)
    colour = forms.ChoiceField(label="色", choices=[("red", "赤"), ("blue", "青")])
    days = forms.MultipleChoiceField(
        label="曜日",
        choices=[("1", "月"), ("2", "火"), ("3", "水")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    groups = forms.ModelMultipleChoiceField(
        label="グループ", queryset=Group.objects.order_by("name"), widget=forms.CheckboxSelectMultiple, required=False
    )


def _kept() -> int:
    return len(caches["fragments"]._cache)


@pytest.mark.django_db
@pytest.mark.parametrize("initial", [{}, {"colour": "blue", "days": ["1", "3"]}, {"days": ["2"]}])
def test_a_kept_choice_field_is_the_markup_crispy_draws(initial):
    Group.objects.create(name="防災")
    for name in ("colour", "days", "groups"):
        expected = as_crispy_field(Sample(initial=initial)[name])
        assert field_html(Sample(initial=initial)[name]) == expected  # drawn and kept
        assert field_html(Sample(initial=initial)[name]) == expected  # served from the kept piece


@pytest.mark.django_db
def test_a_different_selection_or_changed_choices_is_never_served_an_old_drawing(django_assert_num_queries):
    group = Group.objects.create(name="防災")
    assert "checked" not in field_html(Sample()["groups"])
    assert "checked" in field_html(Sample(initial={"groups": [group]})["groups"])
    Group.objects.create(name="子育て")
    assert "子育て" in field_html(Sample()["groups"])
    group.name = "防災・減災"
    group.save()
    assert "防災・減災" in field_html(Sample()["groups"])
    # A model field's choices are read once (no COUNT, no second SELECT) whether the drawing is kept or not.
    with django_assert_num_queries(1):
        field_html(Sample()["groups"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["清瀬 花子", "", "0", 'O\'Brien & "Sons" <b>bold</b>', "一行目\n二行目", "kiyose-fieldcache-value-7f3a9c"],
)
def test_a_text_field_is_kept_without_its_value_and_drawn_exactly_as_crispy_does(typed):
    caches["fragments"].clear()
    initial = {"name": typed, "note": typed, "email": typed}
    page = Template("{% for field in form %}{{ field|portal_field }}{% endfor %}")
    for name in ("name", "note", "email"):
        expected = as_crispy_field(Sample(initial=initial)[name])
        assert field_html(Sample(initial=initial)[name]) == expected
        kept = field_html(Sample(initial=initial)[name])
        assert kept == expected and isinstance(kept, SafeData)  # drawn as markup in a page, never escaped again
    store = caches["fragments"]
    kept = [store.get(key.split(":", 2)[2]) for key in list(store._cache)]  # ":1:<key>" → the key
    assert len(kept) == 3  # one look per field, whatever the text
    if typed not in ("", "0", PLACEHOLDER):
        assert not any(typed in html or escape(typed) in html for html in kept)  # no one's text is kept
    assert "&lt;label" not in page.render(Context({"form": Sample(initial=initial)}))


@pytest.mark.django_db
def test_fields_of_a_bound_form_and_locale_printed_fields_are_drawn_afresh_and_never_kept():
    caches["fragments"].clear()
    bound = Sample(data={"name": "", "colour": "green", "visitors": "x"})
    assert not bound.is_valid()
    for name in ("name", "colour", "days", "visitors"):
        assert field_html(bound[name]) == as_crispy_field(bound[name])
    assert "is-invalid" in field_html(bound["colour"])
    field_html(Sample(initial={"visitors": 1200})["visitors"])
    assert _kept() == 0
    field_html(Sample()["colour"])
    assert _kept() == 1


@pytest.mark.django_db
def test_a_form_with_a_crispy_helper_is_drawn_with_it_and_never_kept():
    from crispy_forms.helper import FormHelper

    caches["fragments"].clear()

    class Helped(Sample):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()
            self.helper.label_class = "col-4"

    drawn = field_html(Helped()["colour"])
    assert "col-4" in drawn and drawn == as_crispy_field(Helped()["colour"])
    assert _kept() == 0


@pytest.mark.django_db
def test_a_model_choice_looks_the_same_given_as_the_row_or_its_key():
    group = Group.objects.create(name="防災")
    caches["fragments"].clear()
    by_row = field_html(Sample(initial={"groups": [group]})["groups"])
    assert field_html(Sample(initial={"groups": [group.pk]})["groups"]) == by_row
    assert _kept() == 1 and "checked" in by_row
