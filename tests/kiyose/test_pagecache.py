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


@pytest.mark.django_db
def test_a_download_is_built_once_per_data_version_and_keeps_its_headers(django_capture_on_commit_callbacks):
    page_cache = PageCache("downloads", watch=["auth.Group"])
    page_cache.connect()
    builds = []
    start = Group.objects.count()

    def build():
        builds.append(1)
        response = HttpResponse(
            f"名前\n{Group.objects.count() - start}件\n".encode(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = "attachment; filename=list.csv"
        response["X-Not-Kept"] = "1"
        return response

    first = page_cache.download("list", build=build)
    second = page_cache.download("list", build=build)
    assert first.content == second.content == "名前\n0件\n".encode()
    assert second["Content-Type"] == "text/csv; charset=utf-8"
    assert second["Content-Disposition"] == "attachment; filename=list.csv"
    assert not second.has_header("X-Not-Kept")
    assert len(builds) == 1
    assert page_cache.download("list", "other", build=build) and len(builds) == 2
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.create(name="臨時")
    assert page_cache.download("list", build=build).content == "名前\n1件\n".encode()
