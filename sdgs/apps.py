from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SdgsConfig(AppConfig):
    name = "sdgs"
    verbose_name = _("SDGs KPI")

    def ready(self):
        from sdgs.cache import cache_version_bump

        # Any write to this app's tables (admin, seed, services) makes the cached public pages stale.
        for model in self.get_models():
            uid = f"sdgs.cache.{model._meta.model_name}"
            post_save.connect(cache_version_bump, sender=model, dispatch_uid=uid + ".save")
            post_delete.connect(cache_version_bump, sender=model, dispatch_uid=uid + ".delete")
        for through in (self.get_model("Kpi").sdg_targets.through, self.get_model("Initiative").kpis.through):
            m2m_changed.connect(cache_version_bump, sender=through,
                                dispatch_uid=f"sdgs.cache.{through.__name__}")
