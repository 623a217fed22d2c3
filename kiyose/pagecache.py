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


class PageCache:
    def __init__(self, namespace: str, *, timeout: int | Callable[[], int], per_day: bool = False):
        self.namespace = namespace
        self._timeout = timeout
        # Pages whose content depends on today's date (calendars, "open" dates) roll over at midnight.
        self.per_day = per_day
        self._local: dict[str, tuple[str, float]] = {}

    @property
    def version_key(self) -> str:
        # Two databases sharing one Redis (the CI passes, a staging copy) must never see each other's pages.
        return f"{self.namespace}:{connection.settings_dict.get('NAME')}:page-version"

    @property
    def timeout(self) -> int:
        return self._timeout() if callable(self._timeout) else self._timeout

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

    def watch(self, models) -> None:
        """Renew the version on any write to these models, including their many-to-many tables."""
        for model in models:
            uid = f"pagecache.{self.namespace}.{model._meta.label_lower}"
            post_save.connect(self.bump, sender=model, dispatch_uid=uid + ".save", weak=False)
            post_delete.connect(self.bump, sender=model, dispatch_uid=uid + ".delete", weak=False)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(self.bump, sender=field.remote_field.through,
                                    dispatch_uid=f"{uid}.{field.name}", weak=False)

    def _key(self, request) -> str:
        day = timezone.localdate().isoformat() if self.per_day else ""
        raw = f"{self.version()}|{day}|{get_language()}|{request.get_full_path()}"
        return f"{self.namespace}:page:" + hashlib.sha256(raw.encode()).hexdigest()

    def page(self, view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            timeout = self.timeout
            if (timeout <= 0 or request.method not in ("GET", "HEAD")
                    or settings.SESSION_COOKIE_NAME in request.COOKIES):
                return view(request, *args, **kwargs)
            key = self._key(request)
            bodies = caches["fragments"]
            hit = bodies.get(key)
            if hit is not None:
                content, status, headers = hit
                response = HttpResponse(content, status=status)
                for name, value in headers.items():
                    response[name] = value
                return response
            response = view(request, *args, **kwargs)
            if (response.status_code == 200 and not response.streaming and not response.cookies
                    and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")):
                headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
                bodies.set(key, (response.content, response.status_code, headers), timeout)
            return response

        return wrapper
