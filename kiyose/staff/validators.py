"""Password strength: Dropbox's zxcvbn estimator (the maintained `zxcvbn` package) beside Django's length,
common-password and similarity validators."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

# zxcvbn refuses longer input (its running time grows with the length): a longer pass phrase is judged on its
# first 72 characters.
MAX_CHECKED_LENGTH = 72


class PasswordStrengthValidator:
    def __init__(self, min_score: int | None = None):
        self.min_score = min_score

    @property
    def score(self) -> int:
        return settings.STAFF_PASSWORD_MIN_SCORE if self.min_score is None else self.min_score

    def validate(self, password, user=None):
        inputs = (
            []
            if user is None
            else [
                str(value)
                for value in (
                    user.get_username(),
                    getattr(user, "first_name", ""),
                    getattr(user, "last_name", ""),
                    getattr(user, "email", ""),
                )
                if value
            ]
        )
        result = zxcvbn(password[:MAX_CHECKED_LENGTH], user_inputs=inputs)
        if result["score"] < self.score:
            raise ValidationError(
                _(
                    "このパスワードは推測されやすいため使用できません。辞書にある単語や名前、日付、キーボードの並び、"
                    "繰り返しを避け、関係のない複数の単語を組み合わせるなどして推測されにくいものにしてください。"
                ),
                code="password_too_weak",
            )

    def get_help_text(self):
        return _("推測されにくいパスワードにしてください（単語・名前・日付・キーボードの並びだけのものは使えません）。")
