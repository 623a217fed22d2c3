from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("SDGs認定証")

    def ready(self):
        from certification.cache import page_cache
        from certification.models import AnnualReport, Certificate
        from sdgs.sources import source_register

        page_cache.connect()

        source_register(
            "certification.valid_certificates",
            label=_("清瀬市SDGs認定証の有効な認定数"),
            unit="件",
            compute=lambda: Certificate.objects.in_force().count(),
        )
        source_register(
            "certification.reports_on_time",
            label=_("期限内に提出された年間報告書数"),
            unit="件",
            compute=lambda: AnnualReport.objects.on_time().count(),
        )
