"""The checker: one walk of a document, document-level conditions and role mapping; the topics are mixins."""

import io

import pikepdf

from tests.kiyose.pdfua.conditions import BCP47, STANDARD_TYPES, Failure, _Report
from tests.kiyose.pdfua.content import _ContentChecks
from tests.kiyose.pdfua.structure import _StructureChecks
from tests.kiyose.pdfua.text import _Font, _FontChecks


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


class _Checker(_StructureChecks, _ContentChecks, _FontChecks):
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
