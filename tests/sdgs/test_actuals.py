"""Bad actuals are refused with a Japanese message; good ones are saved with who entered them and history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from sdgs.forms import ActualForm, KpiValueField, normalise_number
from sdgs.models import Actual, Kpi, current_fiscal_year
from sdgs.services import actual_save


@pytest.fixture
def count_kpi(seeded):
    return Kpi.objects.get(code="EC-02")


def form(kpi, **data):
    base = {
        "kpi": kpi.pk,
        "fiscal_year": 2023,
        "survey_date": "",
        "value": "12",
        "source": "商工会集計",
        "note": "",
    }
    base.update(data)
    return ActualForm(data=base)


def test_text_in_a_number_is_refused(count_kpi):
    f = form(count_kpi, value="十二件")
    assert not f.is_valid()
    assert "数値で入力してください" in f.errors["value"][0]
    assert f["value"].value() == "十二件"  # what was typed is kept


def test_future_fiscal_year_is_refused(count_kpi):
    f = form(count_kpi, fiscal_year=current_fiscal_year() + 1)
    assert not f.is_valid()
    assert "まだ始まっていません" in f.errors["fiscal_year"][0]


def test_current_fiscal_year_is_accepted(count_kpi):
    assert form(count_kpi, fiscal_year=current_fiscal_year()).is_valid()


def test_negative_count_is_refused(count_kpi):
    f = form(count_kpi, value="-3")
    assert not f.is_valid()
    assert "マイナスの値は入力できません" in f.errors["value"][0]


def test_reduction_may_be_negative(seeded):
    co2 = Kpi.objects.get(code="EN-01")
    f = form(co2, value="▲12.5")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["value"] == Decimal("-12.5")


def test_percentage_above_100_is_refused(seeded):
    f = form(Kpi.objects.get(code="SO-01"), value="120", fiscal_year="", survey_date="2024-07-01")
    assert not f.is_valid()
    assert "0から100" in f.errors["value"][0]


def test_future_survey_date_is_refused(seeded):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    f = form(Kpi.objects.get(code="SO-01"), value="50", fiscal_year="", survey_date=tomorrow.isoformat())
    assert not f.is_valid()
    assert "未来の日付" in f.errors["survey_date"][0]


def test_period_must_be_one_of_year_or_date(count_kpi):
    f = form(count_kpi, fiscal_year="", survey_date="")
    assert not f.is_valid()
    assert "どちらか一方" in f.errors["fiscal_year"][0]


def test_same_year_twice_is_refused(count_kpi):
    Actual.objects.create(kpi=count_kpi, fiscal_year=2023, value=1, source="x")
    f = form(count_kpi)
    assert not f.is_valid()


def test_full_width_and_separators_are_understood():
    assert normalise_number("１，２００") == "1200"
    assert normalise_number("▲28.6") == "-28.6"
    assert KpiValueField().clean("１２,０００") == Decimal("12000")


def test_service_records_user_and_history(count_kpi, django_user_model):
    user = django_user_model.objects.create_user(username="mirai", password="pw-long-enough-123")
    actual = actual_save(actual=Actual(kpi=count_kpi, fiscal_year=2023, value=3, source="商工会"), user=user)
    actual.value = 4
    actual_save(actual=actual, user=user)
    assert actual.entered_by == user
    assert [h.value for h in actual.history.order_by("history_date")] == [3, 4]
    with pytest.raises(ValidationError):
        actual_save(actual=Actual(kpi=count_kpi, fiscal_year=2023, value=-1, source="x"))


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=30))
def test_any_typed_value_gives_a_message_or_a_number(text):
    field = KpiValueField(required=False)
    try:
        value = field.clean(text)
    except ValidationError as exc:
        assert exc.messages and all(m for m in exc.messages)
    else:
        assert value is None or value.is_finite()
