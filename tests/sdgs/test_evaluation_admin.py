"""The evaluation in the admin, the way 未来創造課 completes FY2025: start the year, write each KPI's text,
move it with the workflow buttons, enter the support schemes' actual use and the milestones' status."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages

from kiyose.models import TransitionRecord
from sdgs.evaluation.models import Evaluation, EvaluationStatus, KpiEvaluation, Milestone, SupportScheme
from sdgs.evaluation.services import evaluation_start, evaluation_transition
from sdgs.models import Kpi

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_live_sources")]

BASE = "/admin/sdgs/evaluation/"


@pytest.fixture(autouse=True)
def _after_fy2025(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 6, 1))


@pytest.fixture
def mirai(client, seeded, make_staff):
    user = make_staff("未来創造課")
    client.force_login(user)
    return user


def change_data(evaluation, texts=None, reason=""):
    """The change form's POST: `texts` maps a KPI code to (analysis, plan); others keep theirs."""
    rows = list(KpiEvaluation.objects.filter(evaluation=evaluation).select_related("kpi").order_by("order"))
    data = {
        "revision_reason": reason,
        "rows-TOTAL_FORMS": len(rows),
        "rows-INITIAL_FORMS": len(rows),
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
    }
    for n, row in enumerate(rows):
        analysis, plan = (texts or {}).get(row.kpi.code, (row.analysis, row.plan))
        data.update(
            {
                f"rows-{n}-id": row.pk,
                f"rows-{n}-evaluation": evaluation.pk,
                f"rows-{n}-analysis": analysis,
                f"rows-{n}-plan": plan,
            }
        )
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_start_a_year_with_full_width_digits_and_get_one_row_per_kpi(client, mirai):
    response = client.post(BASE + "add/", {"fiscal_year": "２０２５"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.fiscal_year == 2025 and evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.rows.count() == Kpi.objects.public().count()
    page = client.get(f"{BASE}{evaluation.pk}/change/").content.decode()
    assert "課内確認に回す" in page and "公表前の確認（職員のみ表示）" in page


def test_a_year_already_started_or_not_yet_begun_is_refused(client, mirai):
    evaluation_start(fiscal_year=2025)
    response = client.post(BASE + "add/", {"fiscal_year": "2025"})
    assert "2025年度の評価はすでにあります" in response.content.decode()
    response = client.post(BASE + "add/", {"fiscal_year": "2027"})
    assert "まだ始まっていない年度の評価は作成できません。" in response.content.decode()
    assert Evaluation.objects.count() == 1


def test_texts_are_saved_from_the_change_form_and_limited_in_length(client, mirai):
    evaluation = evaluation_start(fiscal_year=2025)
    response = client.post(
        f"{BASE}{evaluation.pk}/change/", change_data(evaluation, {"EC-02": ("認定件数が伸びた。", "創業塾を続ける。")})
    )
    assert response.status_code == 302
    row = KpiEvaluation.objects.get(evaluation=evaluation, kpi__code="EC-02")
    assert (row.analysis, row.plan) == ("認定件数が伸びた。", "創業塾を続ける。")
    response = client.post(f"{BASE}{evaluation.pk}/change/", change_data(evaluation, {"EC-02": ("あ" * 801, "方針")}))
    assert response.status_code == 200
    assert "要因分析は800文字以内で入力してください。" in response.content.decode()


def test_the_workflow_buttons_refuse_missing_text_then_move_and_record(client, mirai):
    evaluation = evaluation_start(fiscal_year=2025)
    url = f"{BASE}{evaluation.pk}/transition/review/"
    assert client.get(url).status_code == 200
    response = client.post(url, {})
    assert response.status_code == 200
    assert "要因分析と今後の方針を入力してから課内確認に回してください" in response.content.decode()
    texts = {code: ("分析", "方針") for code in Kpi.objects.values_list("code", flat=True)}
    client.post(f"{BASE}{evaluation.pk}/change/", change_data(evaluation, texts))
    assert client.post(url, {}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.REVIEW
    assert TransitionRecord.objects.of(evaluation).get().by == mirai


def test_a_move_out_of_order_is_refused_in_the_admin_with_a_message(client, mirai):
    evaluation = evaluation_start(fiscal_year=2025)
    response = client.get(f"{BASE}{evaluation.pk}/transition/published/")
    assert response.status_code == 302
    assert "「下書き」から「公表」へは変更できません。" in messages_of(response)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT


def test_a_published_evaluation_is_read_only_and_revised_by_an_action(client, mirai):
    evaluation = evaluation_start(fiscal_year=2025)
    KpiEvaluation.objects.filter(evaluation=evaluation).update(analysis="分析", plan="方針")
    evaluation_transition(obj=evaluation, to=EvaluationStatus.REVIEW)
    evaluation_transition(obj=evaluation, to=EvaluationStatus.PUBLISHED)
    page = client.get(f"{BASE}{evaluation.pk}/change/").content.decode()
    assert "rows-0-analysis" not in page and "公表ページを開く" in page
    client.post(f"{BASE}{evaluation.pk}/change/", change_data(evaluation, {"EC-02": ("改変", "改変")}))
    assert KpiEvaluation.objects.get(evaluation=evaluation, kpi__code="EC-02").analysis == "分析"
    response = client.post(BASE, {"action": "make_revision", "_selected_action": [evaluation.pk]})
    assert response.status_code == 302
    revision = Evaluation.objects.get(revision=2)
    assert revision.status == EvaluationStatus.DRAFT and revision.fiscal_year == 2025


def test_support_schemes_take_actual_use_in_thousand_yen_with_full_width_digits(client, mirai):
    scheme = SupportScheme.objects.get(fiscal_year=2023)
    url = f"/admin/sdgs/supportscheme/{scheme.pk}/change/"
    response = client.post(url, {"actual": "１８５０", "note": "交付決定額どおり", "order": 2})
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.actual == 1850 and scheme.planned == 1900
    response = client.post(url, {"actual": "-5", "note": "", "order": 2})
    assert "活用額（千円）は0以上で入力してください。" in response.content.decode()
    response = client.post(url, {"actual": "1.5", "note": "", "order": 2})
    assert "活用額（千円）は数字で入力してください。" in response.content.decode()


def test_staff_keep_a_milestones_status_and_note(client, mirai):
    milestone = Milestone.objects.get(line__order=1, fiscal_year=2025)
    response = client.post(f"/admin/sdgs/milestone/{milestone.pk}/change/", {"status": "late", "note": "講師の調整中"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.note) == ("late", "講師の調整中")
    assert milestone.text == "2024 年度同様のサイクル。ただし成果報告会で初年度の経過確認"


def test_other_sections_cannot_open_the_evaluation(client, seeded, make_staff):
    client.force_login(make_staff("議会事務局"))
    assert client.get(BASE).status_code == 403
