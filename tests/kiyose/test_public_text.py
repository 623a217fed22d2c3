"""Every word the public reads is the city's own: no redaction marker from the city's documents and no contact
detail (e-mail address, phone or fax number) that the offices' seeded contact blocks do not print, on any
declared public page or download (kiyose.pages), every instance of each."""

import io
import re
import unicodedata

import pytest

from kiyose.models import Office
from kiyose.pages import DOWNLOAD, FEED, FORM, READ
from tests.kiyose.registry_support import public_pages

pytestmark = pytest.mark.django_db

SCANNED_KINDS = (READ, FORM, DOWNLOAD, FEED)
REDACTION = re.compile(r"\[?\s*REDACTED\s*\]?|黒塗り|■{2,}", re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Japanese numbers as printed: 042-497-2566, 042(497)2566, 0424972566, +81-42-…; after NFKC so 全角 counts.
PHONE = re.compile(
    r"(?<![\d-])(?:\+81[-\s]?|0)\d{1,4}[-\s(）)]{1,2}\d{1,4}[-\s)）]{1,2}\d{3,4}(?![\d-])"
    r"|(?<!\d)0\d{9,10}(?!\d)"
)
HIDDEN_INPUT = re.compile(r"<input\b[^>]*\btype=\"hidden\"[^>]*>")


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:] if digits.startswith("81") else digits


def text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    else:
        # Hidden inputs carry machine values nobody reads (a form's submission token is a UUID, whose hex can hold
        # a run of digits shaped like a phone number): they are not text the page gives.
        text = HIDDEN_INPUT.sub("", body.decode("utf-8-sig", "replace"))
    return unicodedata.normalize("NFKC", text)


def invented_contacts(text: str, offices) -> list[str]:
    """E-mail addresses and phone numbers in `text` that no office's contact block gives."""
    known_mail = {o.email.lower() for o in offices if o.email}
    known_phone = {_digits(n) for o in offices for n in (o.phone, o.phone_main, o.fax) if n}
    found = [m for m in EMAIL.findall(text) if m.lower() not in known_mail]
    found += [m for m in PHONE.findall(text) if _digits(m) not in known_phone]
    return found


def public_urls() -> list[tuple[str, str]]:
    return [(entry.name, url) for entry in public_pages(kinds=SCANNED_KINDS) for url in entry.urls()]


def test_the_scan_covers_every_declared_page_and_download(client, seeded):
    names = {name for name, _url in public_urls()}
    assert names == {p.name for p in public_pages(kinds=SCANNED_KINDS)}
    assert {p.kind for p in public_pages(kinds=SCANNED_KINDS)} >= {READ, FORM, DOWNLOAD}


def test_no_redaction_and_no_invented_contact_on_any_public_page_or_download(client, seeded):
    offices = list(Office.objects.all())
    problems = []
    for name, url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        text = text_of(response)
        problems += [f"{url} ({name}): {m!r} is a redaction" for m in REDACTION.findall(text)]
        problems += [
            f"{url} ({name}): {m!r} is given by no office's contact block" for m in invented_contacts(text, offices)
        ]
    assert problems == []


def test_the_scan_finds_what_it_looks_for():
    hall = Office(key="x", name="清瀬市役所", phone_main="042-492-5111", email="")
    text = unicodedata.normalize(
        "NFKC", "代表 ０４２-４９２-５１１１／直通 042-497-9999／kikaku@city.example.jp／0424925111"
    )
    assert invented_contacts(text, [hall]) == ["kikaku@city.example.jp", "042-497-9999"]
    assert REDACTION.findall("[REDACTED] に参加した人数")
    assert not invented_contacts("令和9年1月13日 2027-01-13 定員 20 名 〒204-8511", [hall])


def test_hidden_machine_values_are_not_page_text():
    from django.http import HttpResponse

    hall = Office(key="x", name="清瀬市役所", phone_main="042-492-5111", email="")
    # A submission token (a UUID) whose last group happens to hold eleven digits after a letter.
    token = '<input type="hidden" name="_token" value="3f2b8c1e-7d4a-4e2b-9c1d-f08762217814">'
    assert invented_contacts(text_of(HttpResponse(f"<form>{token}</form>")), [hall]) == []
    assert invented_contacts(text_of(HttpResponse("<p>お電話 08762217814</p>")), [hall]) == ["08762217814"]
