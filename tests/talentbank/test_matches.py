from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from kiyose.portal import Role
from talentbank import services
from talentbank.models import Match, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(make_person, make_spot):
    return services.match_propose(spot=make_spot(), person=make_person(interests=["福祉・介護"]))


def test_happy_path_stamps_each_step_and_keeps_notes_and_hours(match):
    assert match.status == "proposed"
    match = services.match_transition(match=match, to="contacted", note="電話で紹介した")
    assert match.contacted_at is not None
    match = services.match_transition(match=match, to="active", note="初回参加")
    assert match.started_at is not None
    match = services.match_transition(match=match, to="finished", hours=Decimal("12.5"), note="3か月で終了")
    assert match.ended_at is not None and match.hours == Decimal("12.5")
    assert "電話で紹介した" in match.notes and "初回参加" in match.notes and "3か月で終了" in match.notes
    assert [h.status for h in Match.history.filter(id=match.pk).order_by("history_date")] == [
        "proposed",
        "contacted",
        "active",
        "finished",
    ]


@pytest.mark.parametrize(
    "path", [["declined"], ["contacted", "declined"], ["contacted", "active", "declined"]]
)
def test_decline_from_any_open_step(match, path):
    for step in path:
        match = services.match_transition(match=match, to=step)
    assert match.status == "declined" and match.ended_at is not None


@pytest.mark.parametrize(
    "start,to",
    [
        ([], "active"),
        ([], "finished"),
        (["contacted"], "finished"),
        (["contacted", "active", "finished"], "active"),
        (["declined"], "contacted"),
        (["contacted"], "proposed"),
    ],
)
def test_illegal_transitions_are_refused(match, start, to):
    for step in start:
        match = services.match_transition(match=match, to=step)
    with pytest.raises(ValidationError):
        services.match_transition(match=match, to=to)


def test_same_status_only_adds_notes_and_hours(match):
    match = services.match_transition(match=match, to="contacted")
    match = services.match_transition(match=match, to="contacted", note="再度連絡", hours=Decimal("1"))
    assert match.status == "contacted" and "再度連絡" in match.notes and match.hours == 1


def test_negative_hours_refused(match):
    with pytest.raises(ValidationError):
        services.match_transition(match=match, to="contacted", hours=Decimal("-1"))
    with pytest.raises(IntegrityError):
        Match.objects.filter(pk=match.pk).update(hours=Decimal("-1"))


def test_one_match_per_person_and_spot(match):
    with pytest.raises(ValidationError):
        services.match_propose(spot=match.spot, person=match.person)


def test_partner_spot_needs_partner_consent(make_person, make_spot):
    person = make_person(partner=False)
    with pytest.raises(ValidationError):
        services.match_propose(spot=make_spot(), person=person)
    services.match_propose(spot=make_spot(body_kind="city", body_name="清瀬市 環境課"), person=person)


def test_pending_person_cannot_be_proposed(make_person, make_spot):
    person = make_person(status=Person.Status.PENDING, confirmed_at=None)
    with pytest.raises(ValidationError):
        services.match_propose(spot=make_spot(), person=person)


def test_admin_moves_a_match_through_the_service(client, make_staff, match):
    client.force_login(make_staff(Role.KYODO))
    url = reverse("admin:talentbank_match_change", args=[match.pk])
    page = client.get(url).content.decode()
    assert 'value="contacted"' in page and 'value="finished"' not in page
    response = client.post(url, {"next_status": "contacted", "note": "団体に連絡", "hours": "0"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == "contacted" and "団体に連絡" in match.notes
    response = client.post(url, {"next_status": "finished", "note": "", "hours": "0"})
    assert response.status_code == 200  # not offered: the form refuses it
    match.refresh_from_db()
    assert match.status == "contacted"


def test_admin_add_match_proposes(client, make_staff, make_person, make_spot):
    client.force_login(make_staff(Role.KYODO))
    person, spot = make_person(), make_spot()
    response = client.post(
        reverse("admin:talentbank_match_add"),
        {"spot": spot.pk, "person": person.pk, "note": "候補として提案"},
    )
    assert response.status_code == 302
    match = Match.objects.get()
    assert match.status == "proposed" and "候補として提案" in match.notes


def test_admin_spot_actions_publish_and_close(client, make_staff, make_spot):
    client.force_login(make_staff(Role.KYODO))
    spot = make_spot(status="proposed", published_at=None)
    url = reverse("admin:talentbank_spot_changelist")
    client.post(url, {"action": "publish", "_selected_action": [spot.pk]})
    spot.refresh_from_db()
    assert spot.status == "published" and spot.published_at
    client.post(url, {"action": "close", "_selected_action": [spot.pk]})
    spot.refresh_from_db()
    assert spot.status == "closed"
    client.post(url, {"action": "reject", "_selected_action": [spot.pk]})
    spot.refresh_from_db()
    assert spot.status == "closed"
