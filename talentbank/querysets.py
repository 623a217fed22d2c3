"""Reads, named after the question. The ranking of people for a spot is one SQL query: every criterion is an
annotation, so 10,000 registrations are scored by the database and only the top few reach Python."""

from datetime import datetime

from django.apps import apps
from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, Value, When

# Points per criterion; the suggestion page explains each point it gives.
WEIGHT_FIELD = 5
WEIGHT_SKILL = 3
WEIGHT_DAYS = 2
WEIGHT_TIMES = 1
WEIGHT_AREA = 2
WEIGHT_WAYS = 1
WEIGHT_GRADUATE = 1


def _model(name):
    return apps.get_model("talentbank", name)


def _points(condition: Q, weight: int) -> Case:
    return Case(When(condition, then=Value(weight)), default=Value(0), output_field=models.IntegerField())


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

    def pending(self):
        return self.filter(status="pending")

    def ever_registered(self):
        """Registrations ever completed, erased ones included: the KPI is cumulative (累計)."""
        return self.filter(confirmed_at__isnull=False)

    def not_renewed_since(self, cutoff: datetime):
        return self.active().filter(renewed_at__lt=cutoff)

    def due_for_notice(self, cutoff: datetime):
        return self.not_renewed_since(cutoff).filter(retention_notice_at__isnull=True)

    def due_for_erasure(self, cutoff: datetime, notice_cutoff: datetime):
        return self.not_renewed_since(cutoff).filter(retention_notice_at__lt=notice_cutoff)

    def unconfirmed_before(self, cutoff: datetime):
        return self.pending().filter(registered_at__lt=cutoff)

    def suggestions_for(self, spot, *, limit: int = 30):
        """Active people ranked for `spot`, best first, with one annotation per criterion for the reasons.

        Each set test is `pk IN (subquery)` rather than a correlated EXISTS: the database builds the set once
        (a hashed subplan) instead of probing an index for each of 10,000 rows."""
        through = _model("Person").fields.through
        qs = self.active().annotate(
            has_field=ExpressionWrapper(
                Q(pk__in=through.objects.filter(field_id=spot.field_id).values("person_id")),
                output_field=models.BooleanField(),
            ),
            is_graduate=ExpressionWrapper(
                Q(pk__in=_model("Graduate").objects.values("person_id")), output_field=models.BooleanField()
            ),
            day_overlap=ExpressionWrapper(
                F("available_days").bitand(spot.days or 0), output_field=models.IntegerField()
            ),
            time_overlap=ExpressionWrapper(
                F("available_times").bitand(spot.times or 0), output_field=models.IntegerField()
            ),
            way_overlap=ExpressionWrapper(
                F("ways").bitand(spot.ways or 0), output_field=models.IntegerField()
            ),
        )
        qs = qs.exclude(pk__in=_model("Match").objects.filter(spot_id=spot.pk).values("person_id"))
        if spot.body_kind != "city":
            # Contact details go to a partner body only with that consent.
            qs = qs.filter(pk__in=partner_consenting_ids())
        score = (
            _points(Q(has_field=True), WEIGHT_FIELD)
            + _points(Q(day_overlap__gt=0), WEIGHT_DAYS)
            + _points(Q(time_overlap__gt=0), WEIGHT_TIMES)
            + _points(Q(way_overlap__gt=0), WEIGHT_WAYS)
            + _points(Q(is_graduate=True), WEIGHT_GRADUATE)
        )
        if spot.area and spot.area != "outside":
            score = score + _points(Q(area=spot.area), WEIGHT_AREA)
        keyword_names = []
        for index, keyword in enumerate(spot.keywords):
            name = f"skill_{index}"
            keyword_names.append((name, keyword))
            qs = qs.annotate(
                **{
                    name: _points(
                        Q(skills__icontains=keyword) | Q(qualifications__icontains=keyword), WEIGHT_SKILL
                    )
                }
            )
            score = score + F(name)
        qs = qs.annotate(score=ExpressionWrapper(score, output_field=models.IntegerField()))
        qs = qs.filter(score__gt=0).order_by("-score", "-renewed_at", "pk")
        qs = qs.only(
            "pk", "name", "furigana", "area", "available_days", "available_times", "ways", "renewed_at"
        )
        people = list(qs[:limit])
        for person in people:
            person.skill_hits = [kw for name, kw in keyword_names if getattr(person, name)]
        return people


def partner_consenting_ids():
    """People whose latest answer on passing contact to a partner body is yes."""
    consent = _model("Consent").objects
    later = consent.filter(
        person_id=OuterRef("person_id"), kind="partner", recorded_at__gt=OuterRef("recorded_at")
    )
    return consent.filter(kind="partner", granted=True).exclude(Exists(later)).values("person_id")


class SpotQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(status="published").filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day))

    def awaiting_review(self):
        return self.filter(status="proposed")


class MatchQuerySet(models.QuerySet):
    def started(self):
        """Matches that turned into activity (活動中 or 終了): what 'matched' means in the KPI."""
        return self.filter(status__in=["active", "finished"])

    def care_people_count(self) -> int:
        return self.started().filter(spot__body_kind="care").values("person_id").distinct().count()
