import uuid

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from certification import services
from certification.models import Application, SelfCheckAnswer
from kiyose.models import OutboundMail
from tests.certification.conftest import application_data

pytestmark = pytest.mark.django_db


def post_data(questions, token=None, **overrides) -> dict:
    data = application_data(**overrides)
    form = {k: v for k, v in data.items() if k not in ("goals", "commit_annual_report", "consent_publication")}
    form["goals"] = [str(g) for g in data["goals"]]
    if data["commit_annual_report"]:
        form["commit_annual_report"] = "on"
    if data["consent_publication"]:
        form["consent_publication"] = "on"
    for q in questions:
        form[f"check_{q.pk}"] = "yes"
    form["_token"] = str(token or uuid.uuid4())
    return form


def test_form_page_lists_the_self_check_questions(client, questions):
    response = client.get("/certification/apply/")
    assert response.status_code == 200
    html = response.content.decode()
    for q in questions:
        assert q.text in html
    assert 'name="_token"' in html
    assert "hp-wrap" in html
    assert "清瀬商工会" in html


def test_input_confirm_done_saves_one_application_and_queues_mail(
    client, questions, django_capture_on_commit_callbacks, settings
):
    settings.CERTIFICATION_OFFICE_EMAIL = "mirai-box@example.jp"
    data = post_data(questions)
    confirm = client.post("/certification/apply/", {**data, "_step": "input"}, follow=True)
    assert confirm.status_code == 200
    assert "この内容で送信する" in confirm.content.decode()
    assert Application.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/certification/apply/", {**data, "_step": "confirm"})
    assert done.status_code == 302
    application = Application.objects.get()
    assert application.status == Application.Status.RECEIVED
    assert application.goals == [7, 11, 13]
    assert SelfCheckAnswer.objects.filter(application=application, answer=True).count() == len(questions)
    page = client.get(done["Location"])
    assert application.reference in page.content.decode()
    mails = OutboundMail.objects.filter(subject__contains=application.reference)
    assert mails.count() == 2
    assert any(m.to == ["hanako@example.jp"] and m.sent_at for m in mails)
    assert any(m.to == ["mirai-box@example.jp"] and "/admin/certification/application/" in m.body for m in mails)


def test_double_submit_creates_one_application(client, questions):
    data = {**post_data(questions), "_step": "confirm"}
    client.post("/certification/apply/", data)
    client.post("/certification/apply/", data)
    assert Application.objects.count() == 1


def test_service_returns_same_application_for_same_token(questions):
    token = uuid.uuid4()
    answers = {q.pk: True for q in questions}
    first = services.application_submit(data=application_data(), answers=answers, token=token)
    second = services.application_submit(data=application_data(org_name="別の名前"), answers=answers, token=token)
    assert first.pk == second.pk


def test_back_keeps_what_was_typed(client, questions):
    data = post_data(questions, org_name="清瀬みどりの会", kind="group", intake="volunteer_center")
    response = client.post("/certification/apply/", {**data, "_step": "back"})
    assert response.status_code == 200
    assert 'value="清瀬みどりの会"' in response.content.decode()


def test_honeypot_rejects_bots(client, questions):
    data = {**post_data(questions), "website": "http://spam.example", "_step": "confirm"}
    response = client.post("/certification/apply/", data)
    assert response.status_code == 200
    assert Application.objects.count() == 0


def test_company_must_come_through_the_chamber_of_commerce(client, questions):
    data = post_data(questions, kind="company", intake="volunteer_center")
    response = client.post("/certification/apply/", {**data, "_step": "input"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "企業は清瀬商工会" in html
    assert "error-summary" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("org_name_kana", "Kiyose", "ひらがな又はカタカナ"),
        ("contact_email", "not-an-email", "メールアドレスの形式"),
        ("contact_phone", "12345", "市外局番"),
        ("org_name", "", "団体名・事業者名を入力"),
    ],
)
def test_bad_fields_get_a_message_and_keep_the_input(client, questions, field, value, message):
    data = post_data(questions, **{field: value})
    response = client.post("/certification/apply/", {**data, "_step": "input"})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="清瀬 花子"' in html


def test_missing_consent_and_goals_and_self_check(client, questions):
    data = post_data(questions, commit_annual_report=False, consent_publication=False)
    data.pop("goals")
    data.pop(f"check_{questions[0].pk}")
    html = client.post("/certification/apply/", {**data, "_step": "input"}).content.decode()
    assert "年間報告書の提出は認定の条件です" in html
    assert "公表されます" in html
    assert "SDGsの目標を1つ以上選んでください" in html
    assert "「はい」か「いいえ」を選んでください" in html
    assert Application.objects.count() == 0


def test_rate_limit_answers_429(client, questions, settings):
    settings.RATELIMIT_ENABLE = True
    settings.CERTIFICATION_RATE_LIMIT = "2/h"
    cache.clear()
    codes = [
        client.post("/certification/apply/", {**post_data(questions), "_step": "confirm"}).status_code for _ in range(3)
    ]
    cache.clear()
    assert codes == [302, 302, 429]
    assert Application.objects.count() == 2


text = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "org_name",
                "org_name_kana",
                "kind",
                "intake",
                "address",
                "url",
                "contact_email",
                "contact_phone",
                "goals",
                "summary",
                "initiative_economy",
                "_token",
                "check_1",
                "website",
            ]
        ),
        st.one_of(text, st.lists(text, max_size=3)),
        max_size=8,
    ),
    step=st.sampled_from(["input", "confirm", "back", "other"]),
)
def test_application_form_never_500(client, questions, fields, step):
    data = {**post_data(questions), **fields, "_step": step}
    response = client.post("/certification/apply/", data)
    assert response.status_code in (200, 302, 400, 429)


def test_references_are_numbered_per_fiscal_year_from_the_kits_counter(questions):
    answers = {q.pk: True for q in questions}
    first = services.application_submit(data=application_data(), answers=answers, token=uuid.uuid4())
    second = services.application_submit(data=application_data(), answers=answers, token=uuid.uuid4())
    year = int(first.reference.split("-")[1])
    assert (first.reference, second.reference) == (f"SDGS-{year}-0001", f"SDGS-{year}-0002")


def test_question_added_while_applicant_typed_does_not_lose_the_application(client, questions):
    from certification.models import SelfCheckQuestion

    data = {**post_data(questions), "_step": "confirm"}
    SelfCheckQuestion.objects.create(text="後から追加された質問", order=99)
    response = client.post("/certification/apply/", data)
    # The form now asks the new question too: the applicant sees it, nothing is lost, no 500.
    assert response.status_code == 200
    assert "後から追加された質問" in response.content.decode()
    data[f"check_{SelfCheckQuestion.objects.get(order=99).pk}"] = "no"
    assert client.post("/certification/apply/", data).status_code == 302
    assert SelfCheckAnswer.objects.filter(question__order=99, answer=False).count() == 1


def test_fields_that_reach_the_certificate_refuse_characters_the_font_cannot_print(client, questions):
    response = client.post(
        "/certification/apply/",
        {**post_data(questions, org_name="ひまわり会🌻", representative_name="清瀬 太郎"), "_step": "input"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "「🌻」は印刷できない文字です" in " ".join(form.errors["org_name"])
    assert Application.objects.count() == 0


def test_kana_in_either_script_is_stored_as_hiragana(client, questions):
    data = post_data(questions, org_name_kana="ｷﾖｾｸﾞﾘｰﾝ")
    client.post("/certification/apply/", {**data, "_step": "input"})
    client.post("/certification/apply/", {**data, "_step": "confirm"})
    assert Application.objects.get().org_name_kana == "きよせぐりーん"


def test_an_address_typed_on_two_lines_is_kept_on_one():
    from certification.forms import ApplicationForm

    form = ApplicationForm()
    form.cleaned_data = {"address": "東京都清瀬市中里5-842\n清瀬市役所4階"}
    assert form.clean_address() == "東京都清瀬市中里5-842 清瀬市役所4階"
    assert 'autocomplete="street-address"' in str(form["address"]) and "<textarea" in str(form["address"])
