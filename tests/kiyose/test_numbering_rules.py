"""Reference numbers: the counter key of a yearly series, and the refusal outside a transaction, word for word."""

import datetime as dt

import pytest
from django.db import transaction

from kiyose.models import Counter
from kiyose.numbering import number_next, yearly_number


@pytest.mark.django_db
def test_a_yearly_series_counts_under_its_name_and_fiscal_year():
    with transaction.atomic():
        assert yearly_number(series="insp", on=dt.date(2027, 3, 31)) == (2026, 1)
        assert yearly_number(series="insp", on=dt.date(2027, 4, 1)) == (2027, 1)
    assert dict(Counter.objects.values_list("key", "value")) == {"insp-2026": 1, "insp-2027": 1}


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_refusal_says_why():
    message = r"^number_next\(\) must run inside a transaction, or the number is not held$"
    with pytest.raises(RuntimeError, match=message):
        number_next(key="loose")
