"""The 市民協働課 workflows in the admin: suggestions → proposal, phone confirmation, cohorts."""

import pytest
from django.urls import reverse

from kiyose.portal import Role
from talentbank.models import Cohort, Consent, Graduate, Match, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_staff):
    client.force_login(make_staff(Role.KYODO))
    return client


def test_suggestions_page_proposes_a_person(staff_client, make_person, make_spot):
    person = make_person(interests=["福祉・介護"], name="候補 一子")
    spot = make_spot()
    url = reverse("admin:talentbank_spot_suggestions", args=[spot.pk])
    page = staff_client.get(url).content.decode()
    assert "候補 一子" in page and "関心分野「福祉・介護」" in page
    response = staff_client.post(url, {"person": person.pk}, follow=True)
    assert response.status_code == 200
    assert Match.objects.get().person == person
    assert "候補 一子" not in response.content.decode().split("<table")[1]  # proposed people leave the list
    again = staff_client.post(url, {"person": person.pk}, follow=True)
    assert Match.objects.count() == 1
    assert 'class="error"' in again.content.decode()


def test_spot_change_form_links_to_suggestions(staff_client, make_spot):
    spot = make_spot()
    page = staff_client.get(reverse("admin:talentbank_spot_change", args=[spot.pk])).content.decode()
    assert reverse("admin:talentbank_spot_suggestions", args=[spot.pk]) in page


def test_phone_confirmation_and_withdrawal_actions(staff_client, register):
    person = register(email="")
    url = reverse("admin:talentbank_person_changelist")
    staff_client.post(url, {"action": "confirm_by_phone", "_selected_action": [person.pk]})
    person.refresh_from_db()
    assert person.status == Person.Status.ACTIVE and person.confirm_method == "phone"
    staff_client.post(url, {"action": "withdraw_partner", "_selected_action": [person.pk]})
    latest = Consent.objects.filter(person=person, kind="partner").latest("recorded_at")
    assert latest.granted is False


def test_cohort_with_graduates(staff_client, make_person):
    person = make_person()
    response = staff_client.post(
        reverse("admin:talentbank_cohort_add"),
        {
            "fiscal_year": "2025",
            "name": "SDGs人材育成越境学習プログラム",
            "participants": "16",
            "completed": "12",
            "note": "",
            "graduates-TOTAL_FORMS": "1",
            "graduates-INITIAL_FORMS": "0",
            "graduates-MIN_NUM_FORMS": "0",
            "graduates-MAX_NUM_FORMS": "1000",
            "graduates-0-person": str(person.pk),
            "graduates-0-completed_on": "2026-01-31",
        },
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get()
    assert cohort.participants == 16 and cohort.completed == 12 and Graduate.objects.get().person == person
    changelist = staff_client.get(reverse("admin:talentbank_cohort_changelist")).content.decode()
    assert "令和7年度" in changelist


def test_person_changelist_and_search(staff_client, make_person):
    make_person(name="検索 花子", skills="手話")
    page = staff_client.get(reverse("admin:talentbank_person_changelist"), {"q": "手話"}).content.decode()
    assert "検索 花子" in page


@pytest.mark.parametrize("pk", ["99999999999999999999999", "0"])
def test_bad_ids_are_404_not_500(staff_client, make_spot, pk):
    assert staff_client.get(f"/admin/talentbank/person/{pk}/export/").status_code == 404
    assert staff_client.get(f"/admin/talentbank/spot/{pk}/suggestions/").status_code == 404
    spot = make_spot()
    url = reverse("admin:talentbank_spot_suggestions", args=[spot.pk])
    assert staff_client.post(url, {"person": pk}).status_code == 404
    assert staff_client.post(url, {"person": "x"}).status_code == 404


def test_person_and_spot_pages_list_their_matches(staff_client, make_person, make_spot):
    from talentbank import services

    person, spot = make_person(name="マッチ 花子"), make_spot(title="草刈りの手伝い")
    services.match_propose(spot=spot, person=person)
    person_page = staff_client.get(reverse("admin:talentbank_person_change", args=[person.pk])).content.decode()
    spot_page = staff_client.get(reverse("admin:talentbank_spot_change", args=[spot.pk])).content.decode()
    assert "草刈りの手伝い" in person_page
    assert "マッチ 花子" in spot_page
