"""Template filters every app uses; loaded as a builtin, so templates need no {% load %}."""

import datetime as dt

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines

from kiyose import wareki as _wareki
from kiyose.fieldcache import field_html

register = template.Library()


@register.filter
def portal_field(field):
    """A form field as crispy draws it, kept drawn per look (kiyose.fieldcache): use it for every field."""
    return field_html(field)


@register.filter
def definition_rows(rows):
    """{{ rows|definition_rows }}: the <dt>/<dd> pairs of a <dl> from rows whose last two items are the label and
    the value (an export's rows); an empty value shows as —, line breaks as <br>. Drawn here rather than by a
    template loop, which costs a personal page (never kept) about a fifth of a millisecond for twenty rows."""
    return mark_safe("".join(f"<dt>{escape(row[-2])}</dt><dd>{_lines(row[-1])}</dd>" for row in rows))  # noqa: S308


def _lines(value) -> str:
    """As {{ value|default:"—"|linebreaksbr }} prints it."""
    return escape(normalize_newlines(str(value))).replace("\n", "<br>") if value else "—"


@register.filter
def wareki(value):
    """{{ date|wareki }} → 令和8年4月1日 (empty for no date)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return _wareki.wareki(value)


@register.filter
def nendo(value, western=True):
    """{{ 2026|nendo }} → 令和8年度（2026年度）; {{ date|nendo }} takes the date's fiscal year."""
    if value in (None, ""):
        return ""
    year = _wareki.fiscal_year(value) if isinstance(value, dt.date) else int(value)
    return _wareki.fiscal_year_label(year, western=bool(western))


@register.simple_tag
def office_of(app: str = ""):
    """{% office_of "inspections" as office %}: the office that answers for `app` (the city hall without an
    app), for a sentence that quotes one of its details ("お電話（{{ office.phone }}）で…"); one query."""
    from kiyose.models import Office

    return Office.objects.of_app(app)


@register.simple_tag
def office_block(app: str = ""):
    """The contact block of the office that answers for `app`'s pages, with a link to that area's contact
    form; without an app, the city hall's general block (the footer). Kept rendered until staff edit an office
    (the kit's page cache watches Office), so a rendered page pays no query for it; fields staff have not
    entered are left out."""
    from kiyose.cache import page_cache

    return page_cache.fragment("office-block", app, build=lambda: _office_block(app))


def _office_block(app: str) -> str:
    from django.template.loader import render_to_string
    from django.urls import NoReverseMatch, reverse

    from kiyose.models import Office
    from kiyose.portal import FOOTER_OFFICE, OFFICE_OF_APP

    key = OFFICE_OF_APP.get(app, FOOTER_OFFICE)

    try:
        contact_url = reverse(f"{app}:contact") if app else ""
    except NoReverseMatch:
        contact_url = ""
    context = {
        "office": Office.objects.filter(key=key).first(),
        "heading_id": f"contact-{app or 'footer'}",
        "contact_url": contact_url,
        "footer": not app,
    }
    # Our own template, rendered with autoescaping from data staff entered.
    return mark_safe(render_to_string("includes/office.html", context))  # noqa: S308
