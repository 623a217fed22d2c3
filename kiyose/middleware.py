"""Project-wide request handling: one log line per request, and refusal of input no view should ever see."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.shortcuts import render

from kiyose.clientip import client_ip

log = logging.getLogger("kiyose.request")

# NUL and the other C0/C1 controls except tab and line breaks: PostgreSQL refuses NUL in text (a 500 if it
# gets that far), and none of them belongs in anything a person types.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REQUEST_ID_HEADER = "X-Request-ID"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RequestLogMiddleware:
    """One line per request: request id, client address (behind trusted proxies), user id (staff only — never
    a citizen's data), method, path, status and duration. The id is returned in X-Request-ID so a visitor's
    report can be found in the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = incoming if re.fullmatch(r"[A-Za-z0-9-]{8,64}", incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else "-"
        log.info(
            "request_id=%s client=%s user=%s method=%s path=%s status=%s duration_ms=%.1f",
            request.request_id,
            client_ip(request),
            user_id,
            request.method,
            request.path[:200],
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response


class BadInputMiddleware:
    """Control characters anywhere in the query string or a form field, and parameters beyond the size a
    person could type, get a 400 page before any view or admin filter converts them. A method a page does not
    take (require_POST, require_safe) gets the portal's page too, not Django's empty 405."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _hostile(request):
            return render(request, "400.html", status=400)
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "streaming", False) and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


# The admin's date hierarchy (`?created_at__year=`) converts these with int() and datetime() unguarded: a year
# of 40 digits is an OverflowError inside Django. Only what a date part can be passes.
_DATE_PART_NAME = re.compile(r"__(year|month|day)$")
_DATE_PART_VALUE = re.compile(r"[0-9]{1,4}", re.ASCII)


def _hostile(request) -> bool:
    if _CONTROL.search(request.path):
        return True
    for key, values in request.GET.lists():
        if _DATE_PART_NAME.search(key) and not all(_DATE_PART_VALUE.fullmatch(v) for v in values):
            return True
    limit = settings.MAX_PARAMETER_LENGTH
    sources = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        sources.append(request.POST)
    for source in sources:
        for key, values in source.lists():
            if _CONTROL.search(key):
                return True
            for value in values:
                if len(value) > limit or _CONTROL.search(value):
                    return True
    return False
