"""One text rule for every form: NFKC, control characters refused, kana stored as hiragana, specific messages."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from kiyose import text
from kiyose.forms import KanaField, PortalFormMixin


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  ＡＢＣ　１２３  ", "ABC 123"),
        ("ｷﾖｾｼ", "キヨセシ"),
        ("清瀬市議会", "清瀬市議会"),
        ("", ""),
    ],
)
def test_single_line_normalisation(typed, stored):
    assert text.normalise(typed) == stored


def test_multi_line_keeps_line_breaks_and_drops_trailing_spaces():
    assert text.normalise("一行目  \r\n二行目\r三行目\n\n", multiline=True) == "一行目\n二行目\n三行目"


@pytest.mark.parametrize("value", ["清瀬\n市議会", "清瀬\r市議会", "a\tb", "a\x00b", "a\x1fb", "a\u2028b", "a\x85b"])
def test_single_line_fields_refuse_line_breaks_and_control_characters(value):
    with pytest.raises(ValidationError) as caught:
        text.validate_single_line(value)
    assert caught.value.code == "control_characters"


def test_multi_line_fields_take_line_breaks_but_not_other_controls():
    text.validate_multi_line("一行目\n二行目\tタブ")
    with pytest.raises(ValidationError, match="制御文字"):
        text.validate_multi_line("a\x00b")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ヤマダ　ハナコ", "やまだ　はなこ"),
        ("ﾔﾏﾀﾞ ﾊﾅｺ", "やまだ　はなこ"),
        ("やまだ  はなこ", "やまだ　はなこ"),
        ("ヴァイオリン", "ゔぁいおりん"),
    ],
)
def test_kana_is_stored_as_hiragana(typed, stored):
    assert text.to_hiragana(typed) == stored


@pytest.mark.parametrize("value", ["Yamada", "山田", "やまだ1"])
def test_kana_refuses_anything_else(value):
    with pytest.raises(ValidationError) as caught:
        text.validate_kana(text.to_hiragana(value))
    assert caught.value.code == "kana"


class SampleForm(PortalFormMixin, forms.Form):
    council = forms.CharField(label="自治体名・議会名", max_length=10)
    note = forms.CharField(label="備考", required=False, widget=forms.Textarea)
    staff = forms.IntegerField(label="随行職員数", min_value=0, max_value=100)
    kana = KanaField(label="ふりがな", required=False)
    transport = forms.ChoiceField(label="交通手段", choices=[("bus", "バス"), ("car", "自動車")])

    field_units = {"staff": "人"}


def test_every_field_gets_a_specific_japanese_message():
    form = SampleForm(data={"council": "", "staff": "101", "transport": ""})
    assert not form.is_valid()
    assert form.errors["council"] == ["自治体名・議会名を入力してください。"]
    assert form.errors["staff"] == ["随行職員数は100人以下で入力してください。"]
    assert form.errors["transport"] == ["交通手段を選んでください。"]
    long = SampleForm(data={"council": "あ" * 11, "staff": "-1", "transport": "bus"})
    assert not long.is_valid()
    assert long.errors["council"] == ["自治体名・議会名は10文字以内で入力してください。"]
    assert long.errors["staff"] == ["随行職員数は0人以上で入力してください。"]


def test_forms_normalise_and_refuse_control_characters():
    typed = {"council": " ｷﾖｾ\u3000", "note": "a\r\nb", "staff": "１", "kana": "ｷﾖｾ", "transport": "car"}
    form = SampleForm(data=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["council"] == "キヨセ"
    assert form.cleaned_data["note"] == "a\nb"
    assert form.cleaned_data["kana"] == "きよせ"
    bad = SampleForm(data={"council": "清瀬\n市議会", "staff": "1", "transport": "car"})
    assert not bad.is_valid()
    assert bad.errors["council"] == ["改行や制御文字は入力できません。"]


def test_a_required_select_has_no_preselected_choice():
    choices = list(SampleForm().fields["transport"].choices)
    assert choices[0] == ("", "選択してください")
