"""`make e2e`: start the deployment recipe's stack on loopback ports of its own and walk every journey through
nginx in Debian's Chromium (see README, "Deployment recipe" and "make e2e").

Exit status 0 only when every journey passed. Whatever happens (a failure, Ctrl-C, SIGTERM), every process
started is stopped and the run's database is dropped; the run's directory (logs, mails as .eml, screenshots)
is kept only when something failed (or E2E_KEEP=1 is set), and its path is printed.
"""

import contextlib
import os
import re
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from e2e.journeys import CHROMIUM, JOURNEYS, World, chromium_args  # noqa: E402
from e2e.mailsink import Mailbox, SmtpSink  # noqa: E402
from e2e.stack import Stack, StackError, tail  # noqa: E402

INTERRUPTED = threading.Event()
KEEP = os.environ.get("E2E_KEEP", "") not in ("", "0")  # keep the run's directory even when everything passed


def _interrupt(signum, _frame):
    # Ctrl-C and SIGTERM (a CI timeout) unwind through the finally blocks, which stop everything. Playwright may
    # swallow the exception when it arrives inside one of its calls (the browser got the signal too), so the
    # flag stops the journeys at the next step as well.
    if INTERRUPTED.is_set():
        return  # already stopping: a second Ctrl-C must not cut the tear-down short
    INTERRUPTED.set()
    raise KeyboardInterrupt(signal.Signals(signum).name)


class Timings:
    def __init__(self):
        self.rows: list[tuple[str, float, str, str]] = []

    def add(self, name: str, seconds: float, result: str, note: str = "") -> None:
        self.rows.append((name, seconds, result, note))
        print(f"  {result:6} {seconds:6.1f} s  {name}" + (f" — {note}" if note else ""), flush=True)

    def table(self) -> str:
        width = max(len(name) for name, *_ in self.rows)
        lines = [f"{'step'.ljust(width)}  seconds  result"]
        lines += [f"{name.ljust(width)}  {seconds:7.1f}  {result}" for name, seconds, result, _ in self.rows]
        return "\n".join(lines)


def step(timings: Timings, name: str, action) -> None:
    start = time.monotonic()
    try:
        note = action()
    except BaseException:
        timings.add(name, time.monotonic() - start, "FAILED")
        raise
    timings.add(name, time.monotonic() - start, "ok", note or "")


def main() -> int:
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    began = time.monotonic()
    timings = Timings()
    failures: list[str] = []
    stack = Stack()
    sink = None
    print(f"== make e2e: run directory {stack.run_dir}", flush=True)
    try:
        stack.lock()
        step(timings, "deploy files (units, timers)", stack.check_deploy_files)
        step(timings, "TLS certificate for the run", stack.make_certificate)
        step(timings, "site file in Debian's nginx.conf", stack.check_site_in_debian_nginx)
        step(timings, "database kiyose_e2e_stack, redis db 12", stack.create_database)
        step(timings, "migrate, seed, collectstatic, createsuperuser", stack.prepare)
        sink = SmtpSink(stack.run_dir / "mail", stack.smtp_port)
        sink.start()

        def start_up():
            stack.start()
            stack.wait_healthy()
            return (
                f"nginx {stack.base_url} (http {stack.http_port}) → nodes "
                f"{stack.node_a_port}, {stack.node_b_port}; db_worker; SMTP sink {stack.smtp_port}; "
                f"healthy {time.monotonic() - began:.0f} s after the run began"
            )

        step(timings, "start-up (to first healthy /healthz through nginx)", start_up)
        nginx_errors_from = len(stack.log_text("nginx-error"))
        failures += run_journeys(stack, timings)
        stack.check_alive()
        failures += service_log_errors(stack, nginx_errors_from)
    except KeyboardInterrupt:
        failures.append("interrupted")
        print("\n== interrupted: stopping everything", flush=True)
    except Exception as exc:
        failures.append(f"stack: {exc}")
        print(f"\n== the stack failed: {exc}", flush=True)
        if not isinstance(exc, StackError):
            traceback.print_exc()
    finally:
        INTERRUPTED.set()  # from here on a signal is noted, never raised: the tear-down runs to its end
        if sink is not None:
            sink.stop()
        try:
            stack.close(keep_files=bool(failures) or KEEP)
        except StackError as exc:
            failures.append(f"tear-down: {exc}")
    total = time.monotonic() - began
    timings.rows.append(("total", total, "FAILED" if failures else "ok", ""))
    print("\n" + timings.table(), flush=True)
    if failures:
        print(f"\n== make e2e FAILED ({len(failures)}):", flush=True)
        for failure in failures:
            print(" - " + failure.replace("\n", "\n   "), flush=True)
        print(f"logs, mails and screenshots kept in {stack.run_dir}", flush=True)
        return 1
    print(f"\n== make e2e passed in {total:.0f} s", flush=True)
    if KEEP:
        print(f"logs and mails kept in {stack.run_dir} (E2E_KEEP)", flush=True)
    return 0


def run_journeys(stack: Stack, timings: Timings) -> list[str]:
    from playwright.sync_api import sync_playwright

    failures = []
    playwright = sync_playwright().start()
    browser = None
    world = None
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args(stack), headless=True)
        world = World(stack=stack, mailbox=Mailbox(stack.run_dir / "mail"), browser=browser)
        for name, journey in JOURNEYS:
            start = time.monotonic()
            if INTERRUPTED.is_set():
                raise KeyboardInterrupt
            try:
                note = journey(world)
            except Exception as exc:
                if INTERRUPTED.is_set():
                    raise KeyboardInterrupt from exc
                shots = stack.run_dir / "screenshots" / journey.__name__
                shots.mkdir(parents=True, exist_ok=True)
                world.end_journey(screenshots_to=shots)
                timings.add(name, time.monotonic() - start, "FAILED")
                detail = "".join(traceback.format_exception_only(exc)).strip()
                where = traceback.extract_tb(exc.__traceback__)[-1]
                failures.append(f"{name}: {detail}\n(at {Path(where.filename).name}:{where.lineno})")
                continue
            world.end_journey()
            timings.add(name, time.monotonic() - start, "ok", note)
    finally:
        # On Ctrl-C the browser and Playwright's driver got the signal too: closing them may fail, and must not
        # hide why the run ended.
        if world is not None:
            world.end_journey()
        for close in (browser.close if browser else None, playwright.stop):
            if close is not None:
                with contextlib.suppress(Exception):
                    close()
    return failures


def service_log_errors(stack: Stack, nginx_errors_from: int) -> list[str]:
    """A journey can pass while a node logged a traceback (a failed mail task, a 500 on a side request)."""
    failures = []
    for name in ("app-node-A", "app-node-B", "db-worker"):
        text = stack.log_text(name)
        # Django logs a refused Host header (the production-headers check sends one) with its traceback.
        expected = len(re.findall(r"^django\.core\.exceptions\.DisallowedHost: ", text, flags=re.M))
        if text.count("Traceback (most recent call last)") > expected:
            failures.append(f"{name} logged a traceback:\n{tail(text, 40)}")
    logged = stack.log_text("nginx-error")[nginx_errors_from:].splitlines()
    errors = [line for line in logged if "[error]" in line or "[crit]" in line or "[alert]" in line]
    if errors:
        failures.append("nginx logged errors:\n" + "\n".join(errors[-10:]))
    return failures


if __name__ == "__main__":
    sys.exit(main())
