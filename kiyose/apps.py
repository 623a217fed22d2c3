from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KiyoseConfig(AppConfig):
    name = "kiyose"
    verbose_name = _("ポータル共通")

    def ready(self):
        from kiyose.personal import staff_declarations_register
        from kiyose.roles import roles_sync_after_migrate
        from kiyose.views import privacy_cache

        # Groups get their permissions after every migrate, so a new model is covered without a data migration.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="kiyose.roles_sync")
        staff_declarations_register()
        privacy_cache.connect()
