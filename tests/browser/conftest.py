"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server.

Where Chromium is missing the tests skip with the reason; under CI (CI set) they fail instead, so a green CI
always means the pages were checked in a real browser.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls our fixtures make are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (apt-get install chromium); browser tests must run in CI.")
        pytest.skip("Chromium not found: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    # JavaScript stays on for axe; pages themselves are tested to work without it elsewhere.
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url
    yield pg
    context.close()


def axe_violations(pg) -> list[dict]:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page as it stands."""
    pg.evaluate(AXE_JS)
    result = pg.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"""
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} → {targets}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible():
    def _check(pg):
        violations = axe_violations(pg)
        assert not violations, "axe found WCAG 2.1 A/AA violations:\n" + format_violations(violations)

    return _check


# The W3C Nu HTML checker (vnu-jar from npm, `make test` installs it; Java from Debian's default-jre-headless).
VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(pages: dict[str, str]) -> list[str]:
    """Check every page's HTML (name → markup) in one run of the checker (one JVM start for the whole set);
    its errors as 'name:line: message'."""
    import json
    import subprocess
    import tempfile

    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        missing = "Java (apt-get install default-jre-headless)" if java is None else f"{VNU_JAR} (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing; the Nu checker must run in CI.")
        pytest.skip(f"{missing} is missing: the Nu checker cannot run")
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for number, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page{number:03d}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = name
        result = subprocess.run(
            # Quick start-up flags: the run is short, a JIT's full optimisation would not pay back.
            [
                java,
                "-Xss4m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                folder,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [
        f"{files.get(Path(m.get('url', '')).name, m.get('url'))}:{m.get('lastLine', '?')}: {m.get('message')} "
        f"[{m.get('extract', '').strip()[:120]}]"
        for m in report["messages"]
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
