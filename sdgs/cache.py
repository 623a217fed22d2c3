"""A page cache for the public SDGs pages.

Rendering a page means computing every KPI's progress (~20 ms); the pages change only when staff save
something in `sdgs` (the version below moves on commit) or when a live figure of another app changes (the
entries expire after settings.SDGS_PAGE_CACHE_SECONDS). Only anonymous requests without a session cookie are
served from the cache, so no message or staff-only content is ever shared.
"""

import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

VERSION_KEY = "sdgs:page-version"
HEADERS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin")


def cache_version_bump(**kwargs) -> None:
    """Signal receiver: a saved or deleted row makes every cached page stale once the transaction commits."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None), robust=True)


def public_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.SDGS_PAGE_CACHE_SECONDS
        if timeout <= 0 or settings.SESSION_COOKIE_NAME in request.COOKIES or request.method != "GET":
            return view(request, *args, **kwargs)
        version = cache.get(VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            cache.add(VERSION_KEY, version, None)
            version = cache.get(VERSION_KEY, version)
        key = f"sdgs:page:{version}:{get_language()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = {name: response[name] for name in HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers), timeout)
        return response

    return wrapper
