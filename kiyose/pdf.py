"""PDF rendering: every document the portal produces is a tagged PDF/UA-1 file in the vendored Japanese font.

This module is the one place that decides how a PDF is made: WeasyPrint with `pdf_variant="pdf/ua-1"` (a
structure tree from the HTML, /Lang from `<html lang>`, DisplayDocTitle, XMP metadata with the title, the
issuing office and the PDF/UA identification). Templates extend `pdf/base.html`, which declares the font with
@font-face on `html` (declaring it on `body` leaves the page-margin boxes on a system font and makes a letter
~4x slower).

A template marks each document of a batch (one letter of many) with `id="doc-N"`. A document that fits on
one page carries no page number ("1 / 1" on a letter looks like a draft); one that runs longer is laid out
again with "n / N" counted within that document.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

PDF_VARIANT = "pdf/ua-1"
DOCUMENT_ID_PREFIX = "doc-"


def font_url() -> str:
    return settings.PDF_FONT_PATH.resolve().as_uri()


def _html(html: str):
    from weasyprint import HTML  # imported late: it loads Pango/HarfBuzz, which only PDF views need

    return HTML(string=html, base_url=str(settings.BASE_DIR))


def layout(html: str):
    """The laid-out WeasyPrint document, before it is written."""
    return _html(html).render(pdf_variant=PDF_VARIANT)


def write(document) -> bytes:
    return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_finish_tags)


def html_to_pdf(html: str) -> bytes:
    return write(layout(html))


def page_spans(document) -> dict[str, int]:
    """How many pages each `doc-N` element of the document spans (WeasyPrint lists an element's anchor on
    every page it covers)."""
    spans: dict[str, int] = {}
    for page in document.pages:
        for name in page.anchors:
            if name.startswith(DOCUMENT_ID_PREFIX):
                spans[name] = spans.get(name, 0) + 1
    return spans


def render_html(
    template_name: str,
    context: dict | None = None,
    *,
    issuer: str = "",
    page_spans: dict | None = None,
    number_all: bool = False,
) -> str:
    return render_to_string(
        template_name,
        {
            "pdf_font_url": font_url(),
            "pdf_issuer": issuer,
            "pdf_creator": _("清瀬市 議会・市役所ポータル"),
            "pdf_numbered": {name: n for name, n in (page_spans or {}).items() if n > 1},
            "pdf_number_all": number_all,
            **(context or {}),
        },
    )


def render_pdf(template_name: str, context: dict | None = None, *, issuer: str, multipage: bool = False) -> bytes:
    """The PDF of a template; `issuer` (the office that issues it) goes into the metadata as its author.

    `multipage` declares one document that usually runs several pages (the yearly report): it is laid out
    numbered "n / N" straight away, and again without numbers only if it fits on one page after all."""
    if multipage:
        document = layout(render_html(template_name, context, issuer=issuer, number_all=True))
        if len(document.pages) > 1:
            return write(document)
        return write(layout(render_html(template_name, context, issuer=issuer)))
    document = layout(render_html(template_name, context, issuer=issuer))
    spans = page_spans(document)
    if any(n > 1 for n in spans.values()):
        document = layout(render_html(template_name, context, issuer=issuer, page_spans=spans))
    return write(document)


def _finish_tags(document, pdf) -> None:
    """Two things WeasyPrint 70's tagging leaves out, done on its objects before the file is written."""
    import pydyf

    def resolve(reference):
        return pdf.objects[int(bytes(reference).split()[0])]

    catalog_tree = pdf.catalog.get("StructTreeRoot")
    if catalog_tree is None:
        return
    tree = resolve(catalog_tree)
    reachable, pending = set(), [resolve(ref) for ref in tree["K"]]
    while pending:
        element = pending.pop()
        reachable.add(element.number)
        kids = [resolve(kid) for kid in element.get("K", ()) if isinstance(kid, bytes)]
        pending.extend(kids)
        if element.get("S") == "/TR":
            # Header cells get /Scope as well as WeasyPrint's Headers/IDs: some readers and checkers use only
            # Scope. A header in a row with data cells heads its row; a row of headers heads the columns.
            scope = "/Row" if any(kid.get("S") == "/TD" for kid in kids) else "/Column"
            for kid in kids:
                if kid.get("S") == "/TH":
                    kid.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = scope

    # Page-margin boxes (page numbers): WeasyPrint marks their text as content whose structure elements hang
    # off no tree, so a reader neither reads nor skips them properly; PDF/UA-1 wants them as artifacts
    # (WeasyPrint issue #1836). Their marked-content ids are the ones the tree does not reach.
    nums = resolve(tree["ParentTree"])["Nums"]
    for page_index, page_reference in enumerate(pdf.page_references):
        owners = nums[2 * page_index + 1]
        orphans = {mcid for mcid, reference in enumerate(owners) if resolve(reference).number not in reachable}
        if not orphans:
            continue
        stream = resolve(resolve(page_reference)["Contents"]).stream
        for i, item in enumerate(stream):
            if isinstance(item, pydyf.Dictionary) and item.get("MCID") in orphans and stream[i + 1] == b"BDC":
                stream[i - 1], stream[i], stream[i + 1] = "/Artifact", b"", b"BMC"
        for mcid in orphans:
            owners[mcid] = "null"


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "ignore").decode() or "document.pdf"
    response["Content-Disposition"] = f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response
