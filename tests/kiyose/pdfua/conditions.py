"""The PDF/UA-1 conditions the checker tests, the structure vocabulary it knows, and how a failure reads."""

import re
from dataclasses import dataclass, field

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
class _Report:
    failures: list[Failure] = field(default_factory=list)

    def fail(self, condition: str, detail: str) -> None:
        self.failures.append(Failure(condition, detail))
