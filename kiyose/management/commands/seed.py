"""Load the city's seed data: every installed app may have a `seed` module with `load(stdout)`.

Each loader is idempotent (update_or_create on a natural key), so running this twice changes nothing.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from kiyose.roles import roles_sync


class Command(BaseCommand):
    help = "市の資料にもとづく初期データを投入します（何度実行しても同じ結果になります）。"

    def handle(self, *args, **options):
        with transaction.atomic():
            roles_sync()
            for config in apps.get_app_configs():
                module_name = f"{config.name}.seed"
                if find_spec(config.name) is None or find_spec(module_name) is None:
                    continue
                import_module(module_name).load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("初期データを確認しました。"))
