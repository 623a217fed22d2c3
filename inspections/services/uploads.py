"""Documents a visiting council sends through its status page (依頼文書, 参加者名簿, 質問事項, 行程).

The type is read from the content (puremagic, with its deep scan of ZIP and OLE containers, so a .docx or
.xlsx is told apart from any other ZIP archive by its [Content_Types].xml, and a .doc from an .xls by its
streams); the name the visitor's computer gave the file counts for nothing but the download name. Refused
before anything is stored: an empty or oversized file, a type we do not take (archives, programs, anything
renamed to look like a PDF), a name with path parts or control characters."""

import hashlib
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import DocumentKind, DocumentUpload, Request
from inspections.services.requests import notify_office

# Detected type → (MIME type served, the extensions a file of that type may be named with).
ACCEPTED_TYPES = {
    ".pdf": ("application/pdf", (".pdf",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    ".doc": ("application/msword", (".doc",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    ".xls": ("application/vnd.ms-excel", (".xls",)),
    ".png": ("image/png", (".png",)),
    ".jpg": ("image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif")),
}
_ALIASES = {".jpeg": ".jpg", ".jpe": ".jpg", ".jfif": ".jpg"}
ARCHIVES = {".zip", ".7z", ".rar", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".lzh", ".cab", ".jar", ".apk"}
PROGRAMS = {".exe", ".dll", ".msi", ".com", ".scr", ".sys", ".drv", ".elf", ".so", ".class", ".macho", ".appimage"}
NAME_MAX = 100
# Path separators, a drive or stream colon, and characters Windows refuses in names; C0/C1 controls and the
# invisible format characters (bidirectional overrides that make "fdp.exe" read as "exe.pdf").
_BAD_NAME = re.compile(r'[/\\:<>"|?*\x00-\x1f\x7f-\x9f]')


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the download name, with the extension of the detected type
    content_type: str
    extension: str


def upload_name_problem(name: str) -> str | None:
    """Why a file name is refused, or None. Django's parser already drops directory parts a browser sends;
    this refuses what is left of a path and anything that could mislead when the office opens the file."""
    if not name or not name.strip():
        return _("ファイル名がありません。名前の付いたファイルを選んでください。")
    if (
        _BAD_NAME.search(name)
        or ".." in name
        or name.strip(" .") != name.strip()
        or any(unicodedata.category(c) in ("Cc", "Cf") for c in name)
    ):
        return _(
            "ファイル名にフォルダの区切りや制御文字など、使えない文字が含まれています。ファイル名を変えてから送ってください。"
        )
    if len(name) > NAME_MAX:
        return _("ファイル名は%(n)d文字以内にしてください。") % {"n": NAME_MAX}
    return None


def detect_type(path: str) -> str:
    """The detected type's extension (".pdf", ".docx", ".zip", …), or "" when the content is not recognised."""
    try:
        matches = puremagic.magic_file(path)
    except (puremagic.PureError, ValueError, OSError):
        return ""
    if not matches:
        return ""
    best = max(m.confidence for m in matches)
    top = [_ALIASES.get(m.extension.lower(), m.extension.lower()) for m in matches if m.confidence == best]
    accepted = [ext for ext in top if ext in ACCEPTED_TYPES]
    # Only an unambiguous answer counts: a file that might be a PDF or a ZIP is neither to us.
    if accepted and all(ext in ACCEPTED_TYPES for ext in top) and len(set(accepted)) == 1:
        return accepted[0]
    # Otherwise say what it most tellingly is, for the message: a program, else an archive, else the best guess.
    for m in matches:
        if m.extension.lower() in PROGRAMS or "executable" in f"{m.name} {m.mime_type}".lower():
            return ".exe"
    for m in matches:
        if m.extension.lower() in ARCHIVES:
            return m.extension.lower()
    return top[0]


def _scan(upload) -> tuple[str, str, int]:
    """(detected type, SHA-256, size) of an uploaded file. The content is copied to a nameless temporary file,
    so neither the visitor's file name nor Django's temporary name can sway the detection."""
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(prefix="kiyose-scan-") as scratch:
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
            scratch.write(chunk)
        scratch.flush()
        detected = detect_type(scratch.name) if size else ""
    upload.seek(0)
    return detected, digest.hexdigest(), size


def upload_check(upload) -> tuple[CheckedFile, str, int]:
    """(checked file, SHA-256, size), or a ValidationError with the Japanese reason."""
    limit = settings.INSPECTIONS_UPLOAD_MAX_BYTES
    name = unicodedata.normalize("NFC", upload.name or "")
    problem = upload_name_problem(name)
    if problem:
        raise ValidationError(problem, code="name")
    if not upload.size:
        raise ValidationError(_("ファイルが空です（0バイト）。内容のあるファイルを選んでください。"), code="empty")
    if upload.size > limit:
        message = _("ファイルが大きすぎます。%(size)s以下のファイルにしてください。") % {"size": size_text(limit)}
        raise ValidationError(message, code="size")
    detected, digest, size = _scan(upload)
    if detected in ARCHIVES:
        raise ValidationError(
            _("圧縮ファイル（ZIPなど）は受け付けていません。中のファイルを1つずつ送ってください。"), code="archive"
        )
    if detected in PROGRAMS:
        raise ValidationError(_("プログラムのファイルは受け付けていません。"), code="program")
    if detected not in ACCEPTED_TYPES:
        raise ValidationError(
            _("受け付けられるのは、PDF、Word（.docx・.doc）、Excel（.xlsx・.xls）、画像（PNG・JPEG）のファイルです。"),
            code="type",
        )
    content_type, extensions = ACCEPTED_TYPES[detected]
    path = PurePosixPath(name)
    # The name shown and downloaded carries the extension of what the file really is.
    stem = path.stem if path.suffix.lower() in extensions else path.name
    suffix = path.suffix if path.suffix.lower() in extensions else detected
    return CheckedFile(name=f"{stem}{suffix}", content_type=content_type, extension=detected), digest, size


def size_text(n: int) -> str:
    """10485760 → "10MB", 1536 → "2KB": a limit as people read it."""
    if n >= 1024 * 1024:
        value = n / (1024 * 1024)
        return f"{value:.0f}MB" if value == int(value) else f"{value:.1f}MB"
    return f"{max(1, round(n / 1024))}KB"


def document_upload(*, obj: Request, kind: str, upload) -> DocumentUpload:
    """Keep a new version of one of the four documents, tick it in the checklist and tell the office."""
    kind = DocumentKind(kind)
    checked, digest, size = upload_check(upload)
    stored_name = ""
    try:
        with transaction.atomic():
            locked = Request.objects.select_for_update().get(pk=obj.pk)
            if not locked.takes_documents:
                raise ValidationError(_("書類は、受入決定から視察日までの間に提出できます。"), code="status")
            last = locked.uploads.filter(kind=kind).aggregate(n=Max("version"))["n"] or 0
            document = DocumentUpload(
                request=locked,
                kind=kind,
                version=last + 1,
                original_name=checked.name,
                content_type=checked.content_type,
                size=size,
                sha256=digest,
            )
            document.file.save(f"upload{checked.extension}", File(upload), save=False)
            stored_name = document.file.name
            document.full_clean()
            document.save()
            if getattr(locked, kind.received_field) is None:
                setattr(locked, kind.received_field, timezone.localdate())
                locked.full_clean()
                locked.save()
            notify_office(locked, "office_upload", document=document, missing=locked.documents_missing())
    except Exception:
        # Nothing is kept of a refused or failed upload.
        if stored_name:
            DocumentUpload._meta.get_field("file").storage.delete(stored_name)
        raise
    for f in locked._meta.concrete_fields:
        setattr(obj, f.attname, getattr(locked, f.attname))
    return document
