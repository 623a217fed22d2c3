"""Hostile input on every declared public page (kiyose.pages): query parameters declared and not, path
parameters of every converter, posts to every form page. Whatever arrives, the portal answers below 500, and a
4xx is one of its own Japanese error pages (or, for a data feed, a JSON answer), never Django's English stock.

The example budget is fixed and the search derandomized, so a run takes the same inputs and time every time."""

import json
import re

import pytest
from django.urls.converters import get_converters
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiyose.pages import FORM
from tests.kiyose.registry_support import public_pages

pytestmark = pytest.mark.django_db

BUDGET = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What people and robots send: control characters and NUL, digits that str.isdigit() accepts and int() may
# not, numbers past every column, impossible dates, markup and SQL, paths out of the tree.
HOSTILE = [
    "\x00",
    "a\x00b",
    "\x1b[2J",
    "\r\n",
    "\x7f",
    "\u200b",
    "\ufeff",
    "²⁰²⁶",
    "２０２６",
    "٢٠٢٦",
    "۲۰۲۶",
    "१२",
    "𝟚𝟘𝟚𝟞",
    "Ⅻ",
    "½",
    "9" * 40,
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "2" * 5000,
    str(2**63),
    "0x10",
    "2027-02-30",
    "2027-13",
    "0000-00-00",
    "9999-12-31",
    "2027-1-1",
    "令和9年1月1日",
    "2027/02/28",
    "' OR 1=1 --",
    "'; DROP TABLE inspections_request; --",
    "<script>alert(1)</script>",
    '"><img src=x>',
    "{{ settings.SECRET_KEY }}",
    "%s%s%n",
    "../../../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "/\\evil.example",
    "あ" * 3000,
    "🌻",
    "ｱｲｳ",
    "",
    " ",
    "[]",
    "{}",
    "true",
]
TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(str),
    st.text(alphabet="0123456789０１２３٠١٢", min_size=1, max_size=12),
)
# Parameter names nobody declared, beside each page's own.
UNDECLARED = ["utm_source", "page", "id", "q", "year", "month", "date", "step", "format", "\x00", "名前", "a" * 300]

ERROR_TITLES = {
    400: "不正なリクエストです",
    403: "アクセス権限がありません",
    404: "ページが見つかりません",
    405: "この方法ではご利用いただけません",
}
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def assert_portal_answer(response):
    status = response.status_code
    assert status < 500, f"{status} for {response.request}"
    if status < 400:
        return
    content_type = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace")
    if content_type.startswith("application/json"):
        json.loads(body)
        return
    assert content_type.startswith("text/html"), f"{status} answered as {content_type!r}"
    assert '<html lang="ja"' in body, f"{status}: not the portal's page"
    title = ERROR_TITLES.get(status)
    if title is not None:
        assert title in body, f"{status}: not the portal's Japanese error page"
    assert not re.search(r"<h1>(Bad Request|Not Found|Forbidden|Server Error)", body)


def path_strategy(route: str):
    """URLs of a route with every path parameter drawn from what its converter matches (what reaches the view)."""
    converters = get_converters()
    names = [(m.group(0), converters[m["converter"] or "str"].regex) for m in _PARAM.finditer(route)]
    if not names:
        return st.just("/" + route)
    values = st.tuples(*[st.from_regex(regex, fullmatch=True).filter(lambda v: "/" not in v) for _t, regex in names])

    def build(drawn):
        url = route
        for (token, _regex), value in zip(names, drawn, strict=True):
            url = url.replace(token, value, 1)
        return "/" + url

    return values.map(build)


PAGES = public_pages()
FORMS = [p for p in PAGES if p.kind == FORM]


@pytest.mark.parametrize("entry", PAGES, ids=[p.name for p in PAGES])
def test_hostile_query_and_path_parameters_never_make_a_server_error(client, seeded, entry):
    keys = st.sampled_from([*entry.params, *UNDECLARED])
    url = st.one_of(
        st.just(entry.sample_url()) if entry.sample_url() else st.nothing(), path_strategy(entry.full_route)
    )

    @BUDGET
    @given(url=url, query=st.dictionaries(keys, TEXT, max_size=4))
    def probe(url, query):
        assert_portal_answer(client.get(url, query))

    probe()


def _field_names(client, url) -> list[str]:
    html = client.get(url).content.decode()
    return sorted(set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html)) - {"csrfmiddlewaretoken"})


@pytest.mark.parametrize("entry", FORMS, ids=[p.name for p in FORMS])
def test_hostile_posts_to_every_form_never_make_a_server_error(client, seeded, entry):
    url = entry.sample_url()
    names = _field_names(client, url)
    assert names, f"{entry.name}: no form fields found on {url}"

    @BUDGET
    @given(
        data=st.dictionaries(st.sampled_from([*names, *UNDECLARED]), TEXT, min_size=1, max_size=len(names) + 2),
        query=st.dictionaries(st.sampled_from([*entry.params, "step"]), TEXT, max_size=2),
    )
    def probe(data, query):
        target = url + ("?" + "&".join(f"{k}=x" for k in query) if query else "")
        assert_portal_answer(client.post(target, data))

    probe()


def test_the_checks_recognise_a_stock_error_page():
    from django.http import HttpResponseNotFound

    with pytest.raises(AssertionError):
        assert_portal_answer(HttpResponseNotFound("<h1>Not Found</h1>"))
