import re
import uuid
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.talentbank import synthetic_people_create
from talentbank.models import Person, Spot
from tests.conftest import has_control

pytestmark = pytest.mark.django_db


@pytest.fixture
def lots(fields):
    synthetic_people_create(500)
    Spot.objects.bulk_create(
        [
            Spot(
                title=f"スポット{i}",
                body_name="団体",
                body_kind="npo",
                field=fields["防災"],
                needed="n",
                when_text="w",
                place="p",
                headcount=1,
                status="published",
                published_at=timezone.now(),
            )
            for i in range(300)
        ]
    )


@pytest.mark.parametrize(
    "name,queries",
    [
        # Each includes two queries for the contact blocks (市民協働課's on the page, the city hall's in the footer).
        ("talentbank:index", 3),
        ("talentbank:register", 3),
        ("talentbank:spots", 5),
        # The 分野 select's choices are read once while the form is first built (kept on the field for the
        # empty-choice check and the drawing); later visitors get the built fields from the page cache.
        ("talentbank:spot_propose", 3),
    ],
)
def test_public_pages_have_fixed_query_counts(client, lots, django_assert_num_queries, name, queries):
    with django_assert_num_queries(queries):
        response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "name", ["talentbank:index", "talentbank:register", "talentbank:spots", "talentbank:spot_propose"]
)
def test_public_pages_served_from_cache_need_no_query(client, lots, django_assert_num_queries, name):
    first = client.get(reverse(name)).content.decode()
    # Read pages come whole from the page cache; form pages render around their kept fields and contact blocks.
    with django_assert_num_queries(0):
        second = client.get(reverse(name))
    # Same page apart from the per-request tokens (CSRF, submission).
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", second.content.decode()) == strip.sub("", first)


def test_cache_follows_staff_changes(client, lots, fields, make_spot):
    url = reverse("talentbank:spots")
    assert "新しく公開したスポット" not in client.get(url).content.decode()
    spot = make_spot(title="新しく公開したスポット")
    assert "新しく公開したスポット" in client.get(url).content.decode()
    spot.status = Spot.Status.CLOSED
    spot.save()
    assert "新しく公開したスポット" not in client.get(url).content.decode()
    field = fields["防災"]
    field.name = "防災・減災"
    field.save()
    assert "防災・減災" in client.get(reverse("talentbank:register")).content.decode()
    assert "防災・減災" in client.get(reverse("talentbank:index")).content.decode()


def test_spots_page_with_filter_and_last_page(client, lots, fields, django_assert_num_queries):
    with django_assert_num_queries(5):  # 3 + the two contact blocks
        response = client.get(reverse("talentbank:spots"), {"field": fields["防災"].pk, "page": "999"})
    assert response.status_code == 200 and "15 / 15ページ" in response.content.decode()


def test_a_wrong_link_costs_one_lookup_and_is_a_404(client, db, django_assert_num_queries):
    with django_assert_num_queries(2):  # the lookup by hash, the 404 page's footer
        assert client.get(reverse("talentbank:me", args=["a" * 20])).status_code == 404


def test_public_pages_show_no_registered_person(client, lots):
    names = set(Person.objects.values_list("email", flat=True)[:50])
    for name in ("talentbank:index", "talentbank:spots", "talentbank:register", "talentbank:spot_propose"):
        body = client.get(reverse(name)).content.decode()
        assert not any(n in body for n in names)
        assert "合成データ" not in body


text = st.text(max_size=300)
REG_FIELDS = [
    "name",
    "furigana",
    "age_band",
    "area",
    "email",
    "phone",
    "skills",
    "qualifications",
    "availability_note",
    "consent_retain",
    "consent_share",
    "consent_partner",
    "website",
    "_token",
]
MULTI = ["relation", "interests", "available_days", "available_times", "ways"]
HYP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@HYP
@given(
    values=st.fixed_dictionaries({k: text for k in REG_FIELDS}),
    multi=st.fixed_dictionaries({k: st.lists(text, max_size=3) for k in MULTI}),
    step=st.sampled_from(["input", "confirm", "back", "", "x"]),
)
def test_registration_never_500(client, fields, values, multi, step):
    response = client.post(reverse("talentbank:register"), {**values, **multi, "_step": step})
    assert response.status_code in (200, 302, 400, 429)


SPOT_FIELDS = [
    "body_name",
    "body_kind",
    "field",
    "title",
    "needed",
    "skill_keywords",
    "when_text",
    "place",
    "area",
    "headcount",
    "closes_on",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "_token",
]


@HYP
@given(
    values=st.fixed_dictionaries({k: text for k in SPOT_FIELDS}),
    multi=st.fixed_dictionaries({k: st.lists(text, max_size=3) for k in ["days", "times", "ways"]}),
    step=st.sampled_from(["input", "confirm", "back"]),
)
def test_spot_proposal_never_500(client, fields, values, multi, step):
    response = client.post(reverse("talentbank:spot_propose"), {**values, **multi, "_step": step})
    assert response.status_code in (200, 302, 400, 429)


@HYP
@given(field=text, page=text, token=st.text(min_size=1, max_size=200).filter(lambda s: "/" not in s))
def test_spots_and_links_never_500(client, fields, field, page, token):
    expected = 400 if has_control(field, page) else 200
    assert client.get(reverse("talentbank:spots"), {"field": field, "page": page}).status_code == expected
    # A token that is not one (or one nobody was given) never reaches a service: 404 (400 for a path with
    # control characters, refused before routing).
    for prefix in ("/talentbank/confirm/", "/talentbank/renew/"):
        assert client.post(prefix + quote(token, safe="") + "/").status_code in (400, 404)
    assert client.get("/talentbank/me/" + quote(token, safe="") + "/").status_code in (400, 404)


@HYP
@given(name=st.text(min_size=1, max_size=100), furigana=st.text(max_size=100), phone=st.text(max_size=30))
def test_valid_looking_registration_round_trips_or_is_refused_at_the_field(client, fields, name, furigana, phone):
    data = {
        "name": name,
        "furigana": furigana,
        "age_band": "30s",
        "relation": ["lives"],
        "phone": phone,
        "interests": [str(fields["防災"].pk)],
        "ways": ["1"],
        "consent_retain": "on",
        "_token": str(uuid.uuid4()),
        "_step": "confirm",
    }
    response = client.post(reverse("talentbank:register"), data)
    assert response.status_code in (200, 302, 400)
    if response.status_code == 200:
        assert "入力内容に誤りがあります" in response.content.decode()


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "0", "1e3", "１", "²", "1 OR 1=1"])
def test_out_of_range_choices_are_field_errors(client, fields, value):
    wrong = "選択肢の中から選んでください"
    reg = client.post(reverse("talentbank:register"), {"interests": [value], "_step": "input"})
    assert reg.status_code == 200 and wrong in reg.content.decode()
    spot = client.post(reverse("talentbank:spot_propose"), {"field": value, "headcount": value, "_step": "input"})
    assert spot.status_code == 200 and wrong in spot.content.decode()
    assert client.get(reverse("talentbank:spots"), {"field": value, "page": value}).status_code == 200
