from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SdgsConfig(AppConfig):
    name = "sdgs"
    verbose_name = _("SDGs KPI")

    def ready(self):
        from sdgs.cache import page_cache

        # Any write to this app's tables (admin, seed, services) makes the cached public pages stale.
        page_cache.watch(self.get_models())
