import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from fontTools.ttLib import TTFont

from kiyose import fonts
from kiyose.pdf import render_pdf
from tests.kiyose.pdfua import check, text_in_reading_order
from tests.kiyose.test_pdf import LETTER


@pytest.fixture(scope="module")
def cmap():
    return TTFont(settings.PDF_FONT_PATH, lazy=True).getBestCmap()


def test_the_vendored_font_lacks_the_characters_the_tests_refuse(cmap):
    # Measured, not assumed: BIZ UD Mincho has no emoji and no 𠮷 (U+20BB7, 吉 with 土), but has 吉 and 髙.
    assert ord("🌻") not in cmap and ord("𠮷") not in cmap
    assert all(ord(char) in cmap for char in "吉髙﨑清瀬市")


def test_unprintable_lists_each_missing_character_once_in_order():
    assert fonts.unprintable("ひまわり🌻の𠮷田🌻") == ["🌻", "𠮷"]


def test_printable_text_has_nothing_unprintable():
    assert fonts.unprintable("髙﨑市議会　総務委員会 ①㈱ｱ") == []


def test_whitespace_and_invisible_marks_are_not_counted():
    assert fonts.unprintable("清瀬\n市\t役所\u3000 \r\n\u200b\ufe0f") == []


def test_the_character_map_is_read_once():
    fonts._codepoints.cache_clear()
    for _ in range(3):
        fonts.unprintable("清瀬🌻")
    assert fonts._codepoints.cache_info().misses == 1


def test_validate_printable_names_the_characters_in_japanese():
    with pytest.raises(ValidationError) as error:
        fonts.validate_printable("ひまわり🌻畑の𠮷田")
    assert error.value.code == "unprintable"
    assert error.value.messages == ["「🌻」「𠮷」は印刷できない文字です。別の文字に置き換えてください。"]


def test_validate_printable_accepts_printable_text_and_empty_values():
    for value in ("清瀬市議会", "", None, "髙﨑 太郎"):
        fonts.validate_printable(value)


def test_validator_works_on_a_form_field():
    from django import forms

    class NameForm(forms.Form):
        name = forms.CharField(validators=[fonts.validate_printable])

    form = NameForm({"name": "🌻株式会社"})
    assert not form.is_valid()
    assert form.errors["name"] == ["「🌻」は印刷できない文字です。別の文字に置き換えてください。"]
    assert NameForm({"name": "株式会社髙﨑"}).is_valid()


def test_a_letter_with_only_printable_characters_prints_every_glyph_from_the_font():
    """What the validator lets through prints: no .notdef box (□), every glyph in the vendored font."""
    from pypdf import PdfReader

    name = "髙﨑市議会議長　様"
    assert fonts.unprintable(name) == []
    pdf = render_pdf("pdf/letter.html", {"letters": [{**LETTER, "addressee": name}]}, issuer="清瀬市議会事務局")
    assert check(pdf) == []  # includes UA1:7.21.8: no text shows the .notdef glyph
    assert "髙﨑市議会議長" in text_in_reading_order(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    used = {str(font.get_object()["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert used and all(name.endswith("+KiyoseMincho") for name in used)
