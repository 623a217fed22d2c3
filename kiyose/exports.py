"""CSV that Excel opens correctly and safely: UTF-8 with a BOM (without it Excel reads Shift_JIS and garbles
kanji), and no cell that Excel would run as a formula. Every CSV of the portal goes through here.

Cells come from public forms; one beginning with =, +, -, @ (or a tab or carriage return before one) would be a
formula when staff open the file (CSV injection). defusedcsv prefixes such cells with an apostrophe, which
Excel shows as text; numbers stay numbers."""

from collections.abc import Iterable, Sequence
from urllib.parse import quote

from defusedcsv import csv
from django.http import HttpResponse


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("\t", "\r"):
        # defusedcsv looks at the first character only; Excel skips leading whitespace before a formula.
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # RFC 6266: an ASCII fallback plus the UTF-8 name, so Japanese file names survive every browser.
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.csv"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow([_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([_cell(cell) for cell in row])
    return response
