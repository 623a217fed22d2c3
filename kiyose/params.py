"""Numbers, ids, years and dates from URLs, query strings and forms: one parser each, every app uses them.

`str.isdigit()` is true for "²" and "٣" and `int()` of some of them fails; a 5,000-digit number takes time to
convert and overflows the database column. So: ASCII digits only, a length bound checked before conversion,
and a range checked after. Each parser returns None for anything else; the caller answers 400/404 or shows
the form's message, never a 500.
"""

import datetime as dt
import re

# A primary key: PostgreSQL's integer column holds 2**31-1, so nine digits are always safe to look up.
ID_MAX = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")
_YEAR = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
YEAR_MIN, YEAR_MAX = 2000, 2999


def parse_int(raw, *, minimum: int = 0, maximum: int = ID_MAX) -> int | None:
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def parse_id(raw) -> int | None:
    return parse_int(raw, minimum=1)


def parse_year(raw, *, minimum: int = YEAR_MIN, maximum: int = YEAR_MAX) -> int | None:
    if not isinstance(raw, str) or not _YEAR.fullmatch(raw):
        return None
    return parse_int(raw, minimum=minimum, maximum=maximum)


def parse_date(raw) -> dt.date | None:
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return day if YEAR_MIN <= day.year <= YEAR_MAX else None


def parse_month(raw) -> dt.date | None:
    """'2026-11' → the first of that month."""
    if not isinstance(raw, str) or not _MONTH.fullmatch(raw):
        return None
    return parse_date(f"{raw}-01")


def parse_choice(raw, choices) -> str:
    """The value when it is one of `choices`, else ''."""
    return raw if isinstance(raw, str) and raw in {str(c) for c in choices} else ""


# URL converters: each matches only what it means, so no route swallows another's paths and nothing
# unconvertible reaches a view. Registered in kiyose/urls.py.
class IdConverter:
    regex = "[1-9][0-9]{0,8}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter:
    regex = "2[0-9]{3}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class TokenConverter:
    """A secret link's token: URL-safe base64 of secrets.token_urlsafe, bounded."""

    regex = "[A-Za-z0-9_-]{16,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)
