"""{% office_of "<app>" as office %}: the office answering for an area, for sentences that quote one detail."""

import pytest
from django.template import Context, Template

from kiyose.models import Office

pytestmark = pytest.mark.django_db


def render(source: str) -> str:
    return Template(source).render(Context())


def test_the_area_office_and_the_city_hall_without_an_app():
    assert render('{% office_of "inspections" as o %}{{ o.phone }}') == "042-497-2566"
    assert render('{% office_of "talentbank" as o %}{{ o.section }}') == "市民協働課"
    assert render("{% office_of as o %}{{ o.name }}") == "清瀬市役所"


def test_a_missing_office_is_none_and_prints_nothing():
    Office.objects.filter(key="council").delete()
    assert render('{% office_of "inspections" as o %}[{{ o.phone }}]{% if not o %}none{% endif %}') == "[]none"
