"""CSV that Excel opens correctly: UTF-8 with a BOM (without it Excel reads Shift_JIS and garbles kanji)."""

import csv
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # RFC 6266: an ASCII fallback plus the UTF-8 name, so Japanese file names survive every browser.
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.csv"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return response
