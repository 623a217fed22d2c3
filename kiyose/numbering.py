"""Every number the portal issues — reference numbers, document numbers, certificate numbers — comes from one
counter table, one row per series. The UPDATE takes the row lock until the caller's transaction ends, so two
submissions at the same moment queue and never share or skip a number (tested on PostgreSQL with threads)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kiyose.models import Counter
from kiyose.wareki import fiscal_year


def number_next(*, key: str) -> int:
    """The next number of the series `key` (1, 2, …). Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next() must run inside a transaction, or the number is not held")
    Counter.objects.get_or_create(key=key)
    Counter.objects.filter(key=key).update(value=F("value") + 1)
    return Counter.objects.values_list("value", flat=True).get(key=key)


def number_peek(*, key: str) -> int:
    """The last number issued in the series (0 when none)."""
    return Counter.objects.filter(key=key).values_list("value", flat=True).first() or 0


def yearly_number(*, series: str, on=None) -> tuple[int, int]:
    """(fiscal year, serial) for series numbered afresh each 年度 (reference and document numbers)."""
    year = fiscal_year(on or timezone.localdate())
    return year, number_next(key=f"{series}-{year}")
