"""`make bench`: load every public page under gunicorn (2 workers, production settings, loopback) and compare
each with the trivial view (/livez) measured in the same run.

Pages come from bench/<app>.py modules: PAGES = [(name, path, kind)], kind "read" (target ≥ 0.5× trivial) or
"form" (≥ 0.25×); optional prepare() creates data before the server starts and extra() returns non-HTTP
measurements. The database is DATABASE_URL when set, else a SQLite file of its own under bench/results/.
A ratio below target is printed as such; the exit code stays 0 so the table is always produced.
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
TARGETS = {"read": 0.5, "form": 0.25}
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
APPS = ["inspections", "sdgs", "certification", "talentbank"]
CORE_PAGES = [("home page", "/", "read"), ("health check (database round trip)", "/healthz", "read")]


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
    from django.db import connections

    connections.close_all()
    return extras


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen(
        [str(gunicorn), "kiyose.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
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


def load_wrk(url: str) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    pct = {p: _ms(v, u) for p, v, u in _WRK_PCT.findall(out)}
    errors = _WRK_ERR.search(out)
    return {"rps": float(_WRK_RPS.search(out).group(1)), "p50": pct.get("50"), "p99": pct.get("99"),
            "errors": int(errors.group(1)) if errors else 0}


def load_python(url: str) -> dict:
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
                with urllib.request.urlopen(url, timeout=10) as r:
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


def main() -> int:
    env = bench_env()
    modules = bench_modules()
    pages = CORE_PAGES + [page for module in modules for page in getattr(module, "PAGES", [])]
    print(f"database: {env['DATABASE_URL'].split('@')[-1]}  duration: {DURATION}s  connections: {CONNECTIONS}")
    extras = prepare(env, modules)
    port = free_port()
    server = start_server(env, port)
    load = load_wrk if shutil.which("wrk") else load_python
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        trivial = load(base + "/livez")
        rows.append(("trivial view", "/livez", "-", trivial, None, None))
        for name, path, kind in pages:
            code = status_of(base + path)
            result = load(base + path) if code == 200 else {"rps": 0.0, "p50": None, "p99": None, "errors": -1}
            ratio = result["rps"] / trivial["rps"] if trivial["rps"] else 0.0
            rows.append((name, path, kind, result, ratio, code))
        trivial_end = load(base + "/livez")
        rows.append(("trivial view (again, end of run)", "/livez", "-", trivial_end, None, None))
    finally:
        server.terminate()
        server.wait(timeout=10)

    lines = [f"load generator: {'wrk' if load is load_wrk else 'python threads'}, gunicorn 2 workers, "
             f"{DURATION}s × {CONNECTIONS} connections, database {env['DATABASE_URL'].split(':')[0]}", "",
             "| page | path | req/s | p50 ms | p99 ms | ratio | target | result |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for name, path, kind, r, ratio, code in rows:
        p50 = f"{r['p50']:.1f}" if r["p50"] is not None else "-"
        p99 = f"{r['p99']:.1f}" if r["p99"] is not None else "-"
        if ratio is None:
            lines.append(f"| {name} | {path} | {r['rps']:.0f} | {p50} | {p99} | 1.00 | - | - |")
            continue
        target = TARGETS.get(kind, 0.5)
        verdict = "ok" if code == 200 and ratio >= target and r["errors"] == 0 else (
            f"HTTP {code}" if code != 200 else ("errors" if r["errors"] else "BELOW TARGET"))
        lines.append(f"| {name} | {path} | {r['rps']:.0f} | {p50} | {p99} | {ratio:.2f} | ≥{target} | {verdict} |")
    if extras:
        lines += ["", "| measurement | value | target | result |", "|---|---:|---|---|"]
        for e in extras:
            lines.append(f"| {e['name']} | {e['value']:.3g} {e['unit']} | {e['target']} | "
                         f"{'ok' if e['ok'] else 'BELOW TARGET'} |")
    report = "\n".join(lines)
    print(report)
    (RESULTS / "latest.md").write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
