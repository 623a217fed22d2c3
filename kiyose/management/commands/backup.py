"""`manage.py backup`: one archive of the database and the uploaded files under backups/ (see README)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from kiyose.backup import BackupError, backup_create


def _positive(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise ValueError(text)
    return int(text)


class Command(BaseCommand):
    help = "データベースの全表とアップロードファイルを1つの控えファイルに保存します（Back up the portal）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "backups",
            help="控えの保存先フォルダ（既定: backups/）",
        )
        parser.add_argument(
            "--keep",
            type=_positive,
            default=None,
            metavar="N",
            help="保存後、新しい方から N 個だけ残して古い控えを削除します",
        )

    def handle(self, *args, output_dir, keep, **options):
        try:
            summary = backup_create(directory=output_dir, keep=keep or 0)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            # One readable line instead of a traceback: the operator needs the cause (DATABASE_URL, rights).
            raise CommandError(
                f"控えを作れませんでした（データベース: {exc}）。DATABASE_URL を確認してください。\n"
                f"The backup failed (database: {exc}). Check DATABASE_URL."
            ) from None
        except OSError as exc:
            raise CommandError(
                f"控えを作れませんでした（ファイル: {exc}）。\nThe backup failed (file system: {exc})."
            ) from None
        size = summary.path.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"控えを保存しました / Backup written: {summary.path}\n"
                f"  {summary.tables} 表 {summary.rows} 行、ファイル {summary.files} 件、{size / 1e6:.1f} MB、"
                f"{summary.seconds:.1f} 秒（検証済み / verified）"
            )
        )
        for path in summary.pruned:
            self.stdout.write(f"  古い控えを削除しました / Pruned: {path}")
