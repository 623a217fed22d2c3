"""Which characters the vendored PDF font can print.

WeasyPrint draws a character the font lacks as a box (□): an emoji or a rare kanji in a name would reach a
letter or certificate that way. Forms whose fields end up in a PDF validate them with `validate_printable`.
The font's character map is read once per process (fontTools, ~0.1 s).
"""

import functools
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Variation selectors pick a glyph variant; a font without the variant draws the base character.
_VARIATION_SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


@functools.cache
def _codepoints(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def codepoints() -> frozenset[int]:
    """The code points the vendored font (settings.PDF_FONT_PATH) has a glyph for."""
    return _codepoints(str(settings.PDF_FONT_PATH))


def _not_drawn(char: str) -> bool:
    """Whitespace and invisible formatting characters leave no mark on the page, glyph or not."""
    point = ord(char)
    return (
        char.isspace()
        or unicodedata.category(char) == "Cf"
        or any(low <= point <= high for low, high in _VARIATION_SELECTORS)
    )


def unprintable(text: str) -> list[str]:
    """The distinct characters of `text` the font cannot print, in the order they first appear."""
    available = codepoints()
    missing: dict[str, None] = {}
    for char in text or "":
        if ord(char) not in available and not _not_drawn(char):
            missing[char] = None
    return list(missing)


def validate_printable(value) -> None:
    """Django validator: refuse text with characters that would print as □ in the portal's PDFs."""
    missing = unprintable(str(value or ""))
    if missing:
        raise ValidationError(
            _("%(chars)sは印刷できない文字です。別の文字に置き換えてください。"),
            code="unprintable",
            params={"chars": "".join(f"「{char}」" for char in missing)},
        )
