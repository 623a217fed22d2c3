"""Writes of the yearly evaluation: start a year, recompute its figures, save staff text, move it along
draft → 課内確認 → 公表 (one workflow table), start a new revision of a published year; and the milestones'
and support schemes' saves."""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiyose.wareki import fiscal_year, fiscal_year_range, wareki
from kiyose.workflow import STAFF, Transition, TransitionForm, Workflow
from sdgs.evaluation import rules
from sdgs.evaluation.models import (
    Evaluation,
    EvaluationStatus,
    KpiEvaluation,
    Milestone,
    ScheduleLine,
    SupportScheme,
)
from sdgs.models import Actual, Area, BudgetLine, Kpi
from sdgs.sources import source_get

logger = logging.getLogger(__name__)


# --- the figures of one KPI ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    value: Decimal | None
    date: dt.date | None = None
    label: str = ""
    source: str = ""
    note: str = ""


def _live(kpi: Kpi, today: dt.date) -> Chosen | None:
    source = source_get(kpi.source_key) if kpi.source_key else None
    if source is None:
        return None
    try:
        value = Decimal(source.compute())
    except Exception:
        # A broken feed must not stop the evaluation: the entered actuals are used instead.
        logger.exception("live KPI source %s failed", kpi.source_key)
        return None
    return Chosen(
        value=value, date=today, label=_("%(date)s現在（自動集計）") % {"date": wareki(today)}, source=source.label
    )


def value_for(kpi: Kpi, year: int, *, actuals: list[Actual], today: dt.date | None = None) -> Chosen:
    """The value the evaluation of `year` uses: that year's actual; else a survey dated within the year; else
    the live figure of another app (dated today); else the latest earlier actual, said so in the note."""
    today = today or timezone.localdate()
    start, end = fiscal_year_range(year)
    for actual in actuals:
        if actual.fiscal_year == year:
            return Chosen(actual.value, actual.date, actual.period_label, actual.source)
    surveys = [a for a in actuals if a.survey_date and start <= a.survey_date <= end]
    if surveys:
        last = max(surveys, key=lambda a: a.survey_date)
        return Chosen(last.value, last.date, last.period_label, last.source)
    live = _live(kpi, today)
    if live is not None:
        note = ""
        if today > end:
            note = _("%(year)d年度の実績が未入力のため、自動集計の現在値を用いました。") % {"year": year}
        return Chosen(live.value, live.date, live.label, live.source, note)
    earlier = [a for a in actuals if a.date <= end]
    if earlier:
        last = max(earlier, key=lambda a: (a.date, a.pk or 0))
        note = _("%(year)d年度の実績がないため、最新の%(label)sの値を用いました。") % {
            "year": year,
            "label": last.period_label,
        }
        return Chosen(last.value, last.date, last.period_label, last.source, note)
    return Chosen(None)


def figures_for(kpi: Kpi, year: int, *, today: dt.date | None = None) -> dict:
    """The computed fields of a KpiEvaluation (kpi with its actuals and targets prefetched)."""
    actuals = list(kpi.actuals.all())
    target = next((t for t in kpi.targets.all() if t.year == year), None)
    chosen = value_for(kpi, year, actuals=actuals, today=today)
    result = rules.achievement(
        kind=rules.kind_of(direction=kpi.direction, cumulative=kpi.cumulative),
        value=chosen.value,
        target=target.value if target else None,
        baseline=kpi.baseline_value,
        percent_change=kpi.percent_change,
    )
    return {
        "baseline": kpi.baseline_value,
        "target": target.value if target else None,
        "target_printed": target.printed if target else "",
        "value": chosen.value,
        "value_date": chosen.date,
        "value_label": chosen.label[:60],
        "value_source": chosen.source[:200],
        "value_note": chosen.note[:200],
        "rate": result.rate,
        "grade": result.grade,
        "reason": result.reason[:200],
    }


def _kpis():
    # A KPI loaded unpublished (its printed name carries a redaction) is evaluated once 未来創造課 has named it.
    return Kpi.objects.public().prefetch_related("targets", "actuals").order_by("order", "code")


@transaction.atomic
def evaluation_refresh(*, evaluation: Evaluation) -> Evaluation:
    """Recompute every KPI's figures from the current actuals (only while a draft); staff text is kept."""
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError(_("公表手続き中または公表済みの評価の数値は変更できません。"))
    rows = {row.kpi_id: row for row in KpiEvaluation.objects.filter(evaluation=evaluation)}
    for order, kpi in enumerate(_kpis(), start=1):
        row = rows.get(kpi.pk) or KpiEvaluation(evaluation=evaluation, kpi=kpi)
        changed = not row.pk or row.order != order
        row.order = order
        for name, value in figures_for(kpi, evaluation.fiscal_year).items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
        if changed:
            row.full_clean()
            row.save()
    return evaluation


@transaction.atomic
def evaluation_start(*, fiscal_year: int, revision_reason: str = "") -> Evaluation:
    """A new draft evaluation of a fiscal year with one row per KPI. A year already evaluated is continued
    by evaluation_revise, never started again."""
    if Evaluation.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError(
            {
                "fiscal_year": _("%(year)d年度の評価はすでにあります。公表後の修正は改訂版で行います。")
                % {"year": fiscal_year}
            }
        )
    if fiscal_year > fiscal_year_now():
        raise ValidationError({"fiscal_year": _("まだ始まっていない年度の評価は作成できません。")})
    evaluation = Evaluation(fiscal_year=fiscal_year, revision_reason=revision_reason)
    evaluation.full_clean()
    evaluation.save()
    return evaluation_refresh(evaluation=evaluation)


def fiscal_year_now() -> int:
    return fiscal_year(timezone.localdate())


@transaction.atomic
def evaluation_revise(*, evaluation: Evaluation) -> Evaluation:
    """A new draft revision of a published year, carrying over the staff text; the published revision stays
    public until the new one is published."""
    if evaluation.status != EvaluationStatus.PUBLISHED:
        raise ValidationError(_("改訂版は公表済みの評価から作成します。"))
    year = evaluation.fiscal_year
    if Evaluation.objects.filter(fiscal_year=year).exclude(status=EvaluationStatus.PUBLISHED).exists():
        raise ValidationError(_("%(year)d年度には作成中の改訂版がすでにあります。") % {"year": year})
    latest = Evaluation.objects.filter(fiscal_year=year).aggregate(n=Max("revision"))["n"]
    try:
        with transaction.atomic():
            new = Evaluation.objects.create(fiscal_year=year, revision=latest + 1)
    except IntegrityError as exc:
        # Two staff pressing the button at once: the database's one-open-revision rule lets one through.
        raise ValidationError(_("%(year)d年度には作成中の改訂版がすでにあります。") % {"year": year}) from exc
    KpiEvaluation.objects.bulk_create(
        [
            KpiEvaluation(evaluation=new, kpi_id=row.kpi_id, order=row.order, analysis=row.analysis, plan=row.plan)
            for row in KpiEvaluation.objects.filter(evaluation=evaluation)
        ]
    )
    return evaluation_refresh(evaluation=new)


@transaction.atomic
def kpi_evaluation_save(*, row: KpiEvaluation) -> KpiEvaluation:
    """Staff text of one KPI; only a draft is edited (a published revision changes only by a new one)."""
    status = Evaluation.objects.select_for_update().values_list("status", flat=True).get(pk=row.evaluation_id)
    if status != EvaluationStatus.DRAFT:
        raise ValidationError(_("下書きの評価だけを編集できます。公表済みの評価は改訂版を作成して修正します。"))
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def milestone_save(*, milestone: Milestone) -> Milestone:
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def support_scheme_save(*, scheme: SupportScheme) -> SupportScheme:
    scheme.full_clean()
    scheme.save()
    return scheme


# --- milestones and money, as shown (and frozen at publication) ---------------------------------------------


def snapshot_build(year: int) -> dict:
    """The schedule's milestones up to `year` and the money against the plan, in plain values: what the page,
    the PDF and the CSV print. Drafts build it live; publishing stores it on the evaluation."""
    lines = ScheduleLine.objects.select_related("initiative").prefetch_related(
        Prefetch(
            "milestones", queryset=Milestone.objects.filter(fiscal_year__lte=year).order_by("fiscal_year", "position")
        )
    )
    schedule = [
        {
            "area": str(line.get_area_display()),
            "name": line.name,
            "initiative": line.initiative.name if line.initiative else "",
            "milestones": [
                {
                    "year": m.fiscal_year,
                    "text": m.text,
                    "status": m.status,
                    "status_label": str(m.get_status_display()),
                    "note": m.note,
                }
                for m in line.milestones.all()
            ],
        }
        for line in lines
    ]
    budget_lines = [b for b in BudgetLine.objects.scheme() if b.fiscal_year <= year]
    years = sorted({b.fiscal_year for b in budget_lines})
    cells = {(b.area, b.fiscal_year): b for b in budget_lines}
    areas = list(Area.choices)
    rows = []
    for y in years:
        here = [cells.get((a, y)) for a, _label in areas]
        spent = [c.spent for c in here if c and c.spent is not None]
        rows.append(
            {
                "year": y,
                "cells": [{"planned": c.planned if c else None, "spent": c.spent if c else None} for c in here],
                "planned_total": sum(c.planned for c in here if c),
                "spent_total": sum(spent) if spent else None,
            }
        )
    planned_totals = [sum(cells[(a, y)].planned for y in years if (a, y) in cells) for a, _label in areas]
    spent_all = [c.spent for c in budget_lines if c.spent is not None]
    schemes = [
        {
            "name": s.name,
            "year": s.fiscal_year,
            "planned": s.planned,
            "actual": s.actual,
            "purpose": s.purpose,
            "note": s.note,
        }
        for s in SupportScheme.objects.filter(fiscal_year__lte=year)
    ]
    return {
        "schedule": schedule,
        "budget": {
            "areas": [str(label) for _a, label in areas],
            "rows": rows,
            "planned_totals": planned_totals,
            "planned_total": sum(planned_totals),
            "spent_total": sum(spent_all) if spent_all else None,
        },
        "schemes": schemes,
    }


# --- the workflow -------------------------------------------------------------------------------------------


def _missing_text(evaluation: Evaluation) -> list[str]:
    rows = KpiEvaluation.objects.filter(evaluation=evaluation).select_related("kpi").order_by("order")
    return [row.kpi.code for row in rows if not row.analysis.strip() or not row.plan.strip()]


def _to_review(obj: Evaluation, data: dict) -> None:
    evaluation_refresh(evaluation=obj)
    missing = _missing_text(obj)
    if missing:
        raise ValidationError(
            _("次のKPIの要因分析と今後の方針を入力してから課内確認に回してください：%(codes)s")
            % {"codes": "、".join(missing)},
            code="text_missing",
        )
    if obj.revision > 1 and not obj.revision_reason.strip():
        raise ValidationError({"revision_reason": _("改訂版では改訂の理由を入力してください。")})


def _to_published(obj: Evaluation, data: dict) -> None:
    obj.published_at = timezone.now()
    obj.snapshot = snapshot_build(obj.fiscal_year)


EVALUATION_FLOW = Workflow(
    "sdgs.evaluation",
    model=Evaluation,
    states=EvaluationStatus,
    initial=EvaluationStatus.DRAFT,
    final=[EvaluationStatus.PUBLISHED],
    transitions=[
        Transition(
            [EvaluationStatus.DRAFT],
            EvaluationStatus.REVIEW,
            form=TransitionForm,
            apply=_to_review,
            label=gettext_lazy("課内確認に回す"),
        ),
        Transition(
            [EvaluationStatus.REVIEW],
            EvaluationStatus.DRAFT,
            form=TransitionForm,
            label=gettext_lazy("下書きに差し戻す"),
        ),
        Transition(
            [EvaluationStatus.REVIEW],
            EvaluationStatus.PUBLISHED,
            form=TransitionForm,
            apply=_to_published,
            label=gettext_lazy("公表する"),
        ),
    ],
)


def evaluation_transition(*, obj: Evaluation, to: str, by=None, data: dict | None = None) -> Evaluation:
    """Move an evaluation along EVALUATION_FLOW; who and when go into the kit's TransitionRecord."""
    return EVALUATION_FLOW.run(obj=obj, to=to, by=by, data=data, actor=STAFF)


# --- what the page, the PDF and the CSV print ---------------------------------------------------------------


def evaluation_report(evaluation: Evaluation) -> dict:
    """The evaluation as printed: KPI rows, counts by grade, milestones and money (frozen once published),
    the revision's dates. A fixed number of queries."""
    rows = list(
        KpiEvaluation.objects.filter(evaluation=evaluation, kpi__published=True).select_related("kpi").order_by("order")
    )
    counts = {grade: 0 for grade in rules.Grade}
    for row in rows:
        counts[rules.Grade(row.grade)] += 1
    first_published = None
    if evaluation.revision > 1:
        first_published = (
            Evaluation.objects.filter(fiscal_year=evaluation.fiscal_year, revision=1)
            .values_list("published_at", flat=True)
            .first()
        )
    snapshot = (
        evaluation.snapshot
        if evaluation.is_published and evaluation.snapshot
        else snapshot_build(evaluation.fiscal_year)
    )
    achieved, mostly = rules.thresholds()
    return {
        "evaluation": evaluation,
        "year": evaluation.fiscal_year,
        "year_label": evaluation.year_label,
        "rows": rows,
        "summary": [(grade.label, counts[grade]) for grade in rules.Grade],
        "total": len(rows),
        "schedule": snapshot["schedule"],
        "budget": snapshot["budget"],
        "schemes": snapshot["schemes"],
        "first_published": first_published,
        "published": evaluation.published_at,
        "draft": not evaluation.is_published,
        "threshold_achieved": achieved.normalize(),
        "threshold_mostly": mostly.normalize(),
    }
