"""The workflow table's messages and defaults, word for word: what staff see on a button, what a developer sees
for a broken table, the database guard, the record of a move nobody named, errors shown on a form."""

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q

from kiyose.models import TransitionRecord
from kiyose.workflow import Transition, TransitionError, Workflow, errors_to_form


class State(models.TextChoices):
    DRAFT = "draft", "下書き"
    CHECKED = "checked", "課内確認"
    PUBLISHED = "published", "公表"


def test_a_transition_shows_its_sources_and_target():
    assert repr(Transition([State.DRAFT, State.CHECKED], State.PUBLISHED)) == (
        "Transition(('draft', 'checked') → published)"
    )


def test_a_button_without_a_label_names_the_target_state():
    flow = Workflow(
        "rules.button",
        model=Group,
        states=State,
        initial=State.DRAFT,
        field="name",
        transitions=[
            Transition([State.DRAFT], State.CHECKED),
            Transition([State.CHECKED], State.PUBLISHED, label="公表する"),
        ],
    )
    assert [flow.button_label(t) for t in flow.transitions] == ["「課内確認」にする", "公表する"]


def test_a_broken_table_is_refused_with_the_reason():
    with pytest.raises(ImproperlyConfigured, match=r"^rules\.twice: draft → checked is declared twice$"):
        Workflow(
            "rules.twice",
            model=Group,
            states=State,
            initial=State.DRAFT,
            transitions=[Transition([State.DRAFT], State.CHECKED), Transition([State.DRAFT], State.CHECKED)],
        )
    with pytest.raises(
        ImproperlyConfigured, match=r"^rules\.form: the form of → checked must subclass TransitionForm$"
    ):
        Workflow(
            "rules.form",
            model=Group,
            states=State,
            initial=State.DRAFT,
            transitions=[Transition([State.DRAFT], State.CHECKED, form=forms.Form)],
        )


def test_every_problem_of_an_incomplete_table_is_listed():
    flow = Workflow(
        "rules.problems",
        model=Group,
        states=State,
        initial=State.DRAFT,
        final=[State.CHECKED],
        transitions=[Transition([State.DRAFT], State.CHECKED), Transition([State.CHECKED], "gone")],
    )
    assert flow.problems() == [
        "rules.problems: checked is declared final but has transitions out",
        "rules.problems: no transition leads to published",
        "rules.problems: no transition leaves published (and it is not declared final)",
        "rules.problems: unknown state gone",
    ]


def test_the_database_guard_lists_the_states_of_the_default_status_field():
    flow = Workflow(
        "rules.guard",
        model=Group,
        states=State,
        initial=State.DRAFT,
        transitions=[Transition([State.DRAFT], State.CHECKED)],
    )
    guard = flow.constraint(name="rules_guard")
    assert (guard.name, guard.condition) == ("rules_guard", Q(status__in=["draft", "checked", "published"]))


@pytest.mark.django_db
def test_a_move_by_nobody_named_is_recorded_without_a_label():
    flow = Workflow(
        "rules.record",
        model=Group,
        states=State,
        initial=State.DRAFT,
        field="name",
        transitions=[Transition([State.DRAFT], State.CHECKED)],
    )
    group = Group.objects.create(name=State.DRAFT)
    flow.run(obj=group, to=State.CHECKED)
    record = TransitionRecord.objects.of(group).get()
    assert (record.source, record.target, record.by, record.by_label) == ("draft", "checked", None, "")


class TitleForm(forms.Form):
    title = forms.CharField(required=False)


def test_service_errors_land_on_the_field_they_name_or_on_the_whole_form():
    form = TitleForm(data={"title": "x"})
    assert form.is_valid()
    errors_to_form(form, ValidationError({"title": "件名が重複しています。", "status": "状態が変わりました。"}))
    assert form.errors == {"title": ["件名が重複しています。"], "__all__": ["状態が変わりました。"]}
    other = TitleForm(data={"title": "y"})
    assert other.is_valid()
    errors_to_form(other, TransitionError("変更できません。"))
    assert other.errors == {"__all__": ["変更できません。"]}
