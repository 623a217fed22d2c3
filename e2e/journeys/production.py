"""What production promises beyond the pages: the page cache across nodes, headers and TLS, the timers."""

import ast
import re
import threading
import time

from e2e.journeys.helpers import admin_save, click_and_wait, staff_page
from e2e.journeys.world import World
from e2e.stack import LOOPBACK, PUBLIC_HOST, ROOT, Stack

# Slack on top of the page cache's bound for polling and for two busy cores.
CACHE_MARGIN_SECONDS = 1.0


def page_cache_bound() -> float:
    """kiyose/pagecache.py's LOCAL_SECONDS, read from the source (the stack runs it; this process has no Django)."""
    tree = ast.parse((ROOT / "kiyose" / "pagecache.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "LOCAL_SECONDS" for t in node.targets):
            return float(ast.literal_eval(node.value))
    raise AssertionError("kiyose/pagecache.py defines no LOCAL_SECONDS")


class NodePoller(threading.Thread):
    """Loads one node's page again and again, recording when each answer did or did not show `needle`."""

    def __init__(self, stack: Stack, url: str, needle: str):
        super().__init__(daemon=True)
        self.stack = stack
        self.url = url
        self.needle = needle
        self.samples: list[tuple[float, bool]] = []
        self.error: str | None = None
        self.halt = threading.Event()

    def run(self) -> None:
        # Straight to the node as nginx forwards it (Host, X-Forwarded-Proto), so the node serves instead of
        # redirecting.
        while not self.halt.is_set():
            answer = self.stack.request(self.url, headers={"X-Forwarded-Proto": "https"})
            if answer.status != 200:
                self.error = f"{self.url} answered {answer.status}"
                return
            self.samples.append((time.monotonic(), self.needle in answer.body.decode()))
            time.sleep(0.02)


def cache_across_nodes(world: World) -> str:
    """A programme renamed in the admin (through nginx, so on one node) shows on both nodes' /inspections/
    within the page cache's bound. Both nodes are loaded throughout, so every worker holds a recent reading of
    the data version when the write lands: the window in which a worker may serve the old page is exercised."""
    bound = page_cache_bound()
    limit = bound + CACHE_MARGIN_SECONDS
    page = staff_page(world)
    page.goto(world.base + "/admin/inspections/programme/")
    click_and_wait(page, page.locator("#result_list tbody tr").first.get_by_role("link").first)
    title_field = page.get_by_label("事業名")
    # Half-width brackets: the admin stores text NFKC-normalised, so full-width ones would never show as typed.
    new = f"{title_field.input_value()[:150]}(E2E {time.strftime('%H%M%S')})"

    # Two pollers a node: each node has two workers, each with its own reading of the data version.
    pollers = {
        name: [NodePoller(world.stack, url + "/inspections/", new) for _ in range(2)]
        for name, url in world.stack.nodes.items()
    }
    for poller in (p for group in pollers.values() for p in group):
        poller.start()
    try:
        time.sleep(bound + 0.5)  # every worker has read the version recently and caches the old page
        writing = time.monotonic()
        title_field.fill(new)
        is_save = lambda r: r.request.method == "POST" and "/admin/inspections/programme/" in r.url  # noqa: E731
        with page.expect_response(is_save) as saved:
            admin_save(page)
        t0 = time.monotonic()
        written_by = saved.value.headers.get("x-kiyose-upstream", "?")
        deadline = t0 + limit + 10
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if time.monotonic() - t0 > limit + 0.5 and all(
                len(p.samples) >= 10 and all(shown for _t, shown in p.samples[-10:])
                for group in pollers.values()
                for p in group
            ):
                break
    finally:
        for poller in (p for group in pollers.values() for p in group):
            poller.halt.set()
            poller.join(timeout=15)

    report = []
    for name, group in pollers.items():
        errors = [p.error for p in group if p.error]
        assert not errors, f"node {name}: {errors}"
        samples = sorted(sample for p in group for sample in p.samples)
        before = [shown for t, shown in samples if t < writing]
        assert before and not any(before), f"node {name}: the page did not show the old title before the write"
        after = [(t - t0, shown) for t, shown in samples if t >= t0]
        fresh = [t for t, shown in after if shown]
        stale = [t for t, shown in after if not shown]
        assert fresh, f"node {name} never showed the change within {limit + 10:.0f} s"
        assert all(shown for _t, shown in after[-10:]), f"node {name} still served the old page at the end"
        last_stale = max(stale, default=None)
        assert last_stale is None or last_stale <= limit, (
            f"node {name} served the old page {last_stale:.2f} s after the write "
            f"(bound {bound} s + {CACHE_MARGIN_SECONDS} s margin)"
        )
        report.append(
            f"node {name}: new title from {min(fresh):.2f} s, old page last at "
            + ("never" if last_stale is None else f"{last_stale:.2f} s")
            + f" ({len(stale)} of {len(after)} answers after the write were old)"
        )
    return f"written via {written_by}; " + "; ".join(report) + f"; bound {bound} s (+{CACHE_MARGIN_SECONDS} s margin)"


def production_headers(world: World) -> str:
    stack = world.stack
    home = stack.request(world.base + "/")
    headers = home.headers
    assert home.status == 200, f"GET / through nginx: {home.status}"
    hsts = headers.get("Strict-Transport-Security", "")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, f"HSTS: {hsts!r}"
    csp = headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, f"CSP: {csp!r}"
    assert headers.get("X-Content-Type-Options") == "nosniff", headers.get("X-Content-Type-Options")
    assert headers.get("X-Frame-Options") == "DENY", headers.get("X-Frame-Options")
    assert headers.get("Referrer-Policy") == "same-origin", headers.get("Referrer-Policy")
    assert headers.get("Server") == "nginx", f"Server: {headers.get('Server')!r} (server_tokens off)"

    # Plain HTTP at nginx moves to the one HTTPS address, path and query kept.
    answer = stack.request(f"http://{PUBLIC_HOST}:{stack.http_port}/inspections/?from=http")
    location = answer.headers.get("Location", "")
    assert answer.status == 301 and location == world.base + "/inspections/?from=http", (
        f"http → {answer.status} {location}"
    )
    # An app node reached without the proxy's X-Forwarded-Proto redirects too (SECURE_SSL_REDIRECT) ...
    answer = stack.request(stack.nodes["A"] + "/")
    assert answer.status == 301 and answer.headers.get("Location", "") == world.base + "/", (
        f"node without TLS: {answer.status} {answer.headers.get('Location')}"
    )
    # ... except the health checks.
    answer = stack.request(stack.nodes["B"] + "/livez")
    assert answer.status == 200, f"/livez on a node: {answer.status}"
    # nginx passes any Host on (its only server block is the default): the app answers only its own name.
    answer = stack.request(world.base + "/", headers={"Host": "evil.example"})
    assert answer.status == 400, f"Host evil.example through nginx: {answer.status}"

    # The CSRF cookie of a public form is Secure.
    answer = stack.request(world.base + "/inspections/request/")
    csrf = [c for c in answer.headers.get_all("Set-Cookie") or [] if c.startswith("csrftoken=")]
    assert answer.status == 200 and csrf and "Secure" in csrf[0], f"csrftoken cookie: {csrf}"

    # Static files come from WhiteNoise through nginx, hashed and cached for good.
    css = re.search(rb'href="(/static/[^"]+\.css)"', home.body)
    assert css, "no stylesheet on the home page"
    answer = stack.request(world.base + css.group(1).decode())
    assert answer.status == 200 and "immutable" in answer.headers.get("Cache-Control", ""), (
        answer.status,
        answer.headers.get("Cache-Control"),
    )

    # nginx spreads requests over both nodes.
    upstreams = {stack.request(world.base + "/livez").headers.get("X-Kiyose-Upstream") for _ in range(6)}
    expected = {f"{LOOPBACK}:{stack.node_a_port}", f"{LOOPBACK}:{stack.node_b_port}"}
    assert upstreams == expected, f"round robin reached {upstreams}, expected {expected}"
    return (
        "HSTS, CSP, nosniff, DENY, http→https 301, foreign Host 400, secure CSRF cookie, immutable static, "
        "both nodes in rotation"
    )


def scheduled_jobs(world: World) -> str:
    """What the timers start, once each, as the timers start them."""
    done = []
    for unit in (
        "kiyose-mail-retry.service",
        "kiyose-certification-lifecycle.service",
        "kiyose-talentbank-retention.service",
    ):
        world.stack.run_unit(unit, log=unit.removesuffix(".service"))
        done.append(unit.removeprefix("kiyose-").removesuffix(".service"))
    return ", ".join(done) + " ran and exited 0"
