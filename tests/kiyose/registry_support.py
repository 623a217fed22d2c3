"""What the registry-driven tests share (test_pages, test_workflows, test_fuzz, test_public_text, test_personal,
tests/browser/test_public_pages): the declared pages, workflows and models of every app, read from the
registries, never listed by hand.

Each app's tests/<app>/factories.py may give, for these tests:

    WORKFLOW_FACTORIES = {"inspections.request": submitted}   # model label → a builder of a row in its initial state
    WORKFLOW_CONDITIONS = {"certification.application": {"waiting": cap_full}}  # optional: context for a move
    PUBLIC_SAMPLES = samples_for_public_pages                # optional: makes rows the public pages' items list

so a new app or workflow joins by its own one line, in its own tests.
"""

from importlib import import_module
from importlib.util import find_spec
from io import StringIO

from django.core.management import call_command

from kiyose.pages import KINDS, registry
from kiyose.portal import APPS
from kiyose.workflow import WORKFLOWS

# Apps whose pages, workflows and personal data are not declared yet (being converted on other branches). The
# lead empties this at merge; nothing else in the tests names an app.
PENDING_APPS: set[str] = set()


def app_of(name: str) -> str:
    """The app of a namespaced URL name ("inspections:index") or a model label ("inspections.request"); the
    kit's own pages have no namespace."""
    for sep in (":", "."):
        if sep in name:
            return name.split(sep, 1)[0]
    return "kiyose"


def checked_apps() -> list[str]:
    return [app for app in APPS if app not in PENDING_APPS]


def public_pages(*, kinds=KINDS):
    return [p for p in registry(kinds=kinds) if app_of(p.name) not in PENDING_APPS]


def workflows():
    """Every declared workflow of the portal's apps (tests' own tables, e.g. the kit's test on groups, excluded)."""
    own = {*APPS, "kiyose"}
    return [
        w
        for name, w in sorted(WORKFLOWS.items())
        if w.model._meta.app_label in own and w.model._meta.app_label not in PENDING_APPS
    ]


def _factories_module(app: str):
    name = f"tests.{app}.factories"
    return import_module(name) if find_spec(name) is not None else None


def workflow_factory(model):
    """The builder tests/<app>/factories.py gives for `model` (WORKFLOW_FACTORIES), or None."""
    module = _factories_module(model._meta.app_label)
    return getattr(module, "WORKFLOW_FACTORIES", {}).get(model._meta.label_lower) if module else None


def workflow_condition(model, target: str):
    """The circumstance a move to `target` needs beyond its form (e.g. a full cap before 順番待ち), as a context
    manager factory `condition(obj)` from tests/<app>/factories.py's WORKFLOW_CONDITIONS, or None."""
    module = _factories_module(model._meta.app_label)
    conditions = getattr(module, "WORKFLOW_CONDITIONS", {}).get(model._meta.label_lower, {}) if module else {}
    return conditions.get(str(target))


def seed_everything() -> None:
    """The city's seed data of every app (offices, programmes, KPIs…) and each app's sample rows for the public
    pages that list instances (PUBLIC_SAMPLES), so every declared page has a sample URL."""
    call_command("seed", stdout=StringIO())
    for app in checked_apps():
        module = _factories_module(app)
        samples = getattr(module, "PUBLIC_SAMPLES", None) if module else None
        if samples is not None:
            samples()
