"""`make bench`: load every public page under gunicorn (2 workers, production settings, loopback) and compare
each with the trivial view (/livez) measured in the same run.

The pages are the ones the apps declare (kiyose.pages registry): each is loaded twice when it is cached —
served from the page cache (an anonymous visitor, target ≥ 0.5× trivial) and rendered (with a session cookie,
as staff and visitors in the middle of a form are served, target ≥ 0.1×) — and form pages, never cached, are
rendered (target ≥ 0.25×). bench/<app>.py modules give prepare() (data before the server starts), samples()
(URLs of pages behind secret links, e.g. a status page) and extra() (non-HTTP measurements). The database is
DATABASE_URL when set, else a SQLite file of its own under bench/results/. A ratio below target is printed as
such; the exit code stays 0 so the table is always produced.
"""

import importlib
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# (served from the page cache, rendered) targets as a share of the trivial view's throughput.
CACHED_TARGET, RENDERED_TARGET, FORM_TARGET = 0.5, 0.1, 0.25
SESSION_COOKIE = "sessionid=bench-rendered"
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
# BENCH_PAGES=contact,edit loads only the pages whose path holds one of the words (a quick look at a few pages).
ONLY = [word for word in os.environ.get("BENCH_PAGES", "").split(",") if word]
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
APPS = ["inspections", "sdgs", "certification", "talentbank"]


def bench_env() -> dict:
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'bench.sqlite3'}")
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PORTAL_BASE_URL="https://portal.example.jp",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(RESULTS / "static"),
        LOG_LEVEL="WARNING",
        AXES_ENABLED="false",
        # The load comes from one address: per-client limits (token pages count every request) would answer 429.
        RATELIMIT_ENABLE="false",
        # Data created by prepare() goes through the real services, which mail; nothing must leave the machine.
        EMAIL_URL="dummymail://",
        DJANGO_SETTINGS_MODULE="kiyose.settings",
    )
    return env


def bench_modules():
    sys.path.insert(0, str(ROOT))
    modules = []
    for app in APPS:
        try:
            modules.append(importlib.import_module(f"bench.{app}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.{app}":
                raise
    return modules


def prepare(env: dict, modules) -> list[dict]:
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", interactive=False, verbosity=0)
    extras = []
    for module in modules:
        if hasattr(module, "prepare"):
            module.prepare()
    for module in modules:
        if hasattr(module, "extra"):
            extras.extend(module.extra())
    pages = declared_pages(modules)
    from django.db import connections

    connections.close_all()
    return extras, pages


def declared_pages(modules) -> list[dict]:
    """Every declared public page with a URL to load: the registry's samples, plus the secret-link pages the
    bench modules made a sample of."""
    from kiyose.pages import DOWNLOAD, FEED, FORM, PROBE, READ, SECRET, registry

    samples = {}
    for module in modules:
        if hasattr(module, "samples"):
            samples.update(module.samples())
    pages = []
    for page in registry(kinds=(READ, FORM, DOWNLOAD, FEED, PROBE, SECRET)):
        if page.name in ("livez", "robots", "sitemap"):
            continue
        url = samples.get(page.name) if page.kind == SECRET else page.sample_url()
        if url is None or (ONLY and not any(word in url for word in ONLY)):
            continue
        pages.append({"name": str(page.title), "path": url, "kind": page.kind, "cached": page.cached})
    return pages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen(
        [str(gunicorn), "kiyose.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=2) as r:
                if r.status == 200:
                    return proc
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


_WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_PCT = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_WRK_ERR = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load_wrk(url: str, cookie: str = "") -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pct = {p: _ms(v, u) for p, v, u in _WRK_PCT.findall(out)}
    errors = _WRK_ERR.search(out)
    return {
        "rps": float(_WRK_RPS.search(out).group(1)),
        "p50": pct.get("50"),
        "p99": pct.get("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def load_python(url: str, cookie: str = "") -> dict:
    """Fallback when wrk is absent: CONNECTIONS threads issuing requests for DURATION seconds."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + DURATION

    def worker():
        nonlocal errors
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
                with urllib.request.urlopen(request, timeout=10) as r:
                    r.read()
                    ok = r.status < 400
            except (urllib.error.URLError, OSError):
                ok = False
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                errors += not ok

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {"rps": len(latencies) / DURATION, "p50": q[49], "p99": q[98], "errors": errors}


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _cell(result: dict | None, ratio: float | None, target: float | None, code: int) -> tuple[str, str]:
    if result is None:
        return "-", "-"
    if code != 200:
        return "-", f"HTTP {code}"
    verdict = "ok" if ratio >= target and result["errors"] == 0 else ("errors" if result["errors"] else "BELOW")
    return f"{result['rps']:.0f} ({ratio:.2f}×, p99 {result['p99']:.1f} ms)", f"≥{target} {verdict}"


def main() -> int:
    env = bench_env()
    modules = bench_modules()
    print(f"database: {env['DATABASE_URL'].split('@')[-1]}  duration: {DURATION}s  connections: {CONNECTIONS}")
    extras, pages = prepare(env, modules)
    port = free_port()
    server = start_server(env, port)
    load = load_wrk if shutil.which("wrk") else load_python
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        trivial = load(base + "/livez")
        for page in pages:
            url = base + page["path"]
            code = status_of(url)
            cached = rendered = None
            if code == 200:
                if page["cached"]:
                    cached = load(url)
                rendered = load(url, cookie=SESSION_COOKIE)
            rows.append((page, code, cached, rendered))
        trivial_end = load(base + "/livez")
    finally:
        server.terminate()
        server.wait(timeout=10)

    yardstick = (trivial["rps"] + trivial_end["rps"]) / 2
    lines = [
        f"load generator: {'wrk' if load is load_wrk else 'python threads'}, gunicorn 2 workers, "
        f"{DURATION}s × {CONNECTIONS} connections, database {env['DATABASE_URL'].split(':')[0]}",
        f"trivial view /livez: {trivial['rps']:.0f} req/s at the start, {trivial_end['rps']:.0f} at the end "
        f"(ratios use their mean, {yardstick:.0f})",
        "",
        "| page | path | cached: req/s (ratio, p99) | target | rendered: req/s (ratio, p99) | target |",
        "|---|---|---:|---|---:|---|",
    ]
    for page, code, cached, rendered in rows:
        c_ratio = cached["rps"] / yardstick if cached else None
        r_ratio = rendered["rps"] / yardstick if rendered else None
        c_cell, c_target = _cell(cached, c_ratio, CACHED_TARGET, code) if page["cached"] else ("-", "-")
        r_target_value = FORM_TARGET if page["kind"] == "form" else RENDERED_TARGET
        r_cell, r_target = _cell(rendered, r_ratio, r_target_value, code)
        lines.append(f"| {page['name']} | {page['path']} | {c_cell} | {c_target} | {r_cell} | {r_target} |")
    if extras:
        lines += ["", "| measurement | value | target | result |", "|---|---:|---|---|"]
        for e in extras:
            lines.append(
                f"| {e['name']} | {e['value']:.3g} {e['unit']} | {e['target']} | "
                f"{'ok' if e['ok'] else 'BELOW TARGET'} |"
            )
    report = "\n".join(lines)
    print(report)
    (RESULTS / "latest.md").write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
