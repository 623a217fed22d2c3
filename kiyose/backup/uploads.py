"""Uploaded files: every file under the private storage's folder (and MEDIA_ROOT when one is configured).

A restore replaces a folder's whole content, and does it so it can be undone: the archive's files are copied
into a work folder inside the target folder (same file system, so moves are renames), the current entries are
moved aside into it, the new ones moved in; the database commit decides whether the old ones are deleted or
moved back.
"""

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages

from kiyose.backup.errors import BackupError

WORK_PREFIX = ".kiyose-restore-"


def roots() -> dict[str, Path]:
    storage = storages["private"]
    location = getattr(storage, "location", None)
    if location is None:
        raise BackupError(
            "STORAGES['private'] がファイルシステムではないため、ファイルを控えられません。",
            "STORAGES['private'] is not a FileSystemStorage; its files cannot be archived.",
            unchanged=False,
        )
    found = {"private": Path(location)}
    if settings.MEDIA_ROOT:
        found["media"] = Path(settings.MEDIA_ROOT)
    return found


def files(root: Path) -> list[tuple[str, Path]]:
    """(relative POSIX path, path) of every regular file, in a stable order; links and restore leftovers skipped."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not (folder == str(root) and d.startswith(WORK_PREFIX)))
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return found


def has_files(root: Path) -> bool:
    return bool(files(root))


class Swap:
    """Replaces each root's content with a staged folder; `undo` before the commit, `finish` after it."""

    def __init__(self):
        self._done: list[tuple[Path, Path]] = []  # (root, work folder) in the order they were swapped
        self._created: list[Path] = []

    def apply(self, root: Path, staged: Path) -> None:
        if not root.exists():
            root.mkdir(parents=True)
            self._created.append(root)
        work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=root))
        new, old = work / "new", work / "old"
        if staged.is_dir():
            shutil.move(staged, new)
        else:
            new.mkdir()
        old.mkdir()
        self._done.append((root, work))
        for entry in list(root.iterdir()):
            if entry != work:
                entry.rename(old / entry.name)
        for entry in list(new.iterdir()):
            entry.rename(root / entry.name)

    def undo(self) -> None:
        for root, work in reversed(self._done):
            for entry in list(root.iterdir()):
                if entry != work:
                    entry.rename(work / "new" / entry.name)
            for entry in list((work / "old").iterdir()):
                entry.rename(root / entry.name)
            shutil.rmtree(work)
        for root in self._created:
            root.rmdir()
        self._done, self._created = [], []

    def finish(self) -> None:
        for _root, work in self._done:
            shutil.rmtree(work)
        self._done, self._created = [], []
