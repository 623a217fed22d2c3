"""Matches: 提案 → 連絡済 → 活動中 → 終了 / 辞退, one workflow table; proposing a person for a spot."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiyose.workflow import Transition, Workflow
from talentbank.forms import MatchDeclineForm, MatchFinishForm, MatchNoteForm
from talentbank.models import Consent, Match, Person, Spot

Status = Match.Status


def _append_note(match: Match, label, note: str) -> None:
    if note:
        line = f"[{timezone.localtime():%Y-%m-%d %H:%M} {label}] {note}"
        match.notes = f"{match.notes}\n{line}".strip()


def _step(stamp: str, target):
    def apply(match: Match, data: dict) -> None:
        setattr(match, stamp, timezone.now())
        _append_note(match, target.label, data.get("note") or data.get("reason") or "")
        if data.get("hours") is not None:
            match.hours = data["hours"]

    return apply


MATCH_FLOW = Workflow(
    "talentbank.match",
    model=Match,
    states=Status,
    initial=Status.PROPOSED,
    final=[Status.FINISHED, Status.DECLINED],
    transitions=[
        Transition(
            [Status.PROPOSED], Status.CONTACTED, form=MatchNoteForm, apply=_step("contacted_at", Status.CONTACTED)
        ),
        Transition([Status.CONTACTED], Status.ACTIVE, form=MatchNoteForm, apply=_step("started_at", Status.ACTIVE)),
        Transition([Status.ACTIVE], Status.FINISHED, form=MatchFinishForm, apply=_step("ended_at", Status.FINISHED)),
        Transition(
            [Status.PROPOSED, Status.CONTACTED, Status.ACTIVE],
            Status.DECLINED,
            form=MatchDeclineForm,
            apply=_step("ended_at", Status.DECLINED),
        ),
    ],
)


def match_transition(*, obj: Match, to: str, by=None, data: dict | None = None) -> Match:
    """Move a match one step along MATCH_FLOW (who and when in the transition record)."""
    return MATCH_FLOW.run(obj=obj, to=to, by=by, data=data)


@transaction.atomic
def match_note_add(*, obj: Match, note: str = "", hours: Decimal | None = None) -> Match:
    """A note or the hours without a change of state."""
    match = Match.objects.select_for_update().get(pk=obj.pk)
    _append_note(match, match.get_status_display(), note)
    if hours is not None:
        match.hours = hours
    match.full_clean()
    match.save()
    return match


@transaction.atomic
def match_propose(*, spot: Spot, person: Person, note: str = "") -> Match:
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(_("登録済みの方だけ提案できます。"))
    if spot.body_kind != Spot.BodyKind.CITY:
        latest = person.consents.filter(kind=Consent.Kind.PARTNER).order_by("-recorded_at").first()
        if latest is None or not latest.granted:
            raise ValidationError(
                _("連携団体への連絡先提供に同意していない方は、市役所以外のスポットに提案できません。")
            )
    match = Match(spot=spot, person=person)
    _append_note(match, Status.PROPOSED.label, note)
    match.full_clean()
    match.save()
    return match
