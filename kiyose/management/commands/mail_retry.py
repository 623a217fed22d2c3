from django.core.management.base import BaseCommand

from kiyose.mail import mail_retry_due


class Command(BaseCommand):
    help = "送信に失敗したメールを再送します（cron などで定期実行してください）。"

    def handle(self, *args, **options):
        sent, failing = mail_retry_due()
        self.stdout.write(f"再送 {sent} 件、失敗 {failing} 件")
