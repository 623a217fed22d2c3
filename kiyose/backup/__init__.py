"""Backup and restore of the whole portal: every table and every uploaded file in one verified archive.

`backup_create` writes backups/kiyose-YYYYMMDD-HHMMSS.tar.gz (Japan time) from one consistent snapshot of the
database; `backup_restore` checks the whole archive before it touches anything, then replaces the database's
content (creating the schema by migrating where there is none) and the upload folders inside one transaction,
compares every table with the archive before committing, and undoes everything on any failure.
"""

import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from kiyose.backup import archive, tables, uploads
from kiyose.backup.errors import BackupError

__all__ = ["BackupError", "Summary", "backup_create", "backup_prune", "backup_restore"]

logger = logging.getLogger("kiyose.backup")
NAME = re.compile(r"^kiyose-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz$")


@dataclass
class Summary:
    path: Path
    vendor: str
    created_at: str
    tables: int
    rows: int
    files: int
    seconds: float = 0.0
    migrated: list[str] = field(default_factory=list)  # migrations run over an older archive after loading
    pruned: list[Path] = field(default_factory=list)


def _connection(using: str):
    connection = connections[using]
    if connection.vendor not in tables.VENDORS:
        raise BackupError(
            f"{connection.vendor} のデータベースには対応していません（PostgreSQL と SQLite のみ）。",
            f"Database vendor {connection.vendor} is not supported (PostgreSQL and SQLite only).",
        )
    return connection


def _summary(path: Path, manifest: dict, **extra) -> Summary:
    return Summary(
        path=path,
        vendor=manifest["vendor"],
        created_at=manifest["created_at"],
        tables=len(manifest["tables"]),
        rows=sum(t["rows"] for t in manifest["tables"].values()),
        files=sum(1 for name in manifest["members"] if name.startswith("files/")),
        **extra,
    )


# --- Backup --------------------------------------------------------------------------------------------------
def _free_name(directory: Path, moment) -> Path:
    stem = f"kiyose-{timezone.localtime(moment):%Y%m%d-%H%M%S}"
    path, n = directory / f"{stem}.tar.gz", 1
    while path.exists():
        n += 1
        path = directory / f"{stem}-{n}.tar.gz"
    return path


def _dump_database(connection, writer: archive.Writer, scratch: Path) -> tuple[dict, dict]:
    with connection.cursor():
        pass  # connect (and run any health check) before the snapshot transaction starts
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
            with connection.cursor() as cursor:
                # One snapshot for every table: rows written while the backup runs are wholly in or wholly out.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        applied = set(MigrationRecorder(connection).applied_migrations())
        graph = tables.loader()
        known = tables.squash_applied(graph, applied)
        if unknown := tables.unknown_migrations(graph, known):
            names = ", ".join(f"{a}.{n}" for a, n in unknown[:5])
            raise BackupError(
                f"データベースにこのプログラムにないマイグレーションが適用されています（{names}）。",
                f"The database has migrations this code does not know ({names}).",
                unchanged=False,
            )
        specs = tables.state_tables(graph, known)
        present = set(connection.introspection.table_names())
        if not present:
            raise BackupError(
                "データベースに表がありません（migrate の前です）。控えるものがありません。",
                "The database has no tables yet (not migrated); there is nothing to back up.",
                unchanged=False,
            )
        if stray := sorted(present - set(specs)) + sorted(set(specs) - present):
            raise BackupError(
                f"データベースの表がマイグレーションの記録と合わないため、控えを作れません（{', '.join(stray[:8])}）。",
                f"The database's tables do not match its migration records ({', '.join(stray[:8])}).",
                unchanged=False,
            )
        info = {}
        for name, table in specs.items():
            member = scratch / f"{name}.jsonl"
            with open(member, "wb") as out:
                info[name] = tables.dump(connection, table, out)
            writer.add(archive.table_member(name), member)
            member.unlink()
    migrations: dict[str, list[str]] = {}
    for app, name in sorted(applied):
        migrations.setdefault(app, []).append(name)
    return info, migrations


def backup_create(*, directory: Path, keep: int = 0, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write one archive of the database and the uploaded files; read it back; keep the newest `keep` (0: all)."""
    started = time.monotonic()
    connection = _connection(using)
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = timezone.now()
    path = _free_name(directory, now)
    partial = directory / f".{path.name}.partial"
    # Personal data: readable by the portal's user only, and never left half-written under the final name.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with (
            tempfile.TemporaryDirectory(prefix=".kiyose-backup-", dir=directory) as scratch,
            os.fdopen(descriptor, "wb") as out,
            archive.Writer(out) as writer,
        ):
            table_info, migrations = _dump_database(connection, writer, Path(scratch))
            for kind, root in uploads.roots().items():
                for relative, file_path in uploads.files(root):
                    writer.add(archive.file_member(kind, relative), file_path, mode=file_path.stat().st_mode & 0o755)
            writer.manifest = {
                "format": archive.FORMAT,
                "format_version": archive.FORMAT_VERSION,
                "created_at": timezone.localtime(now).isoformat(),
                "vendor": connection.vendor,
                "migrations": migrations,
                "tables": table_info,
            }
            writer.mtime = int(now.timestamp())
        manifest = archive.read(partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    pruned = backup_prune(directory=directory, keep=keep) if keep else []
    return _summary(path, manifest, seconds=time.monotonic() - started, pruned=pruned)


def backup_prune(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives in `directory` (only files named like ours)."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    found = []
    for path in Path(directory).iterdir():
        if (match := NAME.match(path.name)) and path.is_file():
            found.append(((match.group(1), int(match.group(2) or 1)), path))
    doomed = [path for _key, path in sorted(found)[:-keep]]
    for path in doomed:
        path.unlink()
    return doomed


# --- Restore -------------------------------------------------------------------------------------------------
@dataclass
class _Plan:
    graph: MigrationLoader
    applied: set
    tables: dict
    forward: list
    roots: dict


def _plan(manifest: dict, staged: Path) -> _Plan:
    """Everything that can be known before touching the database: refused here, nothing has changed."""
    graph = tables.loader()
    applied = tables.squash_applied(
        graph, {(app, name) for app, names in manifest["migrations"].items() for name in names}
    )
    if unknown := tables.unknown_migrations(graph, applied):
        names = ", ".join(f"{a}.{n}" for a, n in unknown[:5])
        raise BackupError(
            "控えはこのプログラムより新しい版のデータベースのものです"
            f"（このプログラムにないマイグレーション: {names}）。控えを作った版以降のプログラムで復元してください。",
            f"The archive's migration state is newer than this code (unknown migrations: {names}). "
            "Restore it with the version of the portal that made it, or a later one.",
        )
    specs = tables.state_tables(graph, applied)
    if set(specs) != set(manifest["tables"]):
        odd = sorted(set(specs) ^ set(manifest["tables"]))
        raise BackupError(
            f"控えの表がマイグレーションの記録と合いません（{', '.join(odd[:8])}）。",
            f"The archive's tables do not match its migration state ({', '.join(odd[:8])}).",
        )
    for name, table in specs.items():
        info = manifest["tables"][name]
        if info["columns"] != table.columns:
            raise BackupError(
                f"控えの表 {name} の列がマイグレーションの記録と合いません。",
                f"The columns of table {name} do not match the archive's migration state.",
            )
        decoded = tables.read_lines(table, staged / archive.table_member(name))
        if name == tables.MIGRATIONS_TABLE:
            app, migration = table.columns.index("app"), table.columns.index("name")
            recorded = tables.squash_applied(graph, {(row[app], row[migration]) for row in decoded})
            if recorded != applied:
                raise BackupError(
                    "控えのマイグレーションの記録がマニフェストと合いません。",
                    "The archive's django_migrations rows do not match its manifest.",
                )
            continue
        if (count := sum(1 for _row in decoded)) != info["rows"]:
            raise BackupError(
                f"控えの表 {name} の行数（{count}）がマニフェスト（{info['rows']}）と合いません。",
                f"Table {name} has {count} rows, the manifest says {info['rows']}.",
            )
    roots = uploads.roots()
    kinds = {archive.classify(name)[0] for name in manifest["members"] if name.startswith("files/")}
    if missing := kinds - set(roots):
        kinds_text = ", ".join(sorted(missing))
        raise BackupError(
            f"控えにある {kinds_text} のファイルの置き場所が設定されていません（MEDIA_ROOT）。",
            f"The archive holds {kinds_text} files but no folder is configured for them (MEDIA_ROOT).",
        )
    forward = sorted(tables.closure(graph, graph.graph.leaf_nodes()) - applied)
    return _Plan(graph, applied, specs, forward, roots)


def _not_empty(busy: list[str], busy_roots: list[Path]) -> BackupError:
    what = busy[:8] + [str(root) for root in busy_roots]
    listed = ", ".join(what) + (" …" if len(busy) > 8 else "")
    return BackupError(
        f"復元先が空ではありません（データのある表・フォルダ: {listed}）。上書きしてよい場合だけ "
        "`make restore BACKUP=… FORCE=1` または `manage.py restore … --force` で実行してください。",
        f"The target is not empty (tables/folders with data: {listed}). To overwrite it, run "
        "`make restore BACKUP=… FORCE=1` or `manage.py restore … --force`.",
    )


def _replace_database(connection, manifest: dict, plan: _Plan, staged: Path) -> None:
    current = set(MigrationRecorder(connection).applied_migrations())
    present = set(connection.introspection.table_names())
    if current == plan.applied and set(plan.tables) <= present:
        tables.empty_tables(connection, plan.tables)
    else:
        # Another schema (or none): rebuild it exactly as the archive's migrations make it.
        tables.drop_all_tables(connection)
        MigrationExecutor(connection).migrate(tables.leaves(plan.graph, plan.applied))
        # Data migrations (the offices' contact blocks) filled some tables: the archive's rows replace them.
        tables.empty_tables(connection, plan.tables)
    if connection.vendor == "postgresql":
        # Foreign keys are deferrable, but a migration that adds one makes it immediate for the rest of the
        # transaction; the rows go in table by table and are checked all together below.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for name, table in plan.tables.items():
        max_pk = tables.load(connection, table, tables.read_lines(table, staged / archive.table_member(name)))
        tables.set_next_id(connection, table, manifest["tables"][name]["next_id"], max_pk)
    connection.check_constraints()
    for name, table in plan.tables.items():
        info = manifest["tables"][name]
        if tables.measure(connection, table) != (info["rows"], info["content"]):
            raise BackupError(
                f"復元した表 {name} の内容が控えと一致しません。",
                f"Table {name} as restored does not match the archive.",
            )


def backup_restore(*, path: Path, force: bool = False, check: bool = False, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Verify the archive; unless `check`, replace the database's content and the upload folders with it."""
    started = time.monotonic()
    connection = _connection(using)
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="kiyose-restore-") as scratch:
        staged = Path(scratch)
        manifest = archive.read(path, extract_to=staged)
        plan = _plan(manifest, staged)
        migrated = [f"{app}.{name}" for app, name in plan.forward]
        if check:
            return _summary(path, manifest, seconds=time.monotonic() - started, migrated=migrated)
        if connection.in_atomic_block:
            raise BackupError("トランザクションの中からは復元できません。", "Restore cannot run inside a transaction.")
        sqlite = connection.vendor == "sqlite"
        # SQLite checks foreign keys per statement unless told not to, and only outside a transaction;
        # the rows go in table by table and are checked all at once before the commit.
        if sqlite and not connection.disable_constraint_checking():
            raise BackupError("SQLite の外部キー検査を止められません。", "Cannot defer SQLite's foreign key checks.")
        swap = uploads.Swap()
        try:
            with transaction.atomic(using=using):
                busy = tables.tables_with_rows(connection)
                busy_roots = [root for root in plan.roots.values() if uploads.has_files(root)]
                if (busy or busy_roots) and not force:
                    raise _not_empty(busy, busy_roots)
                _replace_database(connection, manifest, plan, staged)
                if plan.forward:
                    call_command("migrate", database=using, interactive=False, verbosity=0)
                for kind, root in plan.roots.items():
                    if (staged / "files" / kind).is_dir() or root in busy_roots:
                        swap.apply(root, staged / "files" / kind)
        except BackupError:
            swap.undo()
            raise
        except Exception as exc:
            swap.undo()
            logger.exception("restore of %s failed and was rolled back", path)
            raise BackupError(
                f"復元の途中で失敗したため、すべて元に戻しました（{exc}）。",
                f"The restore failed and was rolled back ({exc}).",
            ) from exc
        finally:
            if sqlite:
                connection.enable_constraint_checking()
        swap.finish()
    _forget_cached_state()
    logger.warning("database and uploaded files restored from %s (taken %s)", path, manifest["created_at"])
    return _summary(path, manifest, seconds=time.monotonic() - started, migrated=migrated)


def _forget_cached_state() -> None:
    """Pages, counters and content-type ids cached from the data that was just replaced."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for alias in settings.CACHES:
        caches[alias].clear()
