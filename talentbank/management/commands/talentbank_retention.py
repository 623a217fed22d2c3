"""Retention of the talent bank (run daily, e.g. from cron). Safe to run any number of times."""

from django.core.management.base import BaseCommand

from talentbank.services import retention_run


class Command(BaseCommand):
    help = (
        "更新の確認がない登録に案内を送り、期限までに返事のない登録、本人確認のない仮登録、"
        "終了したスポットの担当者情報を消去します（消去する項目は各モデルの personal_data の宣言どおり）。"
    )

    def handle(self, *args, **options):
        result = retention_run()
        self.stdout.write(
            f"案内 {result['noticed']} 件、期限切れの消去 {result['erased']} 件、"
            f"未確認の仮登録の消去 {result['unconfirmed_erased']} 件、"
            f"終了したスポットの担当者情報の消去 {result['spot_contacts_erased']} 件"
        )
