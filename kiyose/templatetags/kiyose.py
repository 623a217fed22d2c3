"""Template filters every app uses; loaded as a builtin, so templates need no {% load %}."""

import datetime as dt

from django import template

from kiyose import wareki as _wareki

register = template.Library()


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
