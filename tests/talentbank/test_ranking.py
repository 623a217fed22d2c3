import statistics
import time

import pytest
from django.urls import reverse

from bench.talentbank import synthetic_people_create
from kiyose.portal import Role
from talentbank.admin import suggestion_reasons
from talentbank.models import WEIGHT_AREA, WEIGHT_DAYS, WEIGHT_FIELD, WEIGHT_SKILL, Cohort, Graduate, Person

pytestmark = pytest.mark.django_db

MON, WED = 1, 4
AM = 1


@pytest.fixture
def spot(make_spot):
    return make_spot(days=MON | WED, times=AM, area="nakazato", skill_keywords="介護、運転", ways=1)


def test_ranking_orders_by_score_and_explains(make_person, spot):
    best = make_person(
        interests=["福祉・介護"],
        skills="介護の経験",
        qualifications="普通自動車免許・運転歴20年",
        available_days=MON,
        available_times=AM,
        area="nakazato",
        ways=1,
    )
    field_only = make_person(interests=["福祉・介護"])
    skills_only = make_person(interests=["防災"], skills="介護")
    nothing = make_person(interests=["防災"], available_days=64, area="noshio")
    Graduate.objects.create(cohort=Cohort.objects.create(fiscal_year=2025), person=field_only)
    people = Person.objects.suggestions_for(spot)
    assert [p.pk for p in people] == [best.pk, field_only.pk, skills_only.pk]
    assert nothing.pk not in [p.pk for p in people]
    top = people[0]
    assert top.score == WEIGHT_FIELD + 2 * WEIGHT_SKILL + WEIGHT_DAYS + 1 + WEIGHT_AREA + 1
    reasons = suggestion_reasons(spot, top)
    assert any("福祉・介護" in r for r in reasons)
    assert any("「介護」" in r for r in reasons) and any("「運転」" in r for r in reasons)
    assert any("月曜日" in r for r in reasons) and not any("水曜日" in r for r in reasons)
    assert any("中里" in r for r in reasons)
    assert any("SDGs人材" in r for r in suggestion_reasons(spot, people[1]))


def test_ranking_excludes_unconsented_pending_and_already_proposed(make_person, spot):
    from talentbank import services

    no_consent = make_person(interests=["福祉・介護"], partner=False)
    pending = make_person(interests=["福祉・介護"], status="pending", confirmed_at=None)
    proposed = make_person(interests=["福祉・介護"])
    services.match_propose(spot=spot, person=proposed)
    assert Person.objects.suggestions_for(spot) == []
    spot.body_kind = "city"
    assert [p.pk for p in Person.objects.suggestions_for(spot)] == [no_consent.pk]
    assert pending.pk


def test_consent_withdrawn_later_counts(make_person, spot):
    from django.utils import timezone

    from talentbank.models import Consent

    person = make_person(interests=["福祉・介護"])
    Consent.objects.create(
        person=person,
        kind="partner",
        version="2027.1",
        wording="x",
        granted=False,
        recorded_at=timezone.now(),
    )
    assert Person.objects.suggestions_for(spot) == []


@pytest.mark.parametrize("n", [10, 10_000])
def test_suggestion_page_has_fixed_queries(client, make_staff, make_person, spot, django_assert_num_queries, n):
    synthetic_people_create(n)
    client.force_login(make_staff(Role.KYODO))
    url = reverse("admin:talentbank_spot_suggestions", args=[spot.pk])
    client.get(url)
    # 7 for the page, 2 for the staff session (its second-factor device and security stamp, kiyose.staff), and
    # one access-log row each for the spot (its contact person) and the people listed (kiyose.accesslog).
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('name="person"') == (30 if n > 100 else len(response.context["rows"]))


def test_ranking_10000_people_is_one_query_and_fast(spot, django_assert_num_queries):
    synthetic_people_create(10_000)
    with django_assert_num_queries(1):
        people = Person.objects.suggestions_for(spot)
    assert len(people) == 30
    scores = [p.score for p in people]
    assert scores == sorted(scores, reverse=True)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        Person.objects.suggestions_for(spot)
        timings.append(time.perf_counter() - start)
    # The bench holds the 200 ms target; here only a guard against an accidental per-row query.
    assert statistics.median(timings) < 1.0, timings
