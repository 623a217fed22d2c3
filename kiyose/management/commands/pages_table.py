from django.core.management.base import BaseCommand

from kiyose.pages import markdown_table


class Command(BaseCommand):
    help = "README の「Public pages」表をページ登録から出力します"

    def handle(self, *args, **options):
        self.stdout.write(markdown_table())
