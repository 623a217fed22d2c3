"""Whole-response caching of an app's public pages, keyed on a data version that every write renews.

Two levels: the version lives in the shared cache (Redis in production) so a write in one worker reaches all
of them, and each worker keeps its last reading of it for LOCAL_SECONDS; the rendered bodies live in the
in-process "fragments" cache. A hit therefore costs no network round trip — measured on PostgreSQL + Redis,
two Redis reads per hit halved a cached page's throughput. Another worker may show the old page for at most
LOCAL_SECONDS after a write; the worker that wrote sees its change at once.

Public pages change only when someone writes the app's data, so between writes they are served from the
cache. Every save/delete/m2m change of the app's models renews the version at once and again on commit (a
page rendered meanwhile from the old data must not outlive the transaction). Only anonymous GETs without a
session cookie are served from the cache — nobody's flash message or staff-only content is ever shared — and
responses that set cookies are never stored. Production runs a shared cache (Redis, CACHE_URL) so a change in
one worker is seen by all.
"""

import hashlib
import time
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Access-Control-Allow-Origin")
LOCAL_SECONDS = 2.0
_INSTANCES: list["PageCache"] = []


def forget_local_versions() -> None:
    """Drop every worker-local reading of the versions (the shared cache was cleared: tests, a restore)."""
    for instance in _INSTANCES:
        instance._local.clear()


class PageCache:
    """One per app, in `<app>/cache.py`; the app's public pages declare it in their urls (kiyose.pages.page),
    and the app's AppConfig.ready() calls `connect()` so writes to the watched models renew the version.

    `watch` names the models whose writes change the public pages (labels, "app.Model"); `timeout_setting`
    names the setting that bounds an entry's life (live figures fed by other apps may be that old); pages whose
    content depends on today's date (calendars, "places left this year") pass per_day=True."""

    def __init__(
        self, namespace: str, *, watch: list[str], timeout_setting: str = "PAGE_CACHE_SECONDS", per_day: bool = False
    ):
        self.namespace = namespace
        self.watched = list(watch)
        self.timeout_setting = timeout_setting
        self.per_day = per_day
        self._local: dict[str, tuple[str, float]] = {}
        _INSTANCES.append(self)

    @property
    def version_key(self) -> str:
        # Two databases sharing one Redis (the CI passes, a staging copy) must never see each other's pages.
        return f"{self.namespace}:{connection.settings_dict.get('NAME')}:page-version"

    @property
    def timeout(self) -> int:
        return int(getattr(settings, self.timeout_setting))

    def version(self) -> str:
        key = self.version_key
        now = time.monotonic()
        local = self._local.get(key)
        if local is not None and now - local[1] < LOCAL_SECONDS:
            return local[0]
        version = cache.get(key)
        if version is None:
            cache.add(key, uuid.uuid4().hex, None)
            version = cache.get(key) or ""
        self._local[key] = (version, now)
        return version

    def _renew(self) -> None:
        version = uuid.uuid4().hex
        cache.set(self.version_key, version, None)
        self._local[self.version_key] = (version, time.monotonic())

    def bump(self, **_signal_kwargs) -> None:
        self._renew()
        transaction.on_commit(self._renew, robust=True)

    def connect(self) -> None:
        """Renew the version on any write to the watched models, including their many-to-many tables."""
        from django.apps import apps

        # Every public page prints an office's contact block, so a staff edit of one renews every app's pages.
        models = [apps.get_model("kiyose.Office")]
        for label in self.watched:
            # "app" watches every model of the app, "app.Model" one model.
            models += apps.get_app_config(label).get_models() if "." not in label else [apps.get_model(label)]
        for model in dict.fromkeys(models):
            uid = f"pagecache.{self.namespace}.{model._meta.label_lower}"
            post_save.connect(self.bump, sender=model, dispatch_uid=uid + ".save", weak=False)
            post_delete.connect(self.bump, sender=model, dispatch_uid=uid + ".delete", weak=False)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    self.bump, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}", weak=False
                )

    def _parts(self) -> list[str]:
        day = timezone.localdate().isoformat() if self.per_day else ""
        return [self.version(), day, get_language() or ""]

    def key(self, request, params: tuple[str, ...] = ()) -> str:
        """The entry for this request: the path plus only the parameters the page reads, normalised, so
        ?utm_source= or any unknown parameter shares the entry instead of making a new one per worker."""
        query = "&".join(f"{name}={_param(request, name)}" for name in sorted(params))
        raw = "|".join([*self._parts(), request.path, query])
        return f"{self.namespace}:page:" + hashlib.sha256(raw.encode()).hexdigest()

    def fragment(self, name: str, *parts, build: Callable[[], str]) -> str:
        """A rendered piece (an empty form's fields, a list) kept in process until the data changes."""
        raw = "|".join([*self._parts(), name, *[str(p) for p in parts]])
        key = f"{self.namespace}:fragment:" + hashlib.sha256(raw.encode()).hexdigest()
        bodies = caches["fragments"]
        value = bodies.get(key)
        if value is None:
            value = build()
            bodies.set(key, value, self.timeout)
        return value

    def download(self, name: str, *parts, build: Callable[[], HttpResponse]) -> HttpResponse:
        """A download (CSV, JSON, PDF) built once per data version: its bytes and headers kept like a fragment,
        so a visitor with a session is not the one who pays for building it."""

        def kept():
            response = build()
            return response.content, _kept_headers(response)

        content, headers = self.fragment(f"download:{name}", *parts, build=kept)
        return _response(content, headers)

    def page(self, view=None, *, params: tuple[str, ...] = ()):
        """Serve `view` from the cache to anonymous visitors without a session; `params` are the query
        parameters the view reads (the only ones that make a different page). Usually applied by
        kiyose.pages.page() from the app's urls."""
        if view is None:
            return lambda actual: self.page(actual, params=params)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            timeout = self.timeout
            if timeout <= 0 or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
                return view(request, *args, **kwargs)
            key = self.key(request, params)
            bodies = caches["fragments"]
            hit = bodies.get(key)
            if hit is not None:
                content, status, headers = hit
                return _response(content, headers, status=status)
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                bodies.set(key, (response.content, response.status_code, _kept_headers(response)), timeout)
            return response

        wrapper.page_cache = self
        return wrapper


def _kept_headers(response) -> dict[str, str]:
    return {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}


def _response(content: bytes, headers: dict[str, str], *, status: int = 200) -> HttpResponse:
    """A response rebuilt from what was kept of it."""
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _param(request, name: str) -> str:
    # Bounded: a megabyte of query string must not become a megabyte of key material.
    return (request.GET.get(name) or "").strip()[:100]
