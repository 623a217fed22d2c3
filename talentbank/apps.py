from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentbankConfig(AppConfig):
    name = "talentbank"
    verbose_name = _("市民人材バンク")
