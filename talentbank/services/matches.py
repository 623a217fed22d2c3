"""Matches: 提案 → 連絡済 → 活動中 → 終了 / 辞退, explicit transitions only."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentbank.models import Consent, Match, Person, Spot

TRANSITIONS = {
    Match.Status.PROPOSED: {Match.Status.CONTACTED, Match.Status.DECLINED},
    Match.Status.CONTACTED: {Match.Status.ACTIVE, Match.Status.DECLINED},
    Match.Status.ACTIVE: {Match.Status.FINISHED, Match.Status.DECLINED},
    Match.Status.FINISHED: set(),
    Match.Status.DECLINED: set(),
}


def match_next_statuses(match: Match) -> list[str]:
    return [s for s in Match.Status.values if s in TRANSITIONS[match.status]]


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
    match = Match(spot=spot, person=person, notes=note)
    match.full_clean()
    match.save()
    return match


@transaction.atomic
def match_transition(*, match: Match, to: str, note: str = "", hours: Decimal | None = None) -> Match:
    """Move a match one step along 提案 → 連絡済 → 活動中 → 終了 / 辞退, keeping notes and hours."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if to != match.status and to not in TRANSITIONS[match.status]:
        raise ValidationError(
            _("「%(from)s」から「%(to)s」には進められません。")
            % {"from": match.get_status_display(), "to": Match.Status(to).label}
        )
    now = timezone.now()
    stamp = {
        Match.Status.CONTACTED: "contacted_at",
        Match.Status.ACTIVE: "started_at",
        Match.Status.FINISHED: "ended_at",
        Match.Status.DECLINED: "ended_at",
    }
    if to != match.status:
        setattr(match, stamp[to], now)
        match.status = to
    if note:
        line = f"[{timezone.localtime(now):%Y-%m-%d %H:%M} {Match.Status(to).label}] {note}"
        match.notes = f"{match.notes}\n{line}".strip()
    if hours is not None:
        match.hours = hours
    match.full_clean()
    match.save()
    return match
