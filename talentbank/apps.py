from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentbankConfig(AppConfig):
    name = "talentbank"
    verbose_name = _("市民人材バンク")

    def ready(self):
        from sdgs.sources import source_register
        from talentbank.cache import page_cache
        from talentbank.models import Cohort, Match, Person

        page_cache.connect()

        # The live KPI figures, each counting what the proposal (seeds/003) defines, all cumulative (累計).
        # 「SDGs 人材育成越境学習プログラムの研修がきっかけで、福祉分野で働き始めた人数」 is not registered: the
        # bank does not know where anyone went to work, so 未来創造課 enters that KPI's actuals by hand.
        source_register(
            "talentbank.registrations",
            label=_("市民人材バンク登録者数"),
            unit="人",
            # Registrations ever completed, erased ones included (their tombstones stay).
            compute=lambda: Person.objects.ever_registered().count(),
        )
        source_register(
            "talentbank.sdgs_graduates",
            label=_("SDGs人材（越境学習プログラムの修了者、人材バンクへの登録の有無を問わない）"),
            unit="人",
            compute=lambda: Cohort.objects.sdgs_people_count(),
        )
        source_register(
            "talentbank.care_matches",
            label=_("シニアの力・循環プロジェクトにより介護事業所とマッチングした人数"),
            unit="人",
            compute=lambda: Match.objects.senior_project_people_count(),
        )
