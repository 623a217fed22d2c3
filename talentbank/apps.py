from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentbankConfig(AppConfig):
    name = "talentbank"
    verbose_name = _("市民人材バンク")

    def ready(self):
        from sdgs.sources import source_register
        from talentbank.cache import page_cache
        from talentbank.models import Graduate, Match, Person

        page_cache.connect()

        source_register(
            "talentbank.registrations",
            label=_("市民人材バンク登録者数"),
            unit="人",
            compute=lambda: Person.objects.ever_registered().count(),
        )
        source_register(
            "talentbank.sdgs_graduates",
            label=_("SDGs人材"),
            unit="人",
            compute=lambda: Graduate.objects.values("person_id").distinct().count(),
        )
        source_register(
            "talentbank.care_matches",
            label=_("介護事業所とマッチングした人数"),
            unit="人",
            compute=lambda: Match.objects.care_people_count(),
        )
