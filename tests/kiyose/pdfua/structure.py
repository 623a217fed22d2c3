"""The structure tree: walking it, nesting of tables and lists, headings, table headers, reading order."""

import re
from collections.abc import Iterator

import pikepdf

from tests.kiyose.pdfua.conditions import LIST_CHILDREN, LIST_PARENTS, STANDARD_TYPES, TABLE_CHILDREN, TABLE_PARENTS


class _StructureChecks:
    """Mixed into `_Checker`: fills `owned` while walking the tree, and reads it back against `content_mcids`."""

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
