"""The kit's workflow table: moves only along declared transitions, validates each move's form, records who and
when, and reports tables with a state nobody can reach or leave. Exercised on the staff groups' model so the
kit's test needs no app."""

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from kiyose.models import TransitionRecord
from kiyose.workflow import STAFF, VISITOR, WORKFLOWS, ReasonForm, Transition, TransitionError, Workflow

pytestmark = pytest.mark.django_db


class State(models.TextChoices):
    # The group's name doubles as its state so the test needs no table of its own.
    DRAFT = "draft", "下書き"
    CHECKED = "checked", "課内確認"
    PUBLISHED = "published", "公表"
    WITHDRAWN = "withdrawn", "取下げ"


class NameForm(ReasonForm):
    pass


def _publish(obj, data):
    if "bad" in data.get("reason", ""):
        raise forms.ValidationError({"reason": "理由が不適切です。"})


def flow() -> Workflow:
    return Workflow(
        "test.group",
        model=Group,
        states=State,
        initial=State.DRAFT,
        field="name",
        final=[State.PUBLISHED, State.WITHDRAWN],
        transitions=[
            Transition([State.DRAFT], State.CHECKED),
            Transition([State.CHECKED], State.PUBLISHED, form=NameForm, apply=_publish),
            Transition([State.DRAFT, State.CHECKED], State.WITHDRAWN, actors=[STAFF, VISITOR]),
        ],
    )


def test_a_declared_move_changes_the_state_and_is_recorded(make_staff):
    user = make_staff()
    group = Group.objects.create(name=State.DRAFT)
    flow().run(obj=group, to=State.CHECKED, by=user)
    assert group.name == "checked"
    assert Group.objects.get(pk=group.pk).name == "checked"
    record = TransitionRecord.objects.of(group).get()
    assert (record.source, record.target, record.by, record.workflow) == ("draft", "checked", user, "test.group")
    assert (record.source_label, record.target_label) == ("下書き", "課内確認")


def test_an_undeclared_move_is_refused_and_changes_nothing():
    group = Group.objects.create(name=State.DRAFT)
    with pytest.raises(TransitionError) as caught:
        flow().run(obj=group, to=State.PUBLISHED)
    assert caught.value.code == "not_allowed"
    assert "「下書き」から「公表」へは変更できません。" in caught.value.messages
    assert Group.objects.get(pk=group.pk).name == "draft"
    assert not TransitionRecord.objects.exists()


def test_the_transition_form_is_required_and_its_errors_name_the_field():
    group = Group.objects.create(name=State.CHECKED)
    with pytest.raises(TransitionError) as caught:
        flow().run(obj=group, to=State.PUBLISHED, data={})
    assert caught.value.message_dict == {"reason": ["理由を入力してください。"]}
    with pytest.raises(TransitionError) as caught:
        flow().run(obj=group, to=State.PUBLISHED, data={"reason": "bad idea"})
    assert caught.value.message_dict == {"reason": ["理由が不適切です。"]}
    assert Group.objects.get(pk=group.pk).name == "checked"
    flow().run(obj=group, to=State.PUBLISHED, data={"reason": "確認済み"})
    assert Group.objects.get(pk=group.pk).name == "published"


def test_who_may_take_a_transition():
    group = Group.objects.create(name=State.DRAFT)
    workflow = flow()
    assert [t.target for t in workflow.available(group)] == ["checked", "withdrawn"]
    assert [t.target for t in workflow.available(group, actor=VISITOR)] == ["withdrawn"]
    with pytest.raises(TransitionError):
        workflow.run(obj=group, to=State.CHECKED, actor=VISITOR)
    workflow.run(obj=group, to=State.WITHDRAWN, actor=VISITOR, by_label="申込者")
    assert TransitionRecord.objects.of(group).get().by_label == "申込者"


def test_a_complete_table_has_no_problems_and_gaps_are_reported():
    assert flow().problems() == []
    broken = Workflow(
        "test.broken",
        model=Group,
        states=State,
        initial=State.DRAFT,
        field="name",
        final=[State.PUBLISHED],
        transitions=[Transition([State.DRAFT], State.CHECKED)],
    )
    assert broken.problems() == [
        "test.broken: no transition leaves checked (and it is not declared final)",
        "test.broken: no transition leads to published",
        "test.broken: no transition leads to withdrawn",
        "test.broken: no transition leaves withdrawn (and it is not declared final)",
    ]


def test_a_transition_without_a_form_is_refused_at_declaration_not_at_the_admin():
    # The whole sentence, so the developer reading the start-up error learns which table and which move.
    with pytest.raises(
        ImproperlyConfigured, match=r"^test\.noform: the transition to checked has no form \(form=None\)$"
    ):
        Workflow(
            "test.noform",
            model=Group,
            states=State,
            initial=State.DRAFT,
            field="name",
            transitions=[Transition([State.DRAFT], State.CHECKED, form=None)],
        )
    assert "test.noform" not in WORKFLOWS


def test_every_transition_form_gives_example_data_that_it_accepts():
    group = Group.objects.create(name=State.CHECKED)
    for transition in flow().transitions:
        form = transition.form(transition.form.example_data(group), obj=group)
        assert form.is_valid(), form.errors
    assert NameForm.example_data(group)["reason"]
