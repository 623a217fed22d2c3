"""Public pages declared once, in each app's urls.py:

    urlpatterns = [
        page("", views.index, name="index", title=_("行政視察の受け入れ"), kind=READ,
             cache=page_cache, params=["month"]),
        page("request/", views.RequestView.as_view(), name="request", title=_("行政視察の申込み"), kind=FORM),
        page("kpis/<kpi:code>/", views.kpi_detail, name="kpi", title=_("KPI"), kind=READ, cache=page_cache,
             items=lambda: [{"code": c} for c in Kpi.objects.public().values_list("code", flat=True)]),
    ]

Each declared page carries its title, its kind and the query parameters it reads. The page cache (which keys
only on those parameters), the benchmark, the browser checks (axe at phone and desktop width, layout, the Nu
checker), the hostile-input fuzz test, sitemap.xml and the README's page table all read this registry, and a
test fails when a URL anonymous visitors can reach is not declared here.

Kinds: READ (an HTML page), FORM (an input page), DOWNLOAD (CSV, PDF, JSON download), FEED (machine-readable
data), and the pages reached only from another page — STEP (done pages, confirmation links), SECRET (a page
behind a secret link) — which stay out of the sitemap and the benchmark's plain list — and PROBE (the health
checks: benchmarked, never indexed).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

READ, FORM, DOWNLOAD, FEED, STEP, SECRET, PROBE = "read", "form", "download", "feed", "step", "secret", "probe"
KINDS = (READ, FORM, DOWNLOAD, FEED, STEP, SECRET, PROBE)
HTML_KINDS = (READ, FORM)
INDEXED_KINDS = (READ, FORM, DOWNLOAD, FEED)


@dataclass
class PublicPage:
    route: str
    title: object  # a lazy translation, rendered when shown
    kind: str
    params: tuple[str, ...] = ()
    # URL kwargs of every instance of a page with parameters in its path (sitemap; the first one is the sample
    # the benchmark and the browser checks load). None for a page without path parameters.
    items: Callable[[], list[dict]] | None = None
    cached: bool = False
    name: str = ""  # filled by registry(): the namespaced URL name, e.g. "inspections:index"
    full_route: str = ""

    def urls(self) -> list[str]:
        if self.items is None:
            return [reverse(self.name)]
        return [reverse(self.name, kwargs=kwargs) for kwargs in self.items()]

    def sample_url(self) -> str | None:
        urls = self.urls()
        return urls[0] if urls else None


def page(route: str, view, *, name: str, title, kind: str, cache=None, params=(), items=None, **kwargs) -> URLPattern:
    """A URL pattern for a public page, declared with what every tool needs to know about it. Other keyword
    arguments go to the view, as with path()."""
    if kind not in KINDS:
        raise ValueError(f"unknown page kind {kind!r}")
    params = tuple(params)
    if cache is not None:
        view = cache.page(view, params=params)
    pattern = path(route, view, kwargs or None, name=name)
    pattern.public_page = PublicPage(
        route=route, title=title, kind=kind, params=params, items=items, cached=cache is not None
    )
    return pattern


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def all_patterns():
    """(full route, namespace, pattern) of every URL pattern of the project."""
    return list(_walk(get_resolver().url_patterns))


def registry(*, kinds=KINDS) -> list[PublicPage]:
    pages = []
    for route, namespace, pattern in all_patterns():
        info = getattr(pattern, "public_page", None)
        if info is None or info.kind not in kinds:
            continue
        info.name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        info.full_route = route
        pages.append(info)
    return pages


def undeclared_patterns(*, private_prefixes=("admin/",)) -> list[str]:
    """Routes outside the staff area that are not declared pages: each is a failing test."""
    return [
        route
        for route, _namespace, pattern in all_patterns()
        if not getattr(pattern, "public_page", None) and not route.startswith(tuple(private_prefixes))
    ]


KIND_LABELS = {
    READ: "page",
    FORM: "form",
    DOWNLOAD: "download",
    FEED: "feed",
    STEP: "step",
    SECRET: "secret link",
    PROBE: "probe",
}


def markdown_table() -> str:
    """The README's "Public pages" table, made from the registry (`manage.py pages_table`); a test keeps the
    README equal to it, so a page added or renamed without the README fails the suite."""
    lines = ["| page | URL | kind | query parameters |", "|---|---|---|---|"]
    for info in registry():
        route = "/" + re.sub(r"<\w+:(\w+)>", r"<\1>", info.full_route)
        params = ", ".join(f"`{p}`" for p in info.params) or "—"
        lines.append(f"| {info.title} | `{route}` | {KIND_LABELS[info.kind]} | {params} |")
    return "\n".join(lines)
