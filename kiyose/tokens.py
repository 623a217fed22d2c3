"""Secret links (status pages, annual-report links, confirmation and self-service links): the raw token goes
out in the mail, only its SHA-256 is stored, so a copy of the database opens no link. Resolving a token tells
apart "never existed" (404) from "used or expired" (410, with an explanation page)."""

import hashlib
import secrets

from django.http import Http404
from django.shortcuts import render

TOKEN_BYTES = 32


def token_new() -> tuple[str, str]:
    """(raw token for the link, hash to store)."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    return raw, token_hash(raw)


def token_hash(raw: str) -> str:
    return hashlib.sha256((raw or "").encode()).hexdigest()


class TokenGone(Exception):
    """The link existed but can no longer be used; `reason` picks the explanation shown with status 410."""

    def __init__(self, reason: str, *, message: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.message = message


def token_lookup(queryset, raw: str, *, field: str = "token_hash"):
    """The row whose stored hash matches `raw`; Http404 when there is none."""
    obj = queryset.filter(**{field: token_hash(raw)}).first() if raw else None
    if obj is None:
        raise Http404
    return obj


def gone_response(request, exc: TokenGone, *, template: str = "token_gone.html", context: dict | None = None):
    return render(request, template, {"reason": exc.reason, "message": exc.message, **(context or {})}, status=410)


def secret_page_headers(response):
    """A page behind a secret link: never kept by a cache, never indexed, and the link (the secret) never sent to
    another site as a referrer — our own forms still get their Origin, which the CSRF check needs."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response
