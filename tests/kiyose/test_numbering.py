import pytest
from django.db import transaction

from kiyose.numbering import number_next, number_peek, yearly_number

pytestmark = pytest.mark.django_db


def test_each_series_counts_on_its_own():
    with transaction.atomic():
        assert [number_next(key="a") for _ in range(3)] == [1, 2, 3]
        assert number_next(key="b") == 1
    assert number_peek(key="a") == 3
    assert number_peek(key="never") == 0


@pytest.mark.django_db(transaction=True)
def test_a_number_must_be_taken_inside_a_transaction():
    # Outside a transaction the row lock would end at once and two callers could share a number.
    with pytest.raises(RuntimeError, match="inside a transaction"):
        number_next(key="loose")
    with transaction.atomic():
        assert number_next(key="loose") == 1


def test_yearly_numbers_restart_each_fiscal_year():
    import datetime as dt

    with transaction.atomic():
        assert yearly_number(series="ref", on=dt.date(2026, 3, 31)) == (2025, 1)
        assert yearly_number(series="ref", on=dt.date(2026, 4, 1)) == (2026, 1)
        assert yearly_number(series="ref", on=dt.date(2026, 4, 2)) == (2026, 2)
