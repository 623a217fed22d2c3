"""Workflows declared once: each app describes its states and transitions in one table, and the service, the
admin buttons and forms, the database constraint, the transition record and the tests all read that table.

    REQUEST_FLOW = Workflow(
        "inspections.request", model=Request, states=Status, initial=Status.RECEIVED,
        final=[Status.DECLINED, Status.COMPLETED, Status.WITHDRAWN],
        transitions=[
            Transition([Status.RECEIVED], Status.COORDINATING, form=DepartmentForm, apply=_to_coordinating),
            ...
        ])

    def request_transition(*, obj, to, by=None, data=None):     # the app's one service
        return REQUEST_FLOW.run(obj=obj, to=to, by=by, data=data)

`run` locks the row, refuses a move the table does not have, validates the transition's form with `data`,
calls `apply(obj, cleaned_data)` for the move's own work (which may raise ValidationError, per field or
whole), sets the state, `full_clean()`s, saves and records who moved it when — all in one transaction.
The admin mixin (kiyose.admin.TransitionAdminMixin) shows one button per transition staff may take and one
page per transition with its form.
"""

from collections.abc import Callable, Iterable

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WORKFLOWS: dict[str, "Workflow"] = {}

STAFF, VISITOR, SYSTEM = "staff", "visitor", "system"


class TransitionForm(forms.Form):
    """The form of a transition that needs nothing but a confirmation; transitions with inputs subclass it.
    `obj` is the record being moved, for forms whose choices or initial values depend on it.

    `example_data(obj)` gives valid input for `obj` as staff would post it: the generic test walks every declared
    transition of every workflow through the admin with it (tests/kiyose/test_workflows.py), so a form with
    fields overrides it. A move that can only be made once a date has passed (marking a visit done) gives
    `example_moment(obj)`, the aware datetime the walk travels to before making it; None (the default) is now."""

    def __init__(self, *args, obj=None, **kwargs):
        self.obj = obj
        super().__init__(*args, **kwargs)

    @classmethod
    def example_data(cls, obj) -> dict:
        return {}

    @classmethod
    def example_moment(cls, obj):
        return None


class ReasonForm(TransitionForm):
    """The reason rule: transitions that must say why (decline, revoke, withdraw) take this form."""

    reason = forms.CharField(
        label=gettext_lazy("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("理由を入力してください。")},
    )

    @classmethod
    def example_data(cls, obj) -> dict:
        return {"reason": "担当課の事情により"}


class TransitionError(ValidationError):
    """A move the table does not allow, or one whose conditions are not met."""


class Transition:
    """One row of the table: from any of `sources` to `target`, with the form staff (or the visitor) fill in
    and `apply(obj, cleaned_data)` for the move's own work. `actors` says who may take it: staff in the
    admin, the visitor through their secret link, or a scheduled job."""

    def __init__(
        self,
        sources: Iterable,
        target,
        *,
        form: type[TransitionForm] = TransitionForm,
        apply: Callable | None = None,
        label: str = "",
        actors: Iterable[str] = (STAFF,),
    ):
        self.sources = tuple(str(s) for s in sources)
        self.target = str(target)
        self.form = form
        self.apply = apply
        self.label = label
        self.actors = tuple(actors)

    def __repr__(self):
        return f"Transition({self.sources} → {self.target})"


class Workflow:
    def __init__(
        self,
        name: str,
        *,
        model: type[models.Model],
        states: type[models.TextChoices],
        initial,
        transitions: Iterable[Transition],
        final: Iterable = (),
        field: str = "status",
    ):
        self.name = name
        self.model = model
        self.states = states
        self.initial = str(initial)
        self.transitions = list(transitions)
        self.final = tuple(str(s) for s in final)
        self.field = field
        self._by_pair = {}
        for t in self.transitions:
            if not isinstance(t.form, type):
                # Said at start-up, so staff are never told a move "cannot be made" when its form is missing.
                raise ImproperlyConfigured(f"{name}: the transition to {t.target} has no form (form={t.form!r})")
            if not issubclass(t.form, TransitionForm):
                raise ImproperlyConfigured(f"{name}: the form of → {t.target} must subclass TransitionForm")
            for source in t.sources:
                if (source, t.target) in self._by_pair:
                    raise ImproperlyConfigured(f"{name}: {source} → {t.target} is declared twice")
                self._by_pair[(source, t.target)] = t
        WORKFLOWS[name] = self

    # --- reading the table ------------------------------------------------------------------------------
    def state_of(self, obj) -> str:
        return str(getattr(obj, self.field))

    def label(self, state) -> str:
        return str(self.states(state).label)

    def find(self, source, target) -> Transition | None:
        return self._by_pair.get((str(source), str(target)))

    def available(self, obj, *, actor: str = STAFF) -> list[Transition]:
        source = self.state_of(obj)
        return [t for t in self.transitions if source in t.sources and actor in t.actors]

    def button_label(self, transition: Transition) -> str:
        if transition.label:
            return str(transition.label)
        return _("「%(dst)s」にする") % {"dst": self.label(transition.target)}

    def problems(self) -> list[str]:
        """What makes the table incomplete: a state with no way in or out, a transition into an unknown state."""
        found = []
        values = [str(v) for v in self.states.values]
        ins = {t.target for t in self.transitions}
        outs = {s for t in self.transitions for s in t.sources}
        for state in values:
            if state != self.initial and state not in ins:
                found.append(f"{self.name}: no transition leads to {state}")
            if state not in self.final and state not in outs:
                found.append(f"{self.name}: no transition leaves {state} (and it is not declared final)")
            if state in self.final and state in outs:
                found.append(f"{self.name}: {state} is declared final but has transitions out")
        for t in self.transitions:
            for state in (*t.sources, t.target):
                if state not in values:
                    found.append(f"{self.name}: unknown state {state}")
        return found

    def constraint(self, *, name: str) -> models.CheckConstraint:
        """The database's guard that the state is one of the table's states."""
        return models.CheckConstraint(
            condition=Q(**{f"{self.field}__in": [str(v) for v in self.states.values]}), name=name
        )

    # --- moving -----------------------------------------------------------------------------------------
    def form_for(self, transition: Transition, obj, data=None, **kwargs) -> TransitionForm:
        return transition.form(data, obj=obj, **kwargs)

    def run(self, *, obj, to, by=None, by_label: str = "", data: dict | None = None, actor: str = STAFF):
        """Move `obj` to state `to`. Raises TransitionError (with field errors where the form or the rule
        says which field) and leaves the record as it was."""
        from kiyose.models import TransitionRecord

        with transaction.atomic():
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            source = self.state_of(locked)
            transition = self.find(source, to)
            if transition is None or actor not in transition.actors:
                raise TransitionError(
                    _("「%(src)s」から「%(dst)s」へは変更できません。")
                    % {"src": self.label(source), "dst": self.label(to) if to in self.states.values else to},
                    code="not_allowed",
                )
            form = self.form_for(transition, locked, data=data or {})
            if not form.is_valid():
                raise TransitionError(form.errors.as_data(), code="invalid")
            try:
                if transition.apply is not None:
                    transition.apply(locked, form.cleaned_data)
                setattr(locked, self.field, transition.target)
                locked.full_clean()
            except ValidationError as exc:
                raise TransitionError(exc.error_dict if hasattr(exc, "error_dict") else exc.error_list) from exc
            locked.save()
            TransitionRecord.objects.create(
                object_type=_content_type(locked),
                object_id=str(locked.pk),
                workflow=self.name,
                source=source,
                target=transition.target,
                by=by if getattr(by, "pk", None) else None,
                by_label=by_label,
            )
        # The caller's instance reflects the move too (admin views and tests keep using it).
        for f in locked._meta.concrete_fields:
            setattr(obj, f.attname, getattr(locked, f.attname))
        return locked


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


def errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    """Show a ValidationError from a service on a form: at its field when the form has that field."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)
