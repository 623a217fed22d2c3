"""Builders for the registry-driven tests (tests/kiyose/registry_support.py): an evaluation in its initial state,
the staff text 課内確認 needs, and a published year so the evaluation pages have an instance."""

import contextlib

from sdgs import seed
from sdgs.evaluation.models import Evaluation, EvaluationStatus, KpiEvaluation
from sdgs.evaluation.services import evaluation_start, evaluation_transition


def _draft(year: int = 2025) -> Evaluation:
    seed.load()
    existing = Evaluation.objects.filter(fiscal_year=year).first()
    return existing or evaluation_start(fiscal_year=year)


@contextlib.contextmanager
def _texts_written(obj):
    """課内確認 needs 要因分析 and 今後の方針 for every KPI: written as staff write them on the change page."""
    KpiEvaluation.objects.filter(evaluation=obj).update(analysis="周知が進んだため。", plan="取組を続ける。")
    yield


def _published_year():
    evaluation = _draft(2025)
    with _texts_written(evaluation):
        evaluation_transition(obj=evaluation, to=EvaluationStatus.REVIEW)
    evaluation_transition(obj=evaluation, to=EvaluationStatus.PUBLISHED)


WORKFLOW_FACTORIES = {"sdgs.evaluation": _draft}
WORKFLOW_CONDITIONS = {"sdgs.evaluation": {EvaluationStatus.REVIEW: _texts_written}}
PUBLIC_SAMPLES = _published_year
