import io

from pypdf import PdfReader

from kiyose.pdf import pdf_response, render_pdf

LETTER = {
    "doc_number": "清議発第12号",
    "date_wareki": "令和8年4月1日",
    "addressee": "立科町議会議長　様",
    "sender_lines": ["清瀬市議会議長"],
    "subject": "行政視察の受入れについて（通知）",
    "paragraphs": ["貴議会におかれましては、ますますご清栄のこととお喜び申し上げます。"],
    "items": [("日時", "令和8年7月1日（水）午後2時から"), ("場所", "清瀬市役所4階 会議室")],
    "contact_lines": ["清瀬市議会事務局 庶務調査係", "電話 042-497-2566"],
}


def _fonts(reader):
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            names.add((str(font["/BaseFont"]), embedded))
    return names


def test_letter_pdf_has_japanese_text_and_embeds_the_vendored_mincho():
    pdf = render_pdf("pdf/letter.html", {"letters": [LETTER]})
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    for expected in ("清議発第12号", "令和8年4月1日", "立科町議会議長", "記", "以上", "042-497-2566"):
        assert expected in text
    fonts = _fonts(reader)
    # "KiyoseMincho" is the @font-face family of the vendored file: no system font carries that name.
    assert all(embedded for _, embedded in fonts), fonts
    assert any(name.endswith("+KiyoseMincho") and embedded for name, embedded in fonts), fonts
    assert reader.pages[0].mediabox.width == 595.2756 or round(float(reader.pages[0].mediabox.width)) == 595


def test_many_letters_make_one_page_each():
    pdf = render_pdf("pdf/letter.html", {"letters": [LETTER] * 3})
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3


def test_pdf_response_names_the_file():
    response = pdf_response(b"%PDF-1.7", "通知.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
