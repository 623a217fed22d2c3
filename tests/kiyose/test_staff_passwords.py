"""Staff passwords: at least 12 characters, not a common password, and strong by the zxcvbn estimator; every
message in Japanese, at the field."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def _messages(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize("password", ["aaaaaaaaaaaaaa", "qwertyuiop1234", "sakura1990041"])
def test_guessable_passwords_of_twelve_characters_are_refused_in_japanese(password):
    messages = _messages(password)
    assert any("推測されやすいため使用できません" in m for m in messages), messages


def test_a_common_password_is_refused_in_japanese():
    assert any("一般的" in m for m in _messages("password1234"))


def test_a_short_password_is_refused_in_japanese():
    assert any("短すぎます" in m and "12" in m for m in _messages("Kq7#vz!Lp2"))


@pytest.mark.django_db
def test_the_staff_members_own_name_does_not_make_a_strong_password(make_staff):
    user = make_staff("議会事務局", username="tanaka-ichiro")
    user.first_name, user.last_name, user.email = "ichiro", "tanaka", "tanaka.ichiro@city.kiyose.lg.jp"
    assert _messages("tanaka-ichiro-1975") == []  # strong for a stranger
    assert any("推測されやすいため使用できません" in m for m in _messages("tanaka-ichiro-1975", user))


def test_a_long_unrelated_phrase_passes():
    assert _messages("sakura-yanagisawa-river-tea") == []


def test_a_pass_phrase_past_zxcvbns_limit_is_judged_not_refused():
    assert _messages("sakura-yanagisawa-river-tea-" * 10) == []


@pytest.mark.django_db
def test_the_admin_password_form_shows_the_strength_message_at_the_field(client, make_staff):
    client.force_login(make_staff("議会事務局", username="clerk"))
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": "correct-horse-battery-42",
            "new_password1": "aaaaaaaaaaaaaa",
            "new_password2": "aaaaaaaaaaaaaa",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert any("推測されやすいため使用できません" in e for e in errors)
    assert "推測されにくいパスワードにしてください" in response.content.decode()
