"""The text rule's edges: single-line text keeps its line breaks for the validator to refuse, and every
refusal carries its code and its message."""

import pytest
from django.core.exceptions import ValidationError

from kiyose.text import control_characters, normalise, validate_kana, validate_multi_line, validate_single_line


def test_single_line_text_is_not_rewritten_as_lines():
    assert normalise(" ａ\r\nｂ ") == "a\r\nb"
    assert normalise(" ａ\r\nｂ ", multiline=True) == "a\nb"


def test_missing_text_has_no_control_characters():
    assert control_characters(None) == []
    assert control_characters(None, multiline=True) == []


@pytest.mark.parametrize(
    ("validator", "value", "code", "message"),
    [
        (validate_single_line, "清瀬\n市", "control_characters", "改行や制御文字は入力できません。"),
        (validate_multi_line, "清瀬\x07市", "control_characters", "制御文字は入力できません。"),
        (validate_kana, "kiyose", "kana", "ふりがなは、ひらがなかカタカナで入力してください。"),
    ],
)
def test_each_refusal_has_its_code_and_message(validator, value, code, message):
    with pytest.raises(ValidationError) as caught:
        validator(value)
    assert (caught.value.code, caught.value.messages) == (code, [message])
