"""The daily reminder of inspection visits: accepted visits within INSPECTIONS_REMINDER_DAYS of their day whose
documents are not all in get one mail each (run twice, it sends nothing twice). Scheduled by
deploy/systemd/kiyose-inspections-reminders.timer; `--today YYYY-MM-DD` runs it as of another day."""

from django.core.management.base import BaseCommand, CommandError

from inspections.services.requests import requests_remind
from kiyose.params import parse_date


class Command(BaseCommand):
    help = (
        "行政視察の日次処理：視察日が近いのに書類がそろっていない申込者へ督促メールを送ります"
        "（二度実行しても重複送信しません）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="基準日（YYYY-MM-DD）。省略時は今日。")

    def handle(self, *args, today=None, **options):
        day = parse_date(today) if today else None
        if today and day is None:
            raise CommandError("--today は YYYY-MM-DD の形式で指定してください。")
        sent = requests_remind(on=day)
        self.stdout.write(f"書類の督促メール：{sent}件")
