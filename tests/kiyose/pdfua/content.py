"""Page content: annotations, marked-content sequences against the structure tree, the ParentTree."""

import pikepdf

from tests.kiyose.pdfua.conditions import PAINTING, TEXT_SHOWING


class _ContentChecks:
    """Mixed into `_Checker`: records each MCID's text in `content_mcids` and checks it against `owned`."""

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
