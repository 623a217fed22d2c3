from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SdgsConfig(AppConfig):
    name = "sdgs"
    verbose_name = _("SDGs KPI")

    def ready(self):
        from sdgs.cache import page_cache

        page_cache.connect()
