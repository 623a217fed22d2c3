"""Every public form of the input → 確認 → 完了 flow keeps its empty form's fields rendered (kiyose.forms.
fields_html): a visitor holding a session — who is never served a whole page from the cache — does not pay
for drawing the form, and what they see is the form a fresh drawing gives."""

import re

import pytest
from django.urls import resolve

from kiyose.forms import ConfirmFlowView
from kiyose.pages import FORM, registry

pytestmark = pytest.mark.django_db


def _flow_forms():
    found = []
    for page in registry(kinds=(FORM,)):
        url = page.sample_url()
        view_class = getattr(resolve(url).func, "view_class", None)
        if view_class is not None and issubclass(view_class, ConfirmFlowView):
            found.append((url, view_class))
    return found


FLOW_FORMS = _flow_forms()


def test_the_check_covers_every_apps_flow_forms():
    apps = {url.strip("/").split("/")[0] for url, _view in FLOW_FORMS}
    assert apps == {"inspections", "sdgs", "certification", "talentbank"}
    assert all(view.fields_template_name and view.page_cache is not None for _url, view in FLOW_FORMS)


def _without_tokens(html: str) -> str:
    return re.sub(r'name="(csrfmiddlewaretoken|_token)" value="[^"]*"', "", html)


@pytest.mark.parametrize(("url", "view_class"), FLOW_FORMS, ids=[url for url, _view in FLOW_FORMS])
def test_the_empty_form_is_drawn_once_and_served_the_same(
    seeded, client, monkeypatch, django_assert_num_queries, url, view_class
):
    built = []
    get_form = view_class.get_form

    def counted(self, *args, **kwargs):
        built.append(url)
        return get_form(self, *args, **kwargs)

    monkeypatch.setattr(view_class, "get_form", counted)
    client.cookies["sessionid"] = "a-visitor-in-the-middle-of-a-form"
    first = client.get(url)
    with django_assert_num_queries(0):  # the fields and the office's details are kept rendered
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert len(built) == 1
    assert _without_tokens(first.content.decode()) == _without_tokens(second.content.decode())
    assert 'name="_token"' in second.content.decode()
