"""kiyose.fieldcache: a choice field is drawn once per look, byte for byte as crispy draws it, and nothing that
can be stale or personal is kept."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.contrib.auth.models import Group
from django.core.cache import caches

from kiyose.fieldcache import field_html
from kiyose.forms import PortalFormMixin


class Sample(PortalFormMixin, forms.Form):
    name = forms.CharField(label="氏名")
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
def test_typed_input_errors_and_text_fields_are_drawn_afresh_and_never_kept():
    caches["fragments"].clear()
    field_html(Sample(initial={"name": "清瀬 花子"})["name"])
    bound = Sample(data={"name": "", "colour": "green"})
    assert not bound.is_valid()
    drawn = field_html(bound["colour"])
    assert "is-invalid" in drawn and drawn == as_crispy_field(bound["colour"])
    field_html(bound["days"])
    assert _kept() == 0
    field_html(Sample()["colour"])
    assert _kept() == 1
