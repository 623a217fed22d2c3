"""One rule for text typed into any form of the portal.

- NFKC: full-width letters and digits become ASCII, half-width katakana become full-width (ｶﾀｶﾅ → カタカナ),
  compatibility characters become their plain form; surrounding whitespace goes.
- Control characters are refused: in single-line fields all of them (a line break in a council's name would
  end up in a mail header), in multi-line fields all but line breaks and tabs.
- Kana fields (ふりがな) take hiragana or katakana and are stored as hiragana (jaconv), spaces as one
  full-width space.
- Fields that end up in a printed document accept only characters the PDF font has (kiyose.fonts).
"""

import re
import unicodedata

import jaconv
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SINGLE_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_KANA = re.compile(r"[ぁ-ゖゝゞー　]+")


def normalise(value: str, *, multiline: bool = False) -> str:
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return text.strip()


def control_characters(value: str, *, multiline: bool = False) -> list[str]:
    pattern = _MULTI_LINE_CONTROL if multiline else _SINGLE_LINE_CONTROL
    return sorted(set(pattern.findall(value or "")))


def validate_single_line(value: str) -> None:
    if control_characters(value):
        raise ValidationError(_("改行や制御文字は入力できません。"), code="control_characters")


def validate_multi_line(value: str) -> None:
    if control_characters(value, multiline=True):
        raise ValidationError(_("制御文字は入力できません。"), code="control_characters")


def to_hiragana(value: str) -> str:
    """ふりがな as stored: NFKC, katakana → hiragana, any run of spaces → one full-width space."""
    text = jaconv.kata2hira(normalise(value))
    return re.sub(r"[\s　]+", "　", text)


def validate_kana(value: str) -> None:
    if value and not _KANA.fullmatch(value):
        raise ValidationError(_("ふりがなは、ひらがなかカタカナで入力してください。"), code="kana")
