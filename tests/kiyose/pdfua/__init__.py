"""A checker for the machine-checkable part of PDF/UA-1 (ISO 14289-1) that our documents can fail.

veraPDF cannot run here (it is on none of PyPI, npm or Debian, and Maven Central is unreachable), and the
one PyPI package that checks PDF/UA without a JVM (`pdfua` 0.1.x, alpha, one author) covers 16 of the 106
machine rules. This package walks the file with pikepdf (qpdf) the way veraPDF and PAC do for the Matterhorn
Protocol 1.1 failure conditions listed in `CONDITIONS`; each failure names its condition, so a red test says
what a screen reader would miss. Conditions that need a human (is the alt text right, is the reading order
sensible) are left to `text_in_reading_order`, which the tests compare with each document's order.

The package: `conditions` (what can fail), `checker` (the walk, the catalog, role mapping), `structure` (the
structure tree's nesting, headings, tables, reading order), `content` (marked content of the pages), `text`
(fonts, ToUnicode, shown text) and `images` (pictures of the pages for layout facts).
"""

from tests.kiyose.pdfua.checker import _Checker, check, text_in_reading_order
from tests.kiyose.pdfua.conditions import (
    BCP47,
    CONDITIONS,
    LIST_CHILDREN,
    LIST_PARENTS,
    PAINTING,
    STANDARD_TYPES,
    TABLE_CHILDREN,
    TABLE_PARENTS,
    TEXT_SHOWING,
    Failure,
    _Report,
)
from tests.kiyose.pdfua.images import colour_share, ink, page_images
from tests.kiyose.pdfua.text import _Font, parse_to_unicode

__all__ = [
    "BCP47",
    "CONDITIONS",
    "LIST_CHILDREN",
    "LIST_PARENTS",
    "PAINTING",
    "STANDARD_TYPES",
    "TABLE_CHILDREN",
    "TABLE_PARENTS",
    "TEXT_SHOWING",
    "Failure",
    "_Checker",
    "_Font",
    "_Report",
    "check",
    "colour_share",
    "ink",
    "page_images",
    "parse_to_unicode",
    "text_in_reading_order",
]
