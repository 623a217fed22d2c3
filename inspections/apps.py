from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("行政視察")

    def ready(self):
        from inspections.cache import page_cache

        page_cache.connect()
