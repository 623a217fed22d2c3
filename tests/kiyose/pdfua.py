"""A checker for the machine-checkable part of PDF/UA-1 (ISO 14289-1) that our documents can fail.

veraPDF cannot run here (it is on none of PyPI, npm or Debian, and Maven Central is unreachable), and the
one PyPI package that checks PDF/UA without a JVM (`pdfua` 0.1.x, alpha, one author) covers 16 of the 106
machine rules. This module walks the file with pikepdf (qpdf) the way veraPDF and PAC do for the Matterhorn
Protocol 1.1 failure conditions listed in `CONDITIONS`; each failure names its condition, so a red test says
what a screen reader would miss. Conditions that need a human (is the alt text right, is the reading order
sensible) are left to `text_in_reading_order`, which the tests compare with each document's order.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

# Matterhorn failure condition (or ISO 14289-1 clause where Matterhorn has no machine test) → what it means.
CONDITIONS = {
    "01-003": "content marked as Artifact inside tagged content",
    "01-004": "tagged content inside content marked as Artifact",
    "01-005": "content neither marked as Artifact nor tagged as real content (reachable from the structure tree)",
    "01-007": "MarkInfo /Suspects is true",
    "02-001": "a non-standard structure type is not role-mapped to a standard one",
    "02-003": "circular role mapping",
    "02-004": "a standard structure type is remapped",
    "06-001": "no XMP metadata stream in the catalog",
    "06-002": "XMP metadata lacks pdfuaid:part = 1",
    "06-003": "XMP metadata lacks dc:title",
    "07-001": "ViewerPreferences lacks DisplayDocTitle",
    "07-002": "DisplayDocTitle is false",
    "09-004": "table structure elements nested against ISO 32000-1 Table 337",
    "09-005": "list structure elements nested against ISO 32000-1 Table 336",
    "11-001": "natural language of the text cannot be determined (catalog /Lang missing or not BCP 47)",
    "13-004": "Figure without alternative text (/Alt or /ActualText)",
    "14-002": "numbered headings do not start with H1",
    "14-003": "numbered heading levels skipped going down",
    "14-007": "both H and H1–H6 used",
    "15-003": "TH without /Scope in a table not organised with Headers and IDs",
    "15-005": "a table cell's /Headers names no TH of the document",
    "19-003": "Note without /ID",
    "21-001": "embedded file specification without /F and /UF",
    "25-001": "dynamic XFA form",
    "26-002": "encryption forbids assistive technology from extracting content",
    "28-008": "a page with annotations has no /Tabs",
    "28-009": "a page with annotations has /Tabs other than /S",
    "28-011": "a Link annotation is not nested in a Link structure element",
    "28-012": "a Link annotation has no /Contents",
    "31-009": "a font used for text is not embedded",
    "UA1:7.1-tagged": "the catalog has no MarkInfo /Marked true, or no StructTreeRoot with a ParentTree",
    "UA1:7.1-tree": "the structure tree and the content disagree (MCID missing, duplicated or unbalanced marks)",
    "UA1:7.21.3.2": "a Type 2 CIDFont without CIDToGIDMap",
    "UA1:7.21.7": "a character code used in the text has no Unicode mapping (ToUnicode missing, 0, FEFF or FFFE)",
    "UA1:7.21.8": "text shows the .notdef glyph",
}

STANDARD_TYPES = frozenset(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)
TABLE_PARENTS = {
    "TR": {"Table", "THead", "TBody", "TFoot"},
    "TH": {"TR"},
    "TD": {"TR"},
    "THead": {"Table"},
    "TBody": {"Table"},
    "TFoot": {"Table"},
}
TABLE_CHILDREN = {"TR", "THead", "TBody", "TFoot", "Caption"}
LIST_PARENTS = {"LI": {"L"}, "Lbl": {"LI"}, "LBody": {"LI"}}
LIST_CHILDREN = {"LI", "L", "Caption"}
PAINTING = frozenset(["Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "INLINE", "IMAGE"])
TEXT_SHOWING = frozenset(["Tj", "TJ", "'", '"'])
BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Failure:
    condition: str
    detail: str

    def __str__(self) -> str:
        return f"{self.condition} {CONDITIONS[self.condition]}: {self.detail}"


@dataclass
class _Font:
    two_byte: bool
    to_unicode: dict[int, str] | None
    embedded: bool
    name: str


@dataclass
class _Report:
    failures: list[Failure] = field(default_factory=list)

    def fail(self, condition: str, detail: str) -> None:
        self.failures.append(Failure(condition, detail))


def check(pdf: bytes) -> list[Failure]:
    """Every machine-checkable PDF/UA-1 failure found in `pdf` (an empty list: none of `CONDITIONS`)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return _Checker(doc).run()


def text_in_reading_order(pdf: bytes) -> str:
    """The text as assistive technology reads it: the structure tree depth first, /Alt for figures."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        checker = _Checker(doc)
        checker.run()
        return "".join(checker.reading_order)


# --- ToUnicode CMaps ---------------------------------------------------------------------------------------

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


class _Checker:
    def __init__(self, doc: pikepdf.Pdf):
        self.doc = doc
        self.root = doc.Root
        self.report = _Report()
        self.fonts: dict[tuple, _Font] = {}
        self.role_map: dict[str, str] = {}
        # (page objgen, mcid) → the structure element that owns it, for MCIDs reachable from the root.
        self.owned: dict[tuple, object] = {}
        self.ids: dict[bytes, str] = {}
        self.content_mcids: dict[tuple, str] = {}
        self.reading_order: list[str] = []

    def fail(self, condition: str, detail: str) -> None:
        self.report.fail(condition, detail)

    def run(self) -> list[Failure]:
        self._catalog()
        tree = self.root.get("/StructTreeRoot")
        elements = list(self._walk(tree)) if tree is not None else []
        for number, page in enumerate(self.doc.pages, start=1):
            self._page(number, page)
        self._structure(elements)
        self._order(tree)
        return self.report.failures

    # --- document level ------------------------------------------------------------------------------------

    def _catalog(self) -> None:
        root = self.root
        mark_info = root.get("/MarkInfo")
        if mark_info is None or not bool(mark_info.get("/Marked", False)):
            self.fail("UA1:7.1-tagged", "MarkInfo /Marked is not true")
        if mark_info is not None and bool(mark_info.get("/Suspects", False)):
            self.fail("01-007", "MarkInfo /Suspects true")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            self.fail("UA1:7.1-tagged", "no StructTreeRoot")
        elif "/ParentTree" not in tree:
            self.fail("UA1:7.1-tagged", "StructTreeRoot has no ParentTree")
        if tree is not None and "/RoleMap" in tree:
            self.role_map = {str(k)[1:]: str(v)[1:] for k, v in tree.RoleMap.items()}
            self._role_map()
        lang = str(root.get("/Lang", ""))
        if not BCP47.match(lang):
            self.fail("11-001", f"catalog /Lang is {lang!r}")
        prefs = root.get("/ViewerPreferences")
        if prefs is None or "/DisplayDocTitle" not in prefs:
            self.fail("07-001", "no /DisplayDocTitle")
        elif not bool(prefs.DisplayDocTitle):
            self.fail("07-002", "/DisplayDocTitle false")
        if "/Metadata" not in root:
            self.fail("06-001", "no /Metadata in the catalog")
        else:
            meta = self.doc.open_metadata()
            if str(meta.get("pdfuaid:part", "")) != "1":
                self.fail("06-002", f"pdfuaid:part is {meta.get('pdfuaid:part')!r}")
            if not str(meta.get("dc:title", "")).strip():
                self.fail("06-003", "dc:title empty or missing")
        if self.doc.is_encrypted and not self.doc.allow.accessibility:
            self.fail("26-002", "accessibility extraction not allowed")
        form = root.get("/AcroForm")
        if form is not None and "/XFA" in form and bool(form.get("/NeedsRendering", False)):
            self.fail("25-001", "AcroForm /NeedsRendering true")
        names = root.get("/Names")
        if names is not None and "/EmbeddedFiles" in names:
            for _name, spec in pikepdf.NameTree(names.EmbeddedFiles).items():
                if "/F" not in spec or "/UF" not in spec:
                    self.fail("21-001", "an embedded file spec lacks /F or /UF")

    def _role_map(self) -> None:
        for source in self.role_map:
            if source in STANDARD_TYPES:
                self.fail("02-004", f"/{source} is remapped")
            seen, current = {source}, source
            while current in self.role_map and current not in STANDARD_TYPES:
                current = self.role_map[current]
                if current in seen:
                    self.fail("02-003", f"/{source} maps in a circle")
                    break
                seen.add(current)
            else:
                if current not in STANDARD_TYPES:
                    self.fail("02-001", f"/{source} ends at non-standard /{current}")

    def _standard(self, structure_type: str) -> str:
        seen = set()
        while structure_type not in STANDARD_TYPES and structure_type in self.role_map:
            if structure_type in seen:
                break
            seen.add(structure_type)
            structure_type = self.role_map[structure_type]
        return structure_type

    # --- structure tree ------------------------------------------------------------------------------------

    def _walk(self, node, parent_type: str = "", page=None) -> Iterator[tuple]:
        """(element, its standard type, its parent's standard type) depth first, recording owned MCIDs."""
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids if isinstance(kids, pikepdf.Array) else [kids]
        own_type = self._standard(str(node.get("/S", "/"))[1:]) if "/S" in node else ""
        page = node.get("/Pg", page)
        for kid in kids:
            if isinstance(kid, int):
                self._own(page, int(kid), node)
            elif isinstance(kid, pikepdf.Dictionary):
                kind = str(kid.get("/Type", ""))
                if kind == "/MCR":
                    self._own(kid.get("/Pg", page), int(kid.MCID), node)
                elif kind == "/OBJR":
                    self.owned[("annot", kid.Obj.objgen)] = node
                else:
                    structure_type = str(kid.get("/S", "/"))[1:]
                    if structure_type not in STANDARD_TYPES and structure_type not in self.role_map:
                        self.fail("02-001", f"/{structure_type} is neither standard nor role-mapped")
                    yield kid, self._standard(structure_type), own_type
                    yield from self._walk(kid, self._standard(structure_type), kid.get("/Pg", page))

    def _own(self, page, mcid: int, node) -> None:
        key = (page.objgen if page is not None else None, mcid)
        if key in self.owned:
            self.fail("UA1:7.1-tree", f"MCID {mcid} is claimed by two structure elements")
        self.owned[key] = node

    def _structure(self, elements: list[tuple]) -> None:
        headings: list[str] = []
        for element, kind, parent in elements:
            if kind in TABLE_PARENTS and parent not in TABLE_PARENTS[kind]:
                self.fail("09-004", f"/{kind} inside /{parent}")
            if kind == "Table":
                for _child, child_kind in self._children(element):
                    if child_kind not in TABLE_CHILDREN:
                        self.fail("09-004", f"/{child_kind} directly inside /Table")
                self._table(element)
            if kind in LIST_PARENTS and parent not in LIST_PARENTS[kind]:
                self.fail("09-005", f"/{kind} inside /{parent}")
            if kind == "L":
                for _child, child_kind in self._children(element):
                    if child_kind not in LIST_CHILDREN:
                        self.fail("09-005", f"/{child_kind} directly inside /L")
            if kind == "LI":
                for _child, child_kind in self._children(element):
                    if child_kind not in {"Lbl", "LBody"}:
                        self.fail("09-005", f"/{child_kind} directly inside /LI")
            if kind in ("Figure", "Formula") and not (
                str(element.get("/Alt", "")).strip() or str(element.get("/ActualText", "")).strip()
            ):
                self.fail("13-004", f"/{kind} without /Alt")
            if kind == "Note" and "/ID" not in element:
                self.fail("19-003", "/Note without /ID")
            if kind == "H" or re.fullmatch(r"H[1-6]", kind):
                headings.append(kind)
        numbered = [int(h[1]) for h in headings if h != "H"]
        if numbered and "H" in headings:
            self.fail("14-007", "H and H1–H6 both used")
        if numbered and numbered[0] != 1:
            self.fail("14-002", f"first heading is H{numbered[0]}")
        for previous, current in zip(numbered, numbered[1:], strict=False):
            if current > previous + 1:
                self.fail("14-003", f"H{current} follows H{previous}")
        for key in set(self.owned) - set(self.content_mcids):
            if key[0] != "annot":
                self.fail("UA1:7.1-tree", f"the tree names MCID {key[1]} that no page content carries")

    def _children(self, element) -> Iterator[tuple]:
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid, self._standard(str(kid.S)[1:])

    @staticmethod
    def _attributes(element) -> list:
        attributes = element.get("/A")
        if attributes is None:
            return []
        return list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]

    def _cells(self, node) -> Iterator[tuple]:
        for child, kind in self._children(node):
            if kind in ("TH", "TD"):
                yield child, kind
            elif kind in ("TR", "THead", "TBody", "TFoot"):
                yield from self._cells(child)

    def _table(self, table) -> None:
        cells = list(self._cells(table))
        header_ids = {bytes(cell.ID) for cell, kind in cells if kind == "TH" and "/ID" in cell}
        organised_by_headers = True
        for cell, kind in cells:
            if kind != "TD":
                continue
            headers = [
                a.Headers for a in self._attributes(cell) if isinstance(a, pikepdf.Dictionary) and "/Headers" in a
            ]
            names = [bytes(h) for group in headers for h in group]
            if not names:
                organised_by_headers = False
            for name in names:
                if name not in header_ids:
                    self.fail("15-005", f"/Headers names {name!r}, no TH of this table has that /ID")
        if organised_by_headers:
            return
        for cell, kind in cells:
            scoped = any(isinstance(a, pikepdf.Dictionary) and "/Scope" in a for a in self._attributes(cell))
            if kind == "TH" and not scoped:
                self.fail("15-003", f"TH {self._text_of(cell)!r} has no /Scope and the table's TDs no /Headers")

    def _text_of(self, element) -> str:
        return "".join(self._read(element))[:20]

    # --- page content --------------------------------------------------------------------------------------

    def _page(self, number: int, page: pikepdf.Page) -> None:
        obj = page.obj
        annots = obj.get("/Annots")
        if annots:
            tabs = obj.get("/Tabs")
            if tabs is None:
                self.fail("28-008", f"page {number}")
            elif str(tabs) != "/S":
                self.fail("28-009", f"page {number} /Tabs {tabs}")
            for annot in annots:
                if str(annot.get("/Subtype")) == "/Link":
                    if ("annot", annot.objgen) not in self.owned:
                        self.fail("28-011", f"page {number}")
                    if not str(annot.get("/Contents", "")).strip():
                        self.fail("28-012", f"page {number}")
        stack: list[tuple[str, int | None]] = []
        self._content(number, obj, pikepdf.parse_content_stream(page), page.Resources, stack, set())
        self._parent_tree(number, obj)
        if stack:
            self.fail("UA1:7.1-tree", f"page {number}: {len(stack)} marked-content sequence(s) left open")

    def _content(self, number, page_obj, instructions, resources, stack, seen_forms, font=None) -> None:
        fonts_stack: list = []
        texts: dict[int, list[str]] = {}
        for instruction in instructions:
            op = str(instruction.operator)
            operands = list(instruction.operands) if hasattr(instruction, "operands") else []
            if op == "q":
                fonts_stack.append(font)
            elif op == "Q":
                font = fonts_stack.pop() if fonts_stack else font
            elif op == "Tf":
                font = self._font(resources, operands[0])
            elif op in ("BMC", "BDC"):
                self._begin(number, page_obj, op, operands, stack)
            elif op == "EMC":
                if not stack:
                    self.fail("UA1:7.1-tree", f"page {number}: EMC without BMC/BDC")
                else:
                    stack.pop()
            elif op == "Do":
                xobject = resources.get("/XObject", {}).get(operands[0]) if resources is not None else None
                if xobject is not None and str(xobject.get("/Subtype")) == "/Form":
                    if xobject.objgen not in seen_forms:
                        inner = xobject.get("/Resources", resources)
                        self._content(
                            number,
                            page_obj,
                            pikepdf.parse_content_stream(xobject),
                            inner,
                            stack,
                            seen_forms | {xobject.objgen},
                            font,
                        )
                else:
                    self._painted(number, op, stack)
            elif op in PAINTING:
                self._painted(number, op, stack)
                if op in TEXT_SHOWING:
                    shown = self._show(number, font, operands, op)
                    mcid = self._current_mcid(stack)
                    if mcid is not None:
                        texts.setdefault(mcid, []).append(shown)
        for mcid, parts in texts.items():
            key = (page_obj.objgen, mcid)
            self.content_mcids[key] = self.content_mcids.get(key, "") + "".join(parts)

    def _parent_tree(self, number: int, page_obj) -> None:
        """The ParentTree is how a reader finds the element of a piece of content: it must agree with the tree."""
        tree = self.root.get("/StructTreeRoot")
        mcids = [key[1] for key in self.content_mcids if key[0] == page_obj.objgen]
        if tree is None or "/ParentTree" not in tree or not mcids:
            return
        if "/StructParents" not in page_obj:
            self.fail("UA1:7.1-tree", f"page {number} has marked content but no /StructParents")
            return
        parents = pikepdf.NumberTree(tree.ParentTree).get(int(page_obj.StructParents))
        for mcid in mcids:
            owner = self.owned.get((page_obj.objgen, mcid))
            listed = parents[mcid] if parents is not None and mcid < len(parents) else None
            if owner is not None and (listed is None or listed.objgen != owner.objgen):
                self.fail("UA1:7.1-tree", f"page {number}: ParentTree entry of MCID {mcid} is not its element")

    def _begin(self, number, page_obj, op, operands, stack) -> None:
        tag = str(operands[0])[1:] if operands else ""
        properties = operands[1] if op == "BDC" and len(operands) > 1 else None
        mcid = None
        if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
            mcid = int(properties.MCID)
        inside_artifact = any(kind == "artifact" for kind, _ in stack)
        inside_tagged = any(kind == "tagged" for kind, _ in stack)
        if tag == "Artifact":
            if inside_tagged:
                self.fail("01-003", f"page {number}")
            stack.append(("artifact", None))
        elif mcid is not None:
            if inside_artifact:
                self.fail("01-004", f"page {number}: MCID {mcid}")
            key = (page_obj.objgen, mcid)
            if key in self.content_mcids:
                self.fail("UA1:7.1-tree", f"page {number}: MCID {mcid} used twice")
            self.content_mcids.setdefault(key, "")
            if key not in self.owned:
                self.fail("01-005", f"page {number}: MCID {mcid} is not reachable from the structure tree")
            stack.append(("tagged", mcid))
        else:
            stack.append(("other", None))

    @staticmethod
    def _current_mcid(stack) -> int | None:
        for kind, mcid in reversed(stack):
            if kind == "tagged":
                return mcid
        return None

    def _painted(self, number: int, op: str, stack) -> None:
        if not any(kind in ("artifact", "tagged") for kind, _ in stack):
            self.fail("01-005", f"page {number}: {op} outside Artifact and tagged content")

    # --- fonts ---------------------------------------------------------------------------------------------

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

    # --- reading order -------------------------------------------------------------------------------------

    def _order(self, tree) -> None:
        if tree is not None:
            self.reading_order = list(self._read(tree))

    def _read(self, node, page=None) -> Iterator[str]:
        alternative = node.get("/ActualText") if "/ActualText" in node else node.get("/Alt")
        if alternative is not None and str(alternative).strip():
            yield str(alternative)
            return
        kids = node.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        page = node.get("/Pg", page)
        for kid in kids:
            if isinstance(kid, int):
                yield self.content_mcids.get((page.objgen if page is not None else None, int(kid)), "")
            elif isinstance(kid, pikepdf.Dictionary):
                if str(kid.get("/Type", "")) == "/MCR":
                    mcr_page = kid.get("/Pg", page)
                    yield self.content_mcids.get((mcr_page.objgen, int(kid.MCID)), "")
                elif "/S" in kid:
                    yield from self._read(kid, page)


# --- pictures of the pages, for layout facts ---------------------------------------------------------------


def page_images(pdf: bytes, *, dpi: int = 60) -> list:
    """Each page as a PIL image (pdfium renders it as a viewer would)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def ink(image, box=None) -> float:
    """Share of the pixels (of `box`, left/top/right/bottom fractions) that are not white."""
    if box is not None:
        width, height = image.size
        image = image.crop((int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height)))
    histogram = image.convert("L").histogram()
    return 1 - sum(histogram[245:]) / sum(histogram)


def colour_share(image, colour: str, tolerance: int = 24) -> float:
    """Share of the pixels within `tolerance` of `colour` (#RRGGBB)."""
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    data = image.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    close = sum(1 for p in pixels if all(abs(a - b) <= tolerance for a, b in zip(p, target, strict=True)))
    return close / (len(data) // 3)
