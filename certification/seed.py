"""Configuration only: an illustrative self-check list (staff edit it in the admin). No holders are seeded."""

from django.utils.translation import gettext as _

from certification.models import Pillar, SelfCheckQuestion


def questions() -> list[tuple[int, str, str]]:
    return [
        (10, Pillar.ECONOMY, _("市内での雇用や取引など、地域経済に貢献する取組を行っている")),
        (20, Pillar.ECONOMY, _("働きやすい職場づくり（多様な働き方、ハラスメント防止等）に取り組んでいる")),
        (30, Pillar.SOCIETY, _("地域の活動やボランティアに参加・協力している")),
        (40, Pillar.SOCIETY, _("子ども、高齢者、障害のある人など、誰もが参加できる配慮をしている")),
        (50, Pillar.ENVIRONMENT, _("省エネルギーや再生可能エネルギーの利用に取り組んでいる")),
        (60, Pillar.ENVIRONMENT, _("ごみの削減・リサイクルに取り組んでいる")),
        (70, Pillar.ENVIRONMENT, _("清瀬の緑や水辺の保全に関わる活動をしている")),
        (80, "", _("SDGsの取組を、従業員・会員や市民に向けて発信している")),
    ]


def load(stdout=None) -> None:
    for order, pillar, text in questions():
        question, created = SelfCheckQuestion.objects.get_or_create(
            text=text, defaults={"order": order, "pillar": pillar}
        )
        # Save only a real change: every save writes a history row, and a second seed must change nothing.
        if not created and (question.order, question.pillar) != (order, pillar):
            question.order, question.pillar = order, pillar
            question.save()
    if stdout is not None:
        stdout.write(f"certification: セルフチェック項目 {len(questions())}件")
