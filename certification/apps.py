from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("SDGs認定証")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from certification.caching import forget, page_cache
        from certification.models import (
            AnnualReport,
            Certificate,
            SelfCheckQuestion,
            report_touch_certificate,
        )
        from sdgs.sources import source_register

        for model in (Certificate, AnnualReport, SelfCheckQuestion):
            uid = f"certification.forget.{model.__name__}"
            post_save.connect(forget, sender=model, dispatch_uid=uid)
            post_delete.connect(forget, sender=model, dispatch_uid=uid + ".delete")

        page_cache.connect()
        post_save.connect(
            report_touch_certificate, sender=AnnualReport, dispatch_uid="certification.report_touch"
        )
        post_delete.connect(
            report_touch_certificate, sender=AnnualReport, dispatch_uid="certification.report_del"
        )

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
