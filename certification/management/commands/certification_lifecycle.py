"""The daily run of the certification scheme. Schedule it once a day, e.g. from cron:

    15 6 * * *  cd /srv/kiyose && .venv/bin/python manage.py certification_lifecycle

or with `--enqueue` to hand it to the tasks framework (TASKS_BACKEND=database and `manage.py db_worker`).
`--today YYYY-MM-DD` runs it as of another day (catching up after an outage, or rehearsing).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from certification import services


class Command(BaseCommand):
    help = (
        "SDGs認定証の日次処理：年間報告書の督促、報告待ち・失効・期間満了、順番待ちの繰上げ"
        "（二度実行しても重複送信しません）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="基準日（YYYY-MM-DD）。省略時は今日。")
        parser.add_argument("--enqueue", action="store_true", help="タスクとして登録する（django.tasks）。")

    def handle(self, *args, today=None, enqueue=False, **options):
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today は YYYY-MM-DD の形式で指定してください。") from None
        if enqueue:
            from certification.tasks import certification_lifecycle_task

            result = certification_lifecycle_task.enqueue(day.isoformat() if day else None)
            self.stdout.write(f"タスクを登録しました：{result.id}")
            return
        counts = services.certification_lifecycle(today=day)
        labels = {
            "reminder": "提出期限前のお知らせ",
            "overdue": "報告待ち（督促）",
            "report_due": "報告待ち",
            "lapsed": "失効",
            "expired": "期間満了",
            "promoted": "順番待ちから認定",
        }
        if not counts:
            self.stdout.write("処理対象はありませんでした。")
        for key, n in counts.items():
            self.stdout.write(f"{labels.get(key, key)}：{n}件")
