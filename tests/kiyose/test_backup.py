"""`manage.py backup` / `manage.py restore`: every row of every table and every private file comes back exactly;
a restore that is refused or fails leaves the database and the files as they were."""

import datetime as dt
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings

from kiyose import backup
from kiyose.backup import BackupError, backup_create, backup_prune, backup_restore
from kiyose.models import OutboundMail
from tests.kiyose.backup_support import (
    FAST_HASHERS,
    FILLED,
    NEWEST_TASKS_MIGRATION,
    content_hash,
    files_of,
    populate,
    private_storage,
    rewrite,
    snapshot,
    wipe_by_dropping_every_table,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def private_root(settings, tmp_path):
    root = tmp_path / "private"
    settings.STORAGES = private_storage(root)
    return root


@pytest.fixture
def archives(tmp_path):
    return tmp_path / "backups"


# --- The round trip ------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_round_trip_after_flush_brings_back_every_row_of_every_table_and_every_file(private_root, archives):
    deleted_id = populate(private_root)
    before, files_before = snapshot(), files_of(private_root)
    summary = backup_create(directory=archives)
    with tarfile.open(summary.path, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert {table: info["rows"] for table, info in manifest["tables"].items()} == {
        table: rows for table, (rows, _hash) in before.items()
    }
    assert manifest["vendor"] == connection.vendor
    # The manifest records the schema the archive was made with: every applied migration of each app.
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations()
    assert manifest["migrations"]["talentbank"] == sorted(name for app, name in applied if app == "talentbank")
    assert len(manifest["migrations"]["talentbank"]) >= 2
    assert set(manifest["members"]) == names - {"manifest.json"}
    assert {"files/private/readme.txt", "files/private/talentbank/2026/申請書.pdf"} <= names
    # Every app holds data, so the round trip is not passing over empty tables.
    assert [table for table in FILLED if not before[table][0]] == []

    call_command("flush", interactive=False, verbosity=0)  # content types, permissions and groups come back
    shutil.rmtree(private_root)
    assert snapshot() != before

    backup_restore(path=summary.path)

    assert snapshot() == before
    assert files_of(private_root) == files_before
    assert OutboundMail.objects.create(to=["new@example.jp"], subject="新規", body="…").pk == deleted_id + 1


@pytest.mark.django_db(transaction=True)
def test_empty_database_gets_its_schema_and_an_older_archive_is_migrated_forward(private_root, archives, tmp_path):
    populate(private_root)
    before = snapshot()
    original = backup_create(directory=archives).path
    kept = []

    def without_newest_tasks_migration(contents):
        name = "db/django_migrations.jsonl"
        kept.extend(line for line in contents[name].decode().splitlines() if NEWEST_TASKS_MIGRATION[1] not in line)
        return {**contents, name: "".join(line + "\n" for line in kept).encode()}

    def older_manifest(manifest):
        manifest["migrations"][NEWEST_TASKS_MIGRATION[0]].remove(NEWEST_TASKS_MIGRATION[1])
        manifest["tables"]["django_migrations"].update(rows=len(kept), content=content_hash(kept))

    older = rewrite(
        original, tmp_path / "older.tar.gz", members=without_newest_tasks_migration, manifest=older_manifest
    )
    wipe_by_dropping_every_table()
    for path in private_root.rglob("*"):
        if path.is_file():
            path.unlink()

    summary = backup_restore(path=older)

    assert summary.migrated == [".".join(NEWEST_TASKS_MIGRATION)]
    after = snapshot()
    assert {t: v for t, v in after.items() if t != "django_migrations"} == {
        t: v for t, v in before.items() if t != "django_migrations"
    }
    assert after["django_migrations"][0] == before["django_migrations"][0]
    assert (private_root / "readme.txt").read_text(encoding="utf-8") == "非公開ファイル\n"


# --- Refusals ------------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_database_with_data_is_overwritten_only_when_forced(private_root, archives):
    populate(private_root)
    archived, archived_files = snapshot(), files_of(private_root)
    path = backup_create(directory=archives).path
    get_user_model().objects.create_user("later-staff", password="correct-horse-battery-42")
    (private_root / "later.txt").write_text("後から", encoding="utf-8")
    current, current_files = snapshot(), files_of(private_root)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path))
    message = str(refused.value)
    assert "空ではありません" in message and "FORCE=1" in message and "--force" in message
    assert "not empty" in message and "Nothing was changed" in message
    assert snapshot() == current and files_of(private_root) == current_files

    out = io.StringIO()
    call_command("restore", str(path), "--force", stdout=out)
    assert "復元しました" in out.getvalue()
    assert snapshot() == archived and files_of(private_root) == archived_files


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker, tmp_path_factory):
    """An archive of a populated database, made once; its rows are rolled back so each test starts clean."""
    folder = tmp_path_factory.mktemp("sample")
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=private_storage(folder / "private"), PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        populate(folder / "private")
        path = backup_create(directory=folder / "backups").path
        transaction.set_rollback(True)
    return path


@pytest.fixture
def current(db, private_root):
    """Data the refused restores must leave alone."""
    get_user_model().objects.create_user("still-here", password="correct-horse-battery-42")
    OutboundMail.objects.create(to=["still@example.jp"], subject="残る", body="…")
    private_root.mkdir()
    (private_root / "still-here.txt").write_text("残る", encoding="utf-8")


def _flip_a_byte(path: Path, target: Path) -> Path:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def _truncated(path: Path, target: Path) -> Path:
    target.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return target


def _not_gzip(path: Path, target: Path) -> Path:
    target.write_text("これはバックアップではありません", encoding="utf-8")
    return target


def _someone_elses_tar(path: Path, target: Path) -> Path:
    with tarfile.open(target, "w:gz") as tar:
        info = tarfile.TarInfo("dump.sql")
        body = b"CREATE TABLE x (id int);"
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    return target


def _someone_elses_manifest(path: Path, target: Path) -> Path:
    return rewrite(path, target, manifest=lambda m: m.update(format="django-dbbackup"))


def _tampered_member(path: Path, target: Path) -> Path:
    def edit(contents):
        name = "db/auth_user.jsonl"
        return {**contents, name: contents[name].replace(b"backup-staff", b"intruder-xx")}

    return rewrite(path, target, members=edit, recompute=False)


def _missing_member(path: Path, target: Path) -> Path:
    def edit(contents):
        return {k: v for k, v in contents.items() if k != "files/private/readme.txt"}

    def keep_listing(manifest):
        manifest["members"]["files/private/readme.txt"] = {"size": 1, "sha256": "0" * 64}

    return rewrite(path, target, members=edit, manifest=keep_listing)


def _newer_migrations(path: Path, target: Path) -> Path:
    return rewrite(path, target, manifest=lambda m: m["migrations"]["kiyose"].append("0099_from_a_newer_portal"))


def _row_that_does_not_fit(path: Path, target: Path) -> Path:
    def edit(contents):
        name = "db/talentbank_cohort.jsonl"
        return {**contents, name: contents[name] + b'["not a number"]\n'}

    return rewrite(
        path,
        target,
        members=edit,
        manifest=lambda m: m["tables"]["talentbank_cohort"].update(rows=m["tables"]["talentbank_cohort"]["rows"] + 1),
    )


@pytest.mark.parametrize(
    ("damage", "ja", "en"),
    [
        (_flip_a_byte, "壊れている", "corrupt"),
        (_truncated, "途中で切れて", "truncated"),
        (_not_gzip, "形式ではありません", "not a gzip file"),
        (_someone_elses_tar, "形式ではありません", "unexpected member 'dump.sql'"),
        (_someone_elses_manifest, "形式ではありません", "format is 'django-dbbackup'"),
        (_tampered_member, "チェックサム", "Checksum mismatch for db/auth_user.jsonl"),
        (_missing_member, "欠けています", "missing"),
        (_newer_migrations, "新しい版", "kiyose.0099_from_a_newer_portal"),
        (_row_that_does_not_fit, "読めません", "talentbank_cohort"),
    ],
)
def test_a_damaged_foreign_or_newer_archive_is_refused_and_nothing_changes(
    sample, current, private_root, tmp_path, damage, ja, en
):
    bad = damage(sample, tmp_path / "bad.tar.gz")
    before, files_before = snapshot(), files_of(private_root)
    for force in (False, True):
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(bad), *(["--force"] if force else []))
        assert ja in str(refused.value) and en in str(refused.value)
        assert "何も変更していません" in str(refused.value) and "Nothing was changed" in str(refused.value)
    assert snapshot() == before
    assert files_of(private_root) == files_before


def test_check_verifies_an_archive_without_touching_anything(sample, current, private_root):
    before, files_before = snapshot(), files_of(private_root)
    out = io.StringIO()
    call_command("restore", str(sample), "--check", stdout=out)
    assert "控えは完全です" in out.getvalue() and "intact" in out.getvalue()
    assert snapshot() == before and files_of(private_root) == files_before


# --- Failures half-way: all or nothing -----------------------------------------------------------------------
def _dangling_foreign_key(path: Path, target: Path) -> Path:
    table, name = "talentbank_graduate", "db/talentbank_graduate.jsonl"
    with tarfile.open(path, "r:gz") as tar:
        columns = json.loads(tar.extractfile("manifest.json").read())["tables"][table]["columns"]

    def edit(contents):
        row = json.loads(contents[name].decode().splitlines()[0])
        row[columns.index("id")], row[columns.index("person_id")] = 999_999, 999_999  # nobody has that id
        return {**contents, name: contents[name] + (json.dumps(row) + "\n").encode()}

    return rewrite(
        path, target, members=edit, manifest=lambda m: m["tables"][table].update(rows=m["tables"][table]["rows"] + 1)
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fault", ["dangling foreign key", "file swap fails"])
def test_a_restore_that_fails_half_way_leaves_database_and_files_as_they_were(
    private_root, archives, tmp_path, monkeypatch, fault
):
    populate(private_root)
    path = backup_create(directory=archives).path
    get_user_model().objects.create_user("later-staff", password="correct-horse-battery-42")
    (private_root / "later.txt").write_text("後から", encoding="utf-8")
    before, files_before = snapshot(), files_of(private_root)

    if fault == "dangling foreign key":
        path = _dangling_foreign_key(path, tmp_path / "dangling.tar.gz")
    else:
        real_apply = backup.uploads.Swap.apply

        def apply_then_fail(self, root, staged):
            real_apply(self, root, staged)
            raise OSError("disk full")

        monkeypatch.setattr(backup.uploads.Swap, "apply", apply_then_fail)

    with pytest.raises(BackupError) as failed:
        backup_restore(path=path, force=True)
    assert "元に戻しました" in str(failed.value) and "rolled back" in str(failed.value)
    assert snapshot() == before
    assert files_of(private_root) == files_before
    assert not [p for p in private_root.iterdir() if p.name.startswith(".kiyose-restore-")]


# --- Archives on disk ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_archive_is_named_with_the_time_in_japan_and_readable_only_by_its_owner(private_root, archives):
    out = io.StringIO()
    call_command("backup", "--output-dir", str(archives), stdout=out)
    [path] = archives.iterdir()
    assert path.name in out.getvalue() and "Backup written" in out.getvalue()
    with tarfile.open(path, "r:gz") as tar:
        created = dt.datetime.fromisoformat(json.loads(tar.extractfile("manifest.json").read())["created_at"])
    assert created.utcoffset() == dt.timedelta(hours=9)
    assert path.name == f"kiyose-{created:%Y%m%d-%H%M%S}.tar.gz"
    assert path.stat().st_mode & 0o777 == 0o600
    assert archives.stat().st_mode & 0o777 == 0o700
    with gzip.open(path) as stream:
        assert stream.read(1)


@pytest.mark.django_db
def test_keep_prunes_the_oldest_of_our_archives_only(private_root, archives):
    archives.mkdir()
    old = [archives / f"kiyose-2026010{n}-020000.tar.gz" for n in range(1, 5)]
    for path in old:
        path.write_bytes(b"old")
    other = archives / "notes.txt"
    other.write_text("keep me")

    out = io.StringIO()
    call_command("backup", "--output-dir", str(archives), "--keep", "2", stdout=out)

    remaining = sorted(p.name for p in archives.iterdir())
    assert remaining[0] == old[-1].name and re.fullmatch(r"kiyose-\d{8}-\d{6}\.tar\.gz", remaining[1])
    assert remaining[2] == "notes.txt" and len(remaining) == 3
    assert "Pruned" in out.getvalue()
    assert backup_prune(directory=archives, keep=5) == []


@pytest.mark.parametrize("keep", ["0", "-1", "two", "３"])
def test_keep_must_be_a_positive_number(keep):
    with pytest.raises(CommandError):
        call_command("backup", "--keep", keep)


def test_restore_of_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "nothing.tar.gz"))
    assert "見つかりません" in str(refused.value) and "No such backup archive" in str(refused.value)


def test_private_files_cannot_be_put_among_the_static_files():
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_CURRENT_TEST", "DJANGO_SETTINGS_MODULE"}}
    env.update(DEBUG="true", PRIVATE_MEDIA_ROOT=str(root / "static" / "uploads"))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "PRIVATE_MEDIA_ROOT" in result.stderr
