import pytest
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import RequestFactory

from kiyose.pagecache import PageCache

rf = RequestFactory()


@pytest.fixture
def counted_view():
    calls = []
    page_cache = PageCache("test", watch=["auth.Group"])

    def view(request):
        calls.append(request.path)
        return HttpResponse(f"render {len(calls)}", content_type="text/html; charset=utf-8")

    return page_cache, page_cache.page(view, params=("page",)), calls


def test_anonymous_visitors_share_one_rendering(counted_view):
    _, view, calls = counted_view
    first, second = view(rf.get("/p/")), view(rf.get("/p/"))
    assert first.content == second.content == b"render 1"
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert len(calls) == 1
    view(rf.get("/p/?page=2"))
    assert len(calls) == 2


def test_parameters_the_page_does_not_read_share_the_entry(counted_view):
    _, view, calls = counted_view
    view(rf.get("/p/?page=2"))
    view(rf.get("/p/?page=2&utm_source=mail"))
    view(rf.get("/p/?utm_campaign=x&page=2&fbclid=123"))
    view(rf.get("/p/?page=%202%20"))
    assert len(calls) == 1


def test_visitors_with_a_session_are_never_served_from_the_cache(counted_view):
    _, view, calls = counted_view
    view(rf.get("/p/"))
    with_session = rf.get("/p/")
    with_session.COOKIES["sessionid"] = "abc"
    assert view(with_session).content == b"render 2"


@pytest.mark.django_db
def test_a_write_to_a_watched_model_renews_the_pages(counted_view, django_capture_on_commit_callbacks):
    page_cache, view, calls = counted_view
    page_cache.connect()
    view(rf.get("/p/"))
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.create(name="臨時")
    assert view(rf.get("/p/")).content == b"render 2"


def test_responses_that_set_cookies_are_not_stored(counted_view):
    page_cache = PageCache("cookies", watch=[])

    @page_cache.page
    def view(request):
        response = HttpResponse("x")
        response.set_cookie("flavour", "matcha")
        return response

    view(rf.get("/c/"))
    assert view(rf.get("/c/")).cookies["flavour"].value == "matcha"
