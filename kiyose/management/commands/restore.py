"""`manage.py restore PATH [--force] [--check]`: put an archive from `manage.py backup` back (see README)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from kiyose.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "控えファイルからデータベースとアップロードファイルを復元します。空でない復元先は --force がなければ"
        "上書きしません（Restore the portal from a backup archive）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="控えファイル（backups/kiyose-YYYYMMDD-HHMMSS.tar.gz）")
        parser.add_argument("--force", action="store_true", help="データのある復元先を上書きします")
        parser.add_argument(
            "--check", action="store_true", help="控えを検証するだけで、データベースとファイルには触れません"
        )

    def handle(self, *args, path, force, check, **options):
        try:
            summary = backup_restore(path=path, force=force, check=check)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            # One readable line instead of a traceback: the operator needs the cause (DATABASE_URL, rights).
            raise CommandError(
                f"復元できませんでした（データベース: {exc}）。DATABASE_URL を確認してください。\n"
                f"The restore failed (database: {exc}). Check DATABASE_URL."
            ) from None
        except OSError as exc:
            raise CommandError(
                f"復元できませんでした（ファイル: {exc}）。\nThe restore failed (file system: {exc})."
            ) from None
        facts = (
            f"  {summary.created_at} に {summary.vendor} から作成: {summary.tables} 表 {summary.rows} 行、"
            f"ファイル {summary.files} 件"
        )
        if check:
            self.stdout.write(self.style.SUCCESS(f"控えは完全です / The archive is intact: {path}\n{facts}"))
            if summary.migrated:
                names = ", ".join(summary.migrated)
                self.stdout.write(f"  復元後に実行するマイグレーション / migrations to run after loading: {names}")
            return
        self.stdout.write(self.style.SUCCESS(f"復元しました / Restored: {path}\n{facts}、{summary.seconds:.1f} 秒"))
        if summary.migrated:
            self.stdout.write(f"  控えの後のマイグレーションを実行しました / migrated: {', '.join(summary.migrated)}")
