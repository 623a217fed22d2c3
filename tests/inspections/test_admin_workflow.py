"""Every staff transition of the request workflow through the admin's buttons and pages, filled with each form's
example data (what the kit's generic walk does), and the table itself complete."""

import pytest
from django.urls import reverse

from inspections.models import Request, Status
from inspections.services.requests import REQUEST_FLOW
from kiyose.models import TransitionRecord
from kiyose.workflow import STAFF, VISITOR
from tests.inspections.factories import submitted

pytestmark = pytest.mark.django_db


def test_the_table_has_a_way_into_and_out_of_every_state():
    assert REQUEST_FLOW.problems() == []
    withdraw = REQUEST_FLOW.find(Status.ACCEPTED, Status.WITHDRAWN)
    assert set(withdraw.actors) == {STAFF, VISITOR}
    # While open only: a finished request cannot be withdrawn by anyone.
    assert REQUEST_FLOW.find(Status.COMPLETED, Status.WITHDRAWN) is None


@pytest.mark.parametrize(
    "path",
    [
        [Status.COORDINATING, Status.ACCEPTED, Status.DOCUMENTS],
        [Status.COORDINATING, Status.DECLINED],
        [Status.COORDINATING, Status.ACCEPTED, Status.WITHDRAWN],
        [Status.WITHDRAWN],
    ],
)
def test_staff_walk_the_workflow_with_the_buttons_and_pages(client, make_staff, path):
    client.force_login(make_staff("議会事務局"))
    obj = submitted()
    for target in path:
        change = client.get(reverse("admin:inspections_request_change", args=[obj.pk])).content.decode()
        url = reverse("admin:inspections_request_transition", args=[obj.pk, target])
        assert url in change
        assert client.get(url).status_code == 200
        transition = REQUEST_FLOW.find(obj.status, target)
        response = client.post(url, transition.form.example_data(obj))
        assert response.status_code == 302, response.content.decode()[:2000]
        obj = Request.objects.get(pk=obj.pk)
        assert obj.status == target
    record = TransitionRecord.objects.of(obj).last()
    assert record.target == path[-1] and record.by.username.startswith("staff")


def test_the_accept_page_shows_how_each_preferred_date_stands(client, make_staff):
    client.force_login(make_staff("議会事務局"))
    obj = submitted()
    client.post(
        reverse("admin:inspections_request_transition", args=[obj.pk, "coordinating"]), {"department": "企画課"}
    )
    text = client.get(reverse("admin:inspections_request_transition", args=[obj.pk, "accepted"])).content.decode()
    assert "希望日の受け入れ状況" in text and "第1希望" in text
    assert f'value="{obj.preferred_date_1.isoformat()}"' in text


def test_the_fiscal_year_filter_takes_only_a_year(client, make_staff):
    client.force_login(make_staff("議会事務局"))
    submitted()
    url = reverse("admin:inspections_request_changelist")
    for value in ("2026", "２０２６", "²⁰²⁶", "9" * 40, "x", "-1"):
        assert client.get(url, {"fy": value}).status_code == 200
    month = reverse("admin:inspections_request_calendar")
    for value in ("2027-01", "２０２７-０１", "9" * 40, "2027-13"):
        assert client.get(month, {"month": value}).status_code == 200
