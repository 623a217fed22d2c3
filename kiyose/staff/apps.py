from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "kiyose.staff"
    label = "kiyose_staff"
    verbose_name = _("職員の認証")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kiyose.staff import signals

        signals.connect()
