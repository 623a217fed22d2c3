from django.contrib.sitemaps import Sitemap
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kiyose.pages import INDEXED_KINDS, registry


@require_safe
def home(request):
    return render(request, "home.html")


@never_cache
@require_safe
def healthz(request):
    """200 after a round trip to the database; 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_safe
def livez(request):
    """The trivial view: no database, no template. The benchmark's yardstick."""
    return JsonResponse({"status": "ok"})


def ratelimited(request, exception=None):
    return render(request, "429.html", status=429)


class PublicPagesSitemap(Sitemap):
    """Every public page the apps declare (kiyose.pages), with every instance of pages that take a parameter."""

    def items(self):
        return [url for entry in registry(kinds=INDEXED_KINDS) for url in entry.urls()]

    def location(self, item):
        return item


@require_safe
def robots(request):
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
