"""Fonts and text: ToUnicode CMaps, font embedding, and the Unicode text a text-showing operator shows."""

import re
from dataclasses import dataclass

import pikepdf


@dataclass
class _Font:
    two_byte: bool
    to_unicode: dict[int, str] | None
    embedded: bool
    name: str


_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def _utf16(hexdigits: bytes) -> str:
    raw = bytes.fromhex(hexdigits.decode())
    return raw.decode("utf-16-be", errors="replace")


def parse_to_unicode(data: bytes) -> dict[int, str]:
    """bfchar and bfrange sections of a ToUnicode CMap → code → text."""
    mapping: dict[int, str] = {}
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        codes = _HEX.findall(section)
        for src, dst in zip(codes[::2], codes[1::2], strict=False):
            mapping[int(src, 16)] = _utf16(dst)
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in section.splitlines():
            parts = _HEX.findall(line)
            if len(parts) < 3:
                continue
            low, high = int(parts[0], 16), int(parts[1], 16)
            if b"[" in line:
                for offset, dst in enumerate(parts[2:]):
                    mapping[low + offset] = _utf16(dst)
            else:
                start = bytes.fromhex(parts[2].decode())
                for offset in range(high - low + 1):
                    value = int.from_bytes(start, "big") + offset
                    mapping[low + offset] = value.to_bytes(len(start), "big").decode("utf-16-be", "replace")
    return mapping


class _FontChecks:
    """Mixed into `_Checker`: uses its `fail` and caches each font's facts in its `fonts`."""

    def _font(self, resources, name) -> _Font | None:
        font = resources.get("/Font", {}).get(name) if resources is not None else None
        if font is None:
            return None
        key = font.objgen
        if key in self.fonts:
            return self.fonts[key]
        subtype = str(font.get("/Subtype"))
        descendant = font.DescendantFonts[0] if subtype == "/Type0" else font
        descriptor = descendant.get("/FontDescriptor")
        embedded = subtype == "/Type3" or (
            descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        )
        if str(descendant.get("/Subtype")) == "/CIDFontType2" and "/CIDToGIDMap" not in descendant:
            self.fail("UA1:7.21.3.2", str(font.get("/BaseFont")))
        to_unicode = parse_to_unicode(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else None
        self.fonts[key] = _Font(
            two_byte=subtype == "/Type0",
            to_unicode=to_unicode,
            embedded=embedded,
            name=str(font.get("/BaseFont", "")),
        )
        if not embedded:
            self.fail("31-009", self.fonts[key].name)
        return self.fonts[key]

    def _show(self, number: int, font: _Font | None, operands, op) -> str:
        strings = []
        for operand in operands:
            if isinstance(operand, pikepdf.String):
                strings.append(bytes(operand))
            elif isinstance(operand, pikepdf.Array):
                strings.extend(bytes(item) for item in operand if isinstance(item, pikepdf.String))
        if font is None:
            return ""
        text = []
        for raw in strings:
            width = 2 if font.two_byte else 1
            for i in range(0, len(raw) - width + 1, width):
                code = int.from_bytes(raw[i : i + width], "big")
                if font.two_byte and code == 0:
                    self.fail("UA1:7.21.8", f"page {number}: {font.name}")
                unicode = (font.to_unicode or {}).get(code)
                if not unicode or unicode in ("\x00", "\ufeff", "\ufffe"):
                    self.fail("UA1:7.21.7", f"page {number}: code {code:#x} of {font.name}")
                    continue
                text.append(unicode)
        return "".join(text)
