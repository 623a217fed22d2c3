import pytest


@pytest.mark.django_db
def test_home_page_is_japanese_and_links_the_four_services(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # the footer's contact block
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in html
    assert "<title>ホーム｜清瀬市 議会・市役所ポータル</title>" in html
    for href in ('href="/inspections/"', 'href="/sdgs/"', 'href="/certification/"', 'href="/talentbank/"'):
        assert href in html
    assert 'href="#main"' in html and 'id="main"' in html
    # The footer is the city hall's general block; the council office's block is on the inspections page.
    assert "清瀬市役所" in html and "〒204-8511" in html and "042-492-5111" in html
    assert "042-497-2566" not in html and "042-495-1189" not in html


@pytest.mark.django_db
def test_an_office_edit_shows_at_once(client):
    from kiyose.models import Office

    client.get("/")
    office = Office.objects.get(key="cityhall")
    office.hours = "8:30〜17:15"
    office.save()
    assert "8:30〜17:15" in client.get("/").content.decode()


@pytest.mark.django_db
def test_responses_carry_a_content_security_policy(client):
    csp = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.django_db
def test_unknown_page_gets_the_japanese_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()
