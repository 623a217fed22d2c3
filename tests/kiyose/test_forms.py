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


def test_kana_field_in_a_portal_form_keeps_the_space_between_family_and_given_name():
    # PortalFormMixin's text pass used to run NFKC again after the kana rule, turning the full-width space into
    # an ASCII one that the rule then refused: "きよせ　はなこ" failed in every portal form.
    from django import forms as dj_forms

    from kiyose.forms import KanaField, PortalFormMixin

    class NameForm(PortalFormMixin, dj_forms.Form):
        furigana = KanaField(label="ふりがな", max_length=100)

    for typed in ("きよせ　はなこ", "キヨセ ハナコ", "ｷﾖｾ ﾊﾅｺ"):
        form = NameForm(data={"furigana": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["furigana"].replace(" ", "　") == "きよせ　はなこ"
    refused = NameForm(data={"furigana": "きよせ\x00はなこ"})
    assert not refused.is_valid()
