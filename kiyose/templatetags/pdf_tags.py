"""Filters for the PDF templates ({% load pdf_tags %})."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# A part longer than this may still break: kept whole it could run past the edge of the page.
LONGEST_UNBROKEN = 24


@register.filter
def unbroken_parts(value) -> str:
    """'東京都清瀬市中里5-842 清瀬市役所4階' → each space-separated part kept on one line.

    Japanese text may break between any two characters, so an address or a name would otherwise wrap in the
    middle of a building name; a line may still break at the spaces the text already has, and inside a part
    too long to fit on a line."""
    parts = re.split(r"(\s+)", str(value or ""))
    return mark_safe(  # noqa: S308 - every part is escaped
        "".join(
            conditional_escape(part)
            if not part or part.isspace() or len(part) > LONGEST_UNBROKEN
            else f'<span class="nw">{conditional_escape(part)}</span>'
            for part in parts
        )
    )
