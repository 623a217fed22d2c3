"""The access log of personal data (個人情報アクセス記録): which staff account opened, listed, printed, exported or
erased which records, when and from which address — recorded in one place, so no app writes code for it.

AccessLogMiddleware reads every staff request to the admin site. The admin's URL name says which model and
which screen (`<app>_<model>_changelist`, `_change`, `_history`, `_delete`, and the apps' own views under
/admin/<app>/<model>/<id>/… such as `_export`, `_letter`, `_erase`, `_suggestions`); the POST of an admin action
says which action ran on which ids. When the model's declaration (kiyose.personal) has personal fields, one
AccessLog row per model is written after the response — only when the data was actually handed out: a GET that
answered 2xx, a POST that answered 2xx or 3xx. A refusal (403), a missing record (the admin redirects) or a
request stopped by the staff gates never counts; the request log has those.

What a row holds: the staff account (and its username, kept if the account goes), the time, the client address
(kiyose.clientip, behind the trusted proxies), the model, the record ids, the kind of access (AccessAction) and
the screen or action name. Never a value of the records, nor the search words typed (they may be a citizen's
name), so an erasure never has to reach the log.

The apps' own admin views that render a page (TemplateResponse) are also read for the rows they show: a list of
suggested people on a spot's page is recorded against those people. A view outside the admin that shows personal
data calls `access_record(request=…, model=…, ids=…, action=…)` itself.
"""

import ipaddress
import json
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, SuspiciousOperation
from django.db import models
from django.utils import timezone

from kiyose.clientip import client_ip
from kiyose.models import AccessAction, AccessLog
from kiyose.personal import is_personal

__all__ = ["AccessAction", "AccessLogMiddleware", "access_record", "accesslog_purge", "action_for"]

PLAN = "_kiyose_access_plan"
# Django 6.1's actions on the change form post their choice under this prefix.
CHANGE_FORM_ACTION = "CHANGE_FORM-action"
MAX_ID_LENGTH = 64

# Screen and action names → the kind of access; the first match wins (letter_pdf is printing, not exporting).
_KEYWORDS = (
    (("erase",), AccessAction.ERASE),
    (("delete",), AccessAction.DELETE),
    (("pdf", "letter", "print", "notice", "certificate"), AccessAction.PRINT),
    (("export", "csv", "download"), AccessAction.EXPORT),
    (("suggest",), AccessAction.SUGGEST),
    (("history",), AccessAction.HISTORY),
)


def action_for(name: str, *, default: str) -> str:
    lowered = name.lower()
    for words, action in _KEYWORDS:
        if any(word in lowered for word in words):
            return action
    return default


# --- writing ----------------------------------------------------------------------------------------------
def _concrete(model):
    return model._meta.concrete_model if model._meta.proxy else model


def _clean_ids(ids) -> list[str]:
    seen: dict[str, None] = {}
    for raw in ids:
        text = str(raw).strip()
        if text and len(text) <= MAX_ID_LENGTH and not any(c.isspace() for c in text):
            seen.setdefault(text, None)
    return list(seen)


def _address(request) -> str | None:
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def _write(request, model, ids: list[str], action: str, detail: str) -> AccessLog:
    user = request.user
    return AccessLog.objects.create(
        user=user if user.is_authenticated else None,
        username=user.get_username()[:150] if user.is_authenticated else "",
        client_ip=_address(request),
        model=model._meta.label_lower,
        object_ids=f" {' '.join(ids)} ",
        count=len(ids),
        action=action,
        detail=detail[:100],
    )


def access_record(*, request, model, ids, action: str, detail: str = "") -> AccessLog | None:
    """Record that `request`'s staff member was shown the records `ids` of `model` (a view outside the admin
    that shows personal data). Nothing is written for a model without personal fields or for no ids."""
    model = _concrete(model)
    ids = _clean_ids(ids)
    if not ids or not is_personal(model):
        return None
    if not detail and request.resolver_match is not None:
        detail = request.resolver_match.view_name or ""
    return _write(request, model, ids, action, detail)


def accesslog_purge(*, now=None) -> int:
    """Delete the entries older than ACCESS_LOG_RETENTION_DAYS; returns how many went (0 on a second run)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    return AccessLog.objects.filter(at__lt=cutoff).purge()


# --- reading the admin's requests -----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _url_prefixes() -> dict[str, type[models.Model]]:
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in apps.get_models()}


def model_of_url(name: str) -> tuple[type[models.Model] | None, str]:
    """ "talentbank_person_export" → (Person, "export"). The longest prefix wins: app labels hold underscores."""
    best = ""
    for prefix in _url_prefixes():
        if name.startswith(prefix + "_") and len(prefix) > len(best):
            best = prefix
    if not best:
        return None, ""
    return _url_prefixes()[best], name[len(best) + 1 :]


@dataclass
class _Plan:
    """What the request is about to show, filled in from the response once it has answered."""

    action: str
    detail: str
    model: type[models.Model] | None = None
    ids: list[str] = field(default_factory=list)
    changelist: bool = False  # the ids are the rows of the rendered change list
    autocomplete: type[models.Model] | None = None  # the ids are the autocomplete's answer
    scan: bool = False  # also the declared rows the page's context holds

    def records(self, response) -> dict[type[models.Model], list[str]]:
        found: dict[type[models.Model], list] = {}
        if self.model is not None and self.ids:
            found[self.model] = list(self.ids)
        context = getattr(response, "context_data", None) or {}
        if self.changelist and "cl" in context:
            found[self.model] = [row.pk for row in context["cl"].result_list]
        if self.autocomplete is not None:
            found[self.autocomplete] = _autocomplete_ids(response)
        if self.scan:
            for row in _rows(context):
                model = _concrete(type(row))
                if row.pk is not None and is_personal(model):
                    found.setdefault(model, []).append(row.pk)
        return {model: ids for model, ids in ((m, _clean_ids(i)) for m, i in found.items()) if ids}


def _rows(value, depth: int = 0):
    """Model instances in a page's context: at the top, in lists and evaluated querysets, and in the dicts of
    such lists (rows = [{"person": …, "score": …}]). An unevaluated queryset is never run here."""
    if isinstance(value, models.Model):
        yield value
        return
    if depth > 2:
        return
    if isinstance(value, models.QuerySet):
        items = value._result_cache or []
    elif isinstance(value, (list, tuple)):
        items = value
    elif isinstance(value, dict):
        items = value.values()
    else:
        return
    for item in items:
        yield from _rows(item, depth + 1)


def _autocomplete_ids(response) -> list:
    try:
        return [row["id"] for row in json.loads(response.content)["results"]]
    except (ValueError, KeyError, TypeError):
        return []


def _posted_action(request, key: str = "action") -> str:
    names = request.POST.getlist(key)
    try:
        index = int(request.POST.get("index", "0"))
    except ValueError:
        index = 0
    if not names:
        return ""
    name = names[index] if 0 <= index < len(names) else names[0]
    # An action is a Python name; anything else typed into the form is not stored (it is not an action either).
    return name if name.isidentifier() and name.isascii() and len(name) <= 100 else "-"


def _selected_across(request, view_func) -> list | None:
    """Every id an action "on all N" reaches, read before the action runs (it may delete them)."""
    model_admin = getattr(view_func, "model_admin", None)
    if model_admin is None:
        return None
    try:
        changelist = model_admin.get_changelist_instance(request)
        return list(changelist.get_queryset(request).values_list("pk", flat=True))
    except (IncorrectLookupParameters, SuspiciousOperation, PermissionDenied):
        # The view refuses the same request itself; nothing is shown, nothing is recorded.
        return None


def _action_plan(request, model, name: str, ids: list) -> _Plan:
    if name == "delete_selected":
        # Without "post" it is the confirmation page, which lists the records.
        action = AccessAction.DELETE if request.POST.get("post") else AccessAction.VIEW
    else:
        action = action_for(name, default=AccessAction.OPERATE)
    return _Plan(action=action, detail=name, model=model, ids=ids)


def _autocomplete_plan(request) -> _Plan | None:
    try:
        source = apps.get_model(request.GET.get("app_label", ""), request.GET.get("model_name", ""))
        remote = source._meta.get_field(request.GET.get("field_name", "")).remote_field.model
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return None
    remote = _concrete(remote)
    if not is_personal(remote):
        return None
    return _Plan(action=AccessAction.SEARCH, detail="autocomplete", autocomplete=remote)


def _plan(request, match, view_func) -> _Plan | None:
    name = match.url_name or ""
    post = request.method == "POST"
    if name == "autocomplete":
        return _autocomplete_plan(request)
    model, screen = model_of_url(name)
    if model is None or screen == "add":
        return None
    model = _concrete(model)
    personal = is_personal(model)
    object_id = match.kwargs.get("object_id", match.kwargs.get("pk", ""))
    if screen == "changelist":
        if not personal:
            return None
        # "index" marks the action bar; a confirmation page (delete_selected's "post") posts the ids without it.
        acting = post and ("index" in request.POST or ACTION_CHECKBOX_NAME in request.POST)
        action = _posted_action(request) if acting else ""
        if action:
            ids = request.POST.getlist(ACTION_CHECKBOX_NAME)
            if request.POST.get("select_across") == "1":
                ids = _selected_across(request, view_func) or ids
            return _action_plan(request, model, action, ids)
        return _Plan(action=AccessAction.LIST, detail=name, model=model, changelist=True)
    if screen == "change":
        if not personal:
            return None
        saving = any(key in request.POST for key in ("_save", "_continue", "_addanother"))
        action = _posted_action(request, CHANGE_FORM_ACTION) if post and not saving else ""
        if action:
            return _action_plan(request, model, action, [object_id])
        return _Plan(
            action=AccessAction.CHANGE if post else AccessAction.VIEW, detail=name, model=model, ids=[object_id]
        )
    # History, delete and the apps' own views: named by what they do; their pages are read for the rows shown.
    action = action_for(screen, default=AccessAction.CHANGE if post else AccessAction.VIEW)
    if not post and action in (AccessAction.ERASE, AccessAction.DELETE):
        action = AccessAction.VIEW  # the confirmation page shows the record; nothing is gone yet
    return _Plan(
        action=action,
        detail=name,
        model=model if personal else None,
        ids=[object_id] if personal and object_id else [],
        scan=True,
    )


def _shown(request, response) -> bool:
    status = response.status_code
    if request.method == "POST":
        return 200 <= status < 400
    # A GET that redirects showed nothing (a missing record, a PDF not yet issuable).
    return 200 <= status < 300


class AccessLogMiddleware:
    """Records staff access to personal data in the admin site (see the module docstring). Public pages cost
    one attribute lookup: only requests the admin site resolved are looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        plan = getattr(request, PLAN, None)
        if plan is not None and _shown(request, response):
            for model, ids in plan.records(response).items():
                _write(request, model, ids, plan.action, plan.detail)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.app_name != "admin":
            return None
        user = getattr(request, "user", None)
        if user is None or not (user.is_authenticated and user.is_staff):
            return None
        plan = _plan(request, match, view_func)
        if plan is not None:
            setattr(request, PLAN, plan)
        return None
