"""PDF rendering with WeasyPrint and the vendored Japanese font (no system font package needed).

Templates extend `pdf/base.html`, which declares the font with @font-face on `html` (declaring it on `body`
leaves the page-margin boxes on a system font and makes a letter ~4x slower).
"""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def font_url() -> str:
    return settings.PDF_FONT_PATH.resolve().as_uri()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango/HarfBuzz, which only PDF views need

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_html(template_name: str, context: dict | None = None) -> str:
    return render_to_string(template_name, {"pdf_font_url": font_url(), **(context or {})})


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    return html_to_pdf(render_html(template_name, context))


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "ignore").decode() or "document.pdf"
    response["Content-Disposition"] = f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response
