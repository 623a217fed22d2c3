"""Every declared workflow (kiyose.workflow) of every app, read from the tables, walked as staff walk it: through
the admin's transition pages, as a staff member of the app's role, with each form's example data. A state
nobody can reach or leave, a transition without a form or without example data its form accepts, a move that
does not land or leaves no record, and a refusal with the wrong message each fail here."""

import contextlib
from collections import deque

import pytest
import time_machine
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from kiyose.adminkit import TransitionAdminMixin
from kiyose.models import TransitionRecord
from kiyose.portal import role_of_app
from kiyose.workflow import STAFF, Transition, TransitionForm, Workflow
from tests.kiyose.registry_support import workflow_condition, workflow_factory, workflows

pytestmark = pytest.mark.django_db

FLOWS = workflows()


def _steps():
    """(workflow, source, transition) for every declared move: each source of each transition."""
    return [(w, source, t) for w in FLOWS for t in w.transitions for source in t.sources]


STEPS = _steps()
STEP_IDS = [f"{w.name}:{source}->{t.target}" for w, source, t in STEPS]
STATES = [(w, str(state)) for w in FLOWS for state in w.states.values]
STATE_IDS = [f"{w.name}:{state}" for w, state in STATES]


def test_the_portal_declares_workflows():
    assert FLOWS, "no workflow found: the apps' services declare theirs with kiyose.workflow.Workflow"


@pytest.mark.parametrize("workflow", FLOWS, ids=[w.name for w in FLOWS])
def test_every_state_has_a_way_in_and_a_way_out(workflow):
    assert workflow.problems() == []


@pytest.mark.parametrize("workflow", FLOWS, ids=[w.name for w in FLOWS])
def test_the_admin_of_the_model_runs_this_workflow(workflow):
    model_admin = admin.site._registry.get(workflow.model)
    assert isinstance(model_admin, TransitionAdminMixin), f"{workflow.model._meta.label}: admin lacks the mixin"
    assert model_admin.workflow is workflow
    assert workflow_factory(workflow.model) is not None, (
        f"add WORKFLOW_FACTORIES = {{'{workflow.model._meta.label_lower}': builder}} to "
        f"tests/{workflow.model._meta.app_label}/factories.py"
    )


@pytest.mark.parametrize(("workflow", "source", "transition"), STEPS, ids=STEP_IDS)
def test_every_transition_has_a_form_with_example_data_for_its_required_fields(workflow, source, transition):
    assert isinstance(transition.form, type) and issubclass(transition.form, TransitionForm)
    obj = workflow_factory(workflow.model)()
    required = [name for name, field in transition.form(obj=obj).fields.items() if field.required]
    inherited = transition.form.example_data.__func__ is TransitionForm.example_data.__func__
    assert not (required and inherited), (
        f"{transition.form.__name__} requires {required}: give it example_data(obj) (kiyose.workflow.TransitionForm)"
    )


@pytest.mark.parametrize("workflow", FLOWS, ids=[w.name for w in FLOWS])
def test_a_transition_missing_its_form_is_reported_as_such_not_as_a_refused_move(workflow):
    first = workflow.transitions[0]
    broken = [Transition(first.sources, first.target, form=None), *workflow.transitions[1:]]
    with pytest.raises(ImproperlyConfigured) as caught:
        Workflow(
            f"{workflow.name}.broken",
            model=workflow.model,
            states=workflow.states,
            initial=workflow.initial,
            transitions=broken,
            final=workflow.final,
            field=workflow.field,
        )
    assert "has no form" in str(caught.value) and "変更できません" not in str(caught.value)


# --- walking ----------------------------------------------------------------------------------------------
def _path_to(workflow, state: str) -> list[tuple[str, Transition]]:
    """The shortest list of moves from the initial state to `state`."""
    queue, seen = deque([(workflow.initial, [])]), {workflow.initial}
    while queue:
        here, path = queue.popleft()
        if here == state:
            return path
        for t in workflow.transitions:
            if here in t.sources and t.target not in seen:
                seen.add(t.target)
                queue.append((t.target, [*path, (here, t)]))
    raise AssertionError(f"{workflow.name}: {state} cannot be reached from {workflow.initial}")


def _urls(workflow, obj, target=None):
    opts = workflow.model._meta
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    if target is None:
        return change
    return change, reverse(f"admin:{opts.app_label}_{opts.model_name}_transition", args=[obj.pk, target])


def _take(client, workflow, obj, transition):
    """One move the way its actor makes it: staff through the admin's button and page, others by the service."""
    moment = transition.form.example_moment(obj)
    if moment is None:
        return _take_now(client, workflow, obj, transition)
    with time_machine.travel(moment, tick=True):
        # Days later the staff session has timed out: the same member logs in again, as they would.
        client.force_login(client.staff_user)
        return _take_now(client, workflow, obj, transition)


def _take_now(client, workflow, obj, transition):
    condition = workflow_condition(workflow.model, transition.target)
    with condition(obj) if condition else contextlib.nullcontext():
        return _move(client, workflow, obj, transition)


def _move(client, workflow, obj, transition):
    before = TransitionRecord.objects.of(obj).count()
    if STAFF in transition.actors:
        change, url = _urls(workflow, obj, transition.target)
        assert url in client.get(change).content.decode(), f"no button for → {transition.target}"
        form_page = client.get(url)
        assert form_page.status_code == 200
        for name in transition.form(obj=obj).fields:
            assert f'name="{name}"' in form_page.content.decode(), f"the page lacks the form's field {name}"
        response = client.post(url, transition.form.example_data(obj), follow=True)
        assert response.redirect_chain, (
            f"→ {transition.target} refused its form's example_data: {response.context['form'].errors}"
        )
        done = f"状態を「{workflow.label(transition.target)}」に変更しました。"
        assert [str(m) for m in response.context["messages"]] == [done]
    else:
        workflow.run(
            obj=obj,
            to=transition.target,
            data=transition.form.example_data(obj),
            actor=transition.actors[0],
            by_label="test",
        )
    obj = type(obj)._default_manager.get(pk=obj.pk)
    assert workflow.state_of(obj) == transition.target
    records = TransitionRecord.objects.of(obj)
    assert records.count() == before + 1
    assert records.last().target == transition.target
    return obj


def _staff_client(client, make_staff, workflow):
    client.staff_user = make_staff(role_of_app(workflow.model._meta.app_label))
    client.force_login(client.staff_user)
    return client


def _object_in(client, workflow, state):
    obj = workflow_factory(workflow.model)()
    assert workflow.state_of(obj) == workflow.initial
    for _source, step in _path_to(workflow, state):
        obj = _take(client, workflow, obj, step)
    return obj


@pytest.mark.parametrize(("workflow", "source", "transition"), STEPS, ids=STEP_IDS)
def test_staff_of_the_role_take_every_transition_through_the_admin(client, make_staff, workflow, source, transition):
    _staff_client(client, make_staff, workflow)
    obj = _object_in(client, workflow, source)
    obj = _take(client, workflow, obj, transition)
    record = TransitionRecord.objects.of(obj).last()
    assert (record.source, record.target, record.workflow) == (source, transition.target, workflow.name)
    if STAFF in transition.actors:
        assert record.by is not None and record.by.is_staff


@pytest.mark.parametrize(("workflow", "state"), STATES, ids=STATE_IDS)
def test_a_move_the_table_lacks_is_refused_with_its_reason_and_changes_nothing(client, make_staff, workflow, state):
    _staff_client(client, make_staff, workflow)
    obj = _object_in(client, workflow, state)
    records = TransitionRecord.objects.of(obj).count()
    refused = [
        str(t)
        for t in workflow.states.values
        if (found := workflow.find(state, t)) is None or STAFF not in found.actors
    ]
    for target in refused:
        _change, url = _urls(workflow, obj, target)
        response = client.post(url, {}, follow=True)
        assert response.redirect_chain[-1][0] == _urls(workflow, obj)
        messages = [str(m) for m in response.context["messages"]]
        expected = f"「{workflow.label(state)}」から「{workflow.label(target)}」へは変更できません。"
        assert messages == [expected]
        assert workflow.state_of(type(obj)._default_manager.get(pk=obj.pk)) == state
    assert TransitionRecord.objects.of(obj).count() == records
