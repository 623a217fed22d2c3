"""The proposal's schedule (2.1(8) スケジュール) as milestones and its 活用予定の支援施策; idempotent.

Cells are copied exactly as the document prints them, spacing and all (its line breaks show as spaces, and
"シニアのカ" is printed with katakana カ): the evaluation quotes the plan, it does not edit it. The
document's redacted row (■■■■■) is not loaded, nor are empty cells — the 環境 row prints nothing under 2025.
Staff-kept fields (a milestone's status and note, a scheme's actual use) are never touched.
"""

from django.db import transaction

from sdgs.evaluation.models import Milestone, ScheduleLine, SupportScheme
from sdgs.models import Area, Initiative

# (side, 取組名, {fiscal year: [phases in the year's order]}), in the printed row order.
SCHEDULE = [
    (
        Area.INTEGRATED,
        "SDGs 人材育成越境学習プログラム",
        {
            2023: ["事業計画の策定 (～9月)", "越境学習プログラム 実施(～1月)", "成果報告 (～3月)"],
            2024: ["2023 年度同様のサイクル"],
            2025: ["2024 年度同様のサイクル。ただし成果報告会で初年度の経過確認"],
        },
    ),
    (
        Area.ECONOMY,
        "SDGs人材地域の担い手活動の場の検討",
        {
            2023: ["事業計画の検討 (～9月)", "清瀬商工会と活動の場の検討・提案 (～3月)"],
            2024: ["引き続き活動の場 検討・提案"],
            2025: ["引き続き活動の場 検討・提案"],
        },
    ),
    (
        Area.ECONOMY,
        "SDGs認定証店舗",
        {
            2023: ["事業計画の検討 (～9月)", "SDGs 認定店舗選考・決定 (～3月)"],
            2024: ["引き続き認定店舗 の選考・決定"],
            2025: ["引き続き認定店舗 の選考・決定"],
        },
    ),
    (
        Area.SOCIETY,
        "SDGs 人材育成越境学習プログラム越境学習先の検討",
        {
            2023: ["候補施設へ依頼 (～9月)", "越境学習プログラムの実施 (～3月)"],
            2024: ["新規受入施設の 開拓"],
            2025: ["前年度同様新規 受入施設の開拓"],
        },
    ),
    (
        Area.SOCIETY,
        "SDGs 人材地域の担い手活動の場の検討",
        {
            2023: ["事業計画の検討 (～9月)", "ボランティア・市民活動センターと 活動の場の検討 (～3月)"],
            2024: ["引き続き活動の場 検討・提案"],
            2025: ["引き続き活動の場 検討・提案"],
        },
    ),
    (
        Area.SOCIETY,
        "SDGs認定証団体等",
        {
            2023: ["事業計画の検討 (～9月)", "SDGs認定団体等選考・決定 (～3月)"],
            2024: ["引き続き認定店舗 の選考・決定"],
            2025: ["引き続き認定店舗 の選考・決定"],
        },
    ),
    (
        Area.ENVIRONMENT,
        "SDGs人材地域の担い 手活動の場開拓",
        {
            2023: ["事業計画の検討 (～9月)", "環境分野での地域の担い手活動の相 談、開拓 (～3月)"],
            2024: ["引き続き地域の担い手活動の相談・開拓"],
        },
    ),
]

# (name, fiscal year, planned 千円, purpose) as printed.
SCHEMES = [
    (
        "人生100年時代づくり・地域創生総ソフト事業交付金(公益財団法人地域社会振興財団)",
        2024,
        3000,
        "人生100年時代考えるための研修として「SDGs人材育成越境学習プログラム」の講師費用に充当",
    ),
    ("区市町村介護人材対策事業費補助金", 2023, 1900, "シニアのカ・循環プロジェクトで補助金として活用"),
]


def _update(obj, **values) -> None:
    # Write only what changed, so a second run adds no history rows.
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    initiatives = {i.name: i for i in Initiative.objects.all()}
    milestones = 0
    for order, (area, name, years) in enumerate(SCHEDULE, start=1):
        line = ScheduleLine.objects.filter(order=order).first()
        if line is None:
            # The one row whose name is an initiative's name word for word is linked; staff link the others.
            line = ScheduleLine.objects.create(order=order, area=area, name=name, initiative=initiatives.get(name))
        else:
            _update(line, area=area, name=name)
        for year, phases in years.items():
            for position, text in enumerate(phases, start=1):
                milestone = Milestone.objects.filter(line=line, fiscal_year=year, position=position).first()
                if milestone is None:
                    Milestone.objects.create(line=line, fiscal_year=year, position=position, text=text)
                else:
                    _update(milestone, text=text)
                milestones += 1
    for order, (name, year, planned, purpose) in enumerate(SCHEMES, start=1):
        scheme = SupportScheme.objects.filter(name=name, fiscal_year=year).first()
        if scheme is None:
            SupportScheme.objects.create(name=name, fiscal_year=year, planned=planned, purpose=purpose, order=order)
        else:
            _update(scheme, planned=planned, purpose=purpose, order=order)
    counts = {"lines": len(SCHEDULE), "milestones": milestones, "schemes": len(SCHEMES)}
    if stdout is not None:
        stdout.write(
            "sdgs: スケジュールの取組{lines}件、マイルストーン{milestones}件、"
            "支援施策{schemes}件を確認しました。".format(**counts)
        )
    return counts
