"""The browser the journeys drive (Debian's Chromium) and the world a journey walks in."""

import contextlib
from dataclasses import dataclass, field

from e2e.mailsink import Mailbox
from e2e.stack import LOOPBACK, PUBLIC_HOST, Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    # The portal's name points at the run's nginx, for this browser only (no /etc/hosts, no DNS).
    f"--host-resolver-rules=MAP {PUBLIC_HOST} {LOOPBACK}",
]


def chromium_args(stack: Stack) -> list[str]:
    # The run's certificate is in no trust store: the browser accepts it, and only it, by its public key.
    return [*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={stack.spki_sha256}"]


@dataclass
class World:
    stack: Stack
    mailbox: Mailbox
    browser: object
    state: dict = field(default_factory=dict)
    contexts: list = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.stack.base_url

    def page(self, *, javascript: bool, storage_state: dict | None = None):
        """A fresh browser (own cookies, or those of `storage_state`). Visitors' pages run without JavaScript:
        public pages must work so."""
        context = self.browser.new_context(
            locale="ja-JP",
            java_script_enabled=javascript,
            viewport={"width": 1280, "height": 900},
            storage_state=storage_state,
        )
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        return page

    def end_journey(self, screenshots_to=None) -> None:
        for number, context in enumerate(self.contexts):
            if screenshots_to is not None:
                for index, page in enumerate(context.pages):
                    # A screenshot is a courtesy: the failure is already recorded.
                    with contextlib.suppress(Exception):
                        page.screenshot(path=str(screenshots_to / f"context{number}-page{index}.png"), full_page=True)
            with contextlib.suppress(Exception):  # the browser may be gone already (Ctrl-C reaches it too)
                context.close()
        self.contexts.clear()
