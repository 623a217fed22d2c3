from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from kiyose.models import OutboundMail, TransitionRecord
from kiyose.portal import Role
from kiyose.workflow import TransitionError
from talentbank import services
from talentbank.models import Match, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(make_person, make_spot):
    return services.match_propose(spot=make_spot(), person=make_person(interests=["福祉・介護"]))


def _move(match, to, **data):
    if to == "declined":
        data.setdefault("reason", "都合により")
    return services.match_transition(obj=match, to=to, data=data)


def test_happy_path_stamps_each_step_and_keeps_notes_and_hours(match):
    assert match.status == "proposed"
    match = _move(match, "contacted", note="電話で紹介した")
    assert match.contacted_at is not None
    match = _move(match, "active", note="初回参加")
    assert match.started_at is not None
    match = _move(match, "finished", hours="12.5", note="3か月で終了")
    assert match.ended_at is not None and match.hours == Decimal("12.5")
    assert "電話で紹介した" in match.notes and "初回参加" in match.notes and "3か月で終了" in match.notes
    assert [h.status for h in Match.history.filter(id=match.pk).order_by("history_date")] == [
        "proposed",
        "contacted",
        "active",
        "finished",
    ]
    assert [r.target for r in TransitionRecord.objects.of(match)] == ["contacted", "active", "finished"]


def test_the_table_has_a_way_into_and_out_of_every_state():
    assert services.MATCH_FLOW.problems() == []
    assert services.SPOT_FLOW.problems() == []


@pytest.mark.parametrize("path", [["declined"], ["contacted", "declined"], ["contacted", "active", "declined"]])
def test_decline_from_any_open_step_needs_a_reason(match, path):
    with pytest.raises(TransitionError):
        services.match_transition(obj=match, to="declined", data={})
    for step in path:
        match = _move(match, step)
    assert match.status == "declined" and match.ended_at is not None and "都合により" in match.notes


@pytest.mark.parametrize(
    "start,to",
    [
        ([], "active"),
        ([], "finished"),
        (["contacted"], "finished"),
        (["contacted", "active", "finished"], "active"),
        (["declined"], "contacted"),
        (["contacted"], "proposed"),
        (["contacted"], "contacted"),
    ],
)
def test_illegal_transitions_are_refused(match, start, to):
    for step in start:
        match = _move(match, step)
    with pytest.raises(ValidationError):
        _move(match, to)


def test_a_note_or_hours_without_a_change_of_state(match):
    match = _move(match, "contacted")
    match = services.match_note_add(obj=match, note="再度連絡", hours=Decimal("1"))
    assert match.status == "contacted" and "再度連絡" in match.notes and match.hours == 1


def test_negative_hours_refused(match):
    with pytest.raises(ValidationError):
        services.match_note_add(obj=match, hours=Decimal("-1"))
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


def test_admin_moves_a_match_with_the_buttons_and_pages(client, make_staff, match):
    client.force_login(make_staff(Role.KYODO))
    change = reverse("admin:talentbank_match_change", args=[match.pk])
    page = client.get(change).content.decode()
    contacted = reverse("admin:talentbank_match_transition", args=[match.pk, "contacted"])
    finished = reverse("admin:talentbank_match_transition", args=[match.pk, "finished"])
    assert contacted in page and finished not in page
    assert client.get(contacted).status_code == 200
    response = client.post(contacted, {"note": "団体に連絡"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == "contacted" and "団体に連絡" in match.notes
    client.post(finished, {"note": "", "hours": "0"})
    match.refresh_from_db()
    assert match.status == "contacted"  # not offered: refused with a message


@pytest.mark.parametrize("path", [["contacted", "active", "finished"], ["contacted", "declined"]])
def test_staff_walk_every_match_transition_with_each_forms_example(client, make_staff, match, path):
    client.force_login(make_staff(Role.KYODO))
    for target in path:
        transition = services.MATCH_FLOW.find(match.status, target)
        url = reverse("admin:talentbank_match_transition", args=[match.pk, target])
        assert client.post(url, transition.form.example_data(match)).status_code == 302
        match.refresh_from_db()
        assert match.status == target


@pytest.mark.parametrize("path", [["published", "closed", "published"], ["rejected"]])
def test_staff_walk_every_spot_transition_with_each_forms_example(client, make_staff, make_spot, path, mailoutbox):
    client.force_login(make_staff(Role.KYODO))
    spot = make_spot(status="proposed", published_at=None)
    for target in path:
        transition = services.SPOT_FLOW.find(spot.status, target)
        url = reverse("admin:talentbank_spot_transition", args=[spot.pk, target])
        assert client.get(url).status_code == 200
        assert client.post(url, transition.form.example_data(spot)).status_code == 302
        spot.refresh_from_db()
        assert spot.status == target
    subjects = [m.subject for m in OutboundMail.objects.filter(to=[spot.contact_email])]
    expected = "困りごとスポットを掲載しました" if path[0] == "published" else "困りごとスポットの掲載について"
    assert sum(expected in s for s in subjects) == 1


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
    # Refusing needs a reason: not an action, the transition page.
    assert "reject" not in client.get(url).content.decode().split('name="action"')[1].split("</select>")[0]
