from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("行政視察")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from inspections.cache import data_changed

        # Any write to this app's data (requests, slots, sessions, blocked dates, programmes) renews the
        # version the cached public pages are keyed on.
        for model in self.get_models():
            post_save.connect(
                data_changed, sender=model, dispatch_uid=f"inspections.cache.save.{model.__name__}"
            )
            post_delete.connect(
                data_changed, sender=model, dispatch_uid=f"inspections.cache.del.{model.__name__}"
            )
        m2m_changed.connect(
            data_changed,
            sender=self.get_model("Request").topics.through,
            dispatch_uid="inspections.cache.topics",
        )
