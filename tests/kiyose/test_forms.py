import pytest
from django.core.exceptions import ValidationError

from kiyose.forms import normalise_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("０４２－４９７－２５６６", "042-497-2566"),
        ("042ー497ー2566", "042-497-2566"),
        ("0424972566", "0424972566"),
        (" 090-1234-5678 ", "090-1234-5678"),
        ("(042)497-2566", "042497-2566"),
    ],
)
def test_phone_numbers_are_normalised(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "abc", "042-497-25666666", "+81 42 497 2566x"])
def test_bad_phone_numbers_are_refused_with_a_japanese_message(typed):
    with pytest.raises(ValidationError) as excinfo:
        normalise_phone(typed)
    assert "電話番号" in excinfo.value.messages[0]
