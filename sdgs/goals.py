"""The 17 Sustainable Development Goals, once for the whole portal: number, name and the UN colour, read from
sdgs/data/kpis.toml (the same data the Goal table is seeded from). Feature apps take the goals from here; it
costs no query, so forms and PDFs can use it freely.

    from sdgs.goals import GOALS, goal_label
    GOALS[11].name, GOALS[11].color  → "住み続けられるまちづくりを", "#FD9D24"
"""

from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sdgs.seed import read_data


@dataclass(frozen=True)
class SdgGoal:
    number: int
    name: str
    color: str

    @property
    def label(self) -> str:
        return f"{self.number}. {self.name}"


@cache
def _goals() -> dict[int, SdgGoal]:
    return {
        int(g["number"]): SdgGoal(int(g["number"]), g["name"], g["color"])
        for g in sorted(read_data()["goals"], key=lambda g: int(g["number"]))
    }


class _Goals:
    """A read-only mapping number → SdgGoal, loaded on first use."""

    def __getitem__(self, number: int) -> SdgGoal:
        return _goals()[int(number)]

    def __contains__(self, number) -> bool:
        return isinstance(number, int) and number in _goals()

    def __iter__(self):
        return iter(_goals())

    def __len__(self) -> int:
        return len(_goals())

    def values(self):
        return _goals().values()

    def items(self):
        return _goals().items()


GOALS = _Goals()


def goal_label(number: int) -> str:
    return GOALS[number].label


def goal_choices() -> list[tuple[str, str]]:
    return [(str(g.number), g.label) for g in GOALS.values()]


def validate_goal_numbers(value) -> None:
    if not isinstance(value, list) or not all(isinstance(g, int) and g in GOALS for g in value):
        raise ValidationError(_("SDGsのゴール番号は1〜17の数字のリストで入力してください（例：[7, 12, 13]）。"))
