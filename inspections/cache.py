"""Caching of the public pages, keyed on a version that every change to inspection data replaces.

The calendar, the record and the feed change only when staff or a requester change data (and at midnight),
so serving them from the cache between changes is safe. Pages for visitors holding a session (who may have a
flash message waiting) and responses that set cookies are never cached. Production runs a shared cache
(Redis, CACHE_URL), so a change made in one worker is seen by all.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

VERSION_KEY = "inspections:data-version"
PAGE_TTL = 300
KEPT_HEADERS = ("Cache-Control", "Content-Disposition")


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or ""
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def data_changed(**_kwargs) -> None:
    """Signal receiver: forget every cached page now, and again once the change is committed (a page
    rendered meanwhile from the old data must not outlive the transaction)."""
    _bump()
    transaction.on_commit(_bump)


def _page_key(request) -> str:
    raw = f"{data_version()}|{timezone.localdate().isoformat()}|{request.get_full_path()}"
    return "inspections:page:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_public_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        key = _page_key(request)
        hit = cache.get(key)
        if hit is not None:
            content, status, headers = hit
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        cacheable = (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
        if cacheable:
            headers = {"Content-Type": response["Content-Type"]}
            headers.update({name: response[name] for name in KEPT_HEADERS if response.has_header(name)})
            cache.set(key, (response.content, response.status_code, headers), PAGE_TTL)
        return response

    return wrapper
