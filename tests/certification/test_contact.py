"""未来創造課's contact block on the scheme's top page (the form, its enquiries and the block's link to the form
are checked for every area in tests/kiyose/test_enquiries.py)."""

import pytest

from kiyose.models import Office

pytestmark = pytest.mark.django_db


def test_the_schemes_page_prints_what_staff_entered_and_no_address_of_its_own(client):
    Office.objects.filter(key="mirai").update(phone="042-000-0000")
    html = client.get("/certification/").content.decode()
    assert "042-000-0000" in html
    # No address the city's documents do not give.
    assert "mirai@city.kiyose.lg.jp" not in html
