"""The archive: one gzip'd tar holding db/<table>.jsonl, files/<root>/<path> and, last, manifest.json.

The manifest carries the checksum and size of every other member; a reader takes nothing on trust: the gzip
stream is read to its end (its CRC catches corruption and truncation), every member's name, type, size and
SHA-256 are checked against the manifest, and a member the manifest does not list is refused.
"""

import gzip
import hashlib
import io
import json
import re
import tarfile
import zlib
from pathlib import Path, PurePosixPath

from kiyose.backup.errors import BackupError

FORMAT = "kiyose-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
ROOT_KINDS = ("private", "media")
_TABLE_MEMBER = re.compile(r"^db/([A-Za-z0-9_]+)\.jsonl$")
_CHUNK = 1 << 20


def table_member(table: str) -> str:
    return f"db/{table}.jsonl"


def file_member(kind: str, relative: str) -> str:
    return f"files/{kind}/{relative}"


def classify(name: str) -> tuple[str, str] | None:
    """("manifest", ""), ("db", table) or (root kind, relative path); None for anything not ours."""
    if name == MANIFEST:
        return "manifest", ""
    if match := _TABLE_MEMBER.match(name):
        return "db", match.group(1)
    parts = PurePosixPath(name).parts
    if (
        len(parts) >= 3
        and parts[0] == "files"
        and parts[1] in ROOT_KINDS
        and "\\" not in name
        and "\x00" not in name
        and not any(p in ("", ".", "..") for p in parts)
        and not name.startswith("/")
    ):
        return parts[1], "/".join(parts[2:])
    return None


class _Hashing:
    """Reads through a file, hashing exactly what tarfile copies into the archive."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


class Writer:
    """`with Writer(out) as writer:` add members, set `manifest` and `mtime`; the manifest goes in last, on exit."""

    def __init__(self, fileobj):
        self._tar = tarfile.open(fileobj=fileobj, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT)  # noqa: SIM115
        self.members: dict[str, dict] = {}
        self.manifest: dict | None = None
        self.mtime = 0

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        try:
            if exc_type is None:
                data = json.dumps({**self.manifest, "members": self.members}, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), 0o600, self.mtime
                self._tar.addfile(info, io.BytesIO(data))
        finally:
            self._tar.close()

    def add(self, name: str, path: Path, *, mode: int = 0o600) -> None:
        stat = path.stat()
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), mode
        with open(path, "rb") as raw:
            reader = _Hashing(raw)
            self._tar.addfile(info, reader)
        self.members[name] = {"size": stat.st_size, "sha256": reader.sha256.hexdigest()}


def _foreign(detail_ja: str, detail_en: str) -> BackupError:
    return BackupError(
        f"ポータルの控えの形式ではありません（{detail_ja}）。", f"This is not a Kiyose portal backup ({detail_en})."
    )


def _corrupt(exc: Exception) -> BackupError:
    return BackupError(
        f"控えファイルが壊れているか、途中で切れています（{exc}）。", f"The archive is corrupt or truncated ({exc})."
    )


def read(path: Path, extract_to: Path | None = None) -> dict:
    """Check the whole archive against its manifest; with `extract_to`, leave the members there. The manifest."""
    if not path.is_file():
        raise BackupError(f"控えファイルが見つかりません: {path}", f"No such backup archive: {path}")
    with open(path, "rb") as head:
        if head.read(2) != b"\x1f\x8b":
            raise _foreign("gzip ではありません", "not a gzip file")
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(_CHUNK):
                pass
    except (OSError, EOFError, zlib.error) as exc:  # CRC or length mismatch, cut short, bad deflate data
        raise _corrupt(exc) from None

    seen: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                kind = classify(member.name)
                if kind is None or not member.isreg():
                    raise _foreign(f"想定外の項目 {member.name!r}", f"unexpected member {member.name!r}")
                if member.name in seen or (kind[0] == "manifest" and manifest_bytes is not None):
                    raise _foreign(f"重複した項目 {member.name!r}", f"duplicate member {member.name!r}")
                source = tar.extractfile(member)
                if kind[0] == "manifest":
                    manifest_bytes = source.read(MANIFEST_MAX_BYTES + 1)
                    continue
                digest = hashlib.sha256()
                target = None
                if extract_to is not None:
                    target_path = extract_to / member.name
                    target_path.parent.mkdir(parents=True, exist_ok=True)
                    target = open(target_path, "wb")  # noqa: SIM115 (closed below, after the loop)
                try:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        if target is not None:
                            target.write(chunk)
                finally:
                    if target is not None:
                        target.close()
                        target_path.chmod(member.mode & 0o755)
                seen[member.name] = {"size": member.size, "sha256": digest.hexdigest()}
    except tarfile.TarError as exc:
        raise _foreign(f"tar として読めません: {exc}", f"not a readable tar archive: {exc}") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise _corrupt(exc) from None

    if manifest_bytes is None:
        raise _foreign("manifest.json がありません", "no manifest.json")
    manifest = parse_manifest(manifest_bytes)
    listed = manifest["members"]
    for name in sorted(set(listed) | set(seen)):
        if name not in seen:
            raise BackupError(f"控えに {name} が欠けています。", f"Member {name} is missing from the archive.")
        if name not in listed:
            raise _foreign(f"マニフェストにない項目 {name!r}", f"member {name!r} is not in the manifest")
        if (seen[name]["sha256"], seen[name]["size"]) != (listed[name]["sha256"], listed[name]["size"]):
            raise BackupError(
                f"控えの {name} がマニフェストのチェックサムと一致しません（改ざんまたは破損）。",
                f"Checksum mismatch for {name} (tampered with or damaged).",
            )
    return manifest


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise _foreign(f"マニフェストの {what} が不正です", f"malformed manifest: {what}")


def parse_manifest(data: bytes) -> dict:
    if len(data) > MANIFEST_MAX_BYTES:
        raise _foreign("manifest.json が大きすぎます", "manifest.json is too large")
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _foreign("manifest.json が JSON ではありません", "manifest.json is not JSON") from None
    _check(isinstance(manifest, dict), "全体")
    if manifest.get("format") != FORMAT:
        raise _foreign(f"format が {manifest.get('format')!r}", f"format is {manifest.get('format')!r}")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"控えの形式の版 {version!r} にこのプログラム（版 {FORMAT_VERSION}）は対応していません。",
            f"Archive format version {version!r} is not supported by this code (version {FORMAT_VERSION}).",
        )
    _check(manifest.get("vendor") in ("postgresql", "sqlite"), "vendor")
    _check(isinstance(manifest.get("created_at"), str), "created_at")
    migrations = manifest.get("migrations")
    _check(
        isinstance(migrations, dict)
        and all(
            isinstance(app, str) and isinstance(names, list) and all(isinstance(n, str) for n in names)
            for app, names in migrations.items()
        ),
        "migrations",
    )
    tables = manifest.get("tables")
    _check(isinstance(tables, dict), "tables")
    for name, info in tables.items():
        _check(isinstance(info, dict) and _TABLE_MEMBER.match(table_member(name)) is not None, f"tables.{name}")
        _check(isinstance(info.get("rows"), int) and info["rows"] >= 0, f"tables.{name}.rows")
        _check(isinstance(info.get("columns"), list), f"tables.{name}.columns")
        _check(isinstance(info.get("content"), str), f"tables.{name}.content")
        _check(info.get("next_id") is None or isinstance(info["next_id"], int), f"tables.{name}.next_id")
    members = manifest.get("members")
    _check(
        isinstance(members, dict)
        and all(
            isinstance(v, dict) and isinstance(v.get("sha256"), str) and isinstance(v.get("size"), int)
            for v in members.values()
        ),
        "members",
    )
    for name in members:
        kind = classify(name)
        _check(kind is not None and kind[0] != "manifest", f"members.{name}")
        _check(kind[0] != "db" or kind[1] in tables, f"members.{name}")
    _check(all(table_member(name) in members for name in tables), "tables/members")
    return manifest
