from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kiyose.cache import page_cache
from kiyose.exports import csv_response
from kiyose.models import Office
from kiyose.pages import INDEXED_KINDS, registry
from kiyose.personal import days_label, files
from kiyose.portal import FOOTER_OFFICE


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


REGISTER_HEADER = [
    _("番号"),
    _("個人情報ファイルの名称"),
    _("利用目的"),
    _("記録項目"),
    _("記録範囲"),
    _("収集方法"),
    _("経常的提供先"),
    _("保存期間"),
    _("担当課"),
    _("利用者の範囲"),
]


def _register() -> tuple[list[dict], list[Office]]:
    """The files with their office's name as the contact blocks print it, and the offices that answer requests
    about them (a file no section owns is answered by the city hall)."""
    offices = list(Office.objects.all())
    by_role = {o.role: o for o in offices if o.role}
    hall = next((o for o in offices if o.key == FOOTER_OFFICE), None)
    entries, contacts = [], []
    for number, entry in enumerate(files(), start=1):
        office = by_role.get(entry["office"])
        contact = office or hall
        if contact is not None and contact not in contacts:
            contacts.append(contact)
        entries.append(
            {
                **entry,
                "number": number,
                "office_label": str(office) if office else entry["office"],
                "contact_label": str(contact) if contact else "",
                "provided_to": entry["provided_to"] or gettext("なし"),
            }
        )
    return entries, contacts


@require_safe
def privacy(request):
    # The notice is made of the models' declarations (code) and the offices (watched by the kit's page cache):
    # kept rendered, so a visitor holding a session does not pay for drawing the whole register.
    # The settings it quotes are part of its key: a notice never claims a measure switched off since.
    measures = (settings.ACCESS_LOG_RETENTION_DAYS, settings.STAFF_MFA_REQUIRED, bool(settings.ADMIN_ALLOWED_NETWORKS))
    return render(
        request, "privacy/index.html", {"body": page_cache.fragment("privacy", *measures, build=_privacy_body)}
    )


def _privacy_body() -> str:
    entries, contacts = _register()
    return render_to_string(
        "privacy/_body.html",
        {
            "entries": entries,
            "contacts": contacts,
            "access_log_period": days_label(settings.ACCESS_LOG_RETENTION_DAYS),
            # The notice claims only the measures this installation has switched on.
            "mfa_required": settings.STAFF_MFA_REQUIRED,
            "admin_networks_limited": bool(settings.ADMIN_ALLOWED_NETWORKS),
        },
    )


@require_safe
def privacy_register_csv(request):
    return page_cache.download("privacy-register", build=_privacy_register_csv)


def _privacy_register_csv():
    entries, _contacts = _register()
    rows = (
        [
            e["number"],
            e["file"],
            e["purpose"],
            "、".join(e["items"]),
            e["subjects"],
            e["source"],
            e["provided_to"],
            e["retention"],
            e["office_label"],
            e["viewers"],
        ]
        for e in entries
    )
    return csv_response(gettext("個人情報ファイル簿.csv"), [str(h) for h in REGISTER_HEADER], rows)
