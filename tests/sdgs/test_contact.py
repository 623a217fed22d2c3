"""未来創造課's contact block on the SDGs pages beyond the top one, each linking /sdgs/contact/ (the form itself, its
enquiries and the top page are checked for every area in tests/kiyose/test_enquiries.py)."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_live_sources")]


@pytest.mark.parametrize("name", ["sdgs:method", "sdgs:plan"])
def test_each_page_names_mirai_and_links_to_its_form(client, seeded, name):
    text = client.get(reverse(name)).content.decode()
    assert 'href="/sdgs/contact/"' in text and "お問い合わせは専用フォームをご利用ください。" in text
    assert "未来創造課" in text


def test_the_kpi_page_names_mirai_and_links_to_its_form(client, seeded):
    text = client.get(reverse("sdgs:kpi_detail", args=["EC-02"])).content.decode()
    assert 'href="/sdgs/contact/"' in text and "未来創造課" in text
