from django.conf import settings
from django.core.management.base import BaseCommand

from kiyose.accesslog import accesslog_purge


class Command(BaseCommand):
    help = "保存期間（ACCESS_LOG_RETENTION_DAYS）を過ぎた個人情報アクセス記録を消去します（毎日の定期実行用）。"

    def handle(self, *args, **options):
        purged = accesslog_purge()
        self.stdout.write(
            f"保存期間（{settings.ACCESS_LOG_RETENTION_DAYS}日）を過ぎたアクセス記録 {purged} 件を消去しました。"
        )
