"""What `make run` does before serving: check the database, migrate, seed, and on a DEBUG machine create
a local staff account once."""

import os
import secrets

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "データベースを確認し、マイグレーションと初期データ投入を行います。"

    def handle(self, *args, **options):
        try:
            connection.ensure_connection()
        except DatabaseError as exc:
            # One readable line instead of a traceback wall: the person running `make run` needs the cause.
            message = f"データベースに接続できません（DATABASE_URL を確認してください）: {exc}"
            raise CommandError(message.strip()) from None
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed", stdout=self.stdout)
        if settings.DEBUG:
            self._local_staff()

    def _local_staff(self):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username="admin", email="admin@localhost", password=password)
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            self.style.WARNING(
                "ローカル用の管理者アカウントを作成しました（この表示は一度だけです）:\n"
                f"  ユーザー名: admin\n  パスワード: {password}\n  管理画面: http://127.0.0.1:{port}/admin/"
            )
        )
