"""Steps the journeys share: the staff sign-in, the forms' confirm step, the letter download, mail links.

The steps the apps are about to change are here so a change there is one edit.
"""

import datetime as dt
import json
import re
import time
from base64 import b32decode
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin
from zoneinfo import ZoneInfo

from django_otp.oath import TOTP

from e2e.journeys.world import World
from e2e.mailsink import Mail
from e2e.stack import STAFF_USER

TOKYO = ZoneInfo("Asia/Tokyo")
# Links a mail may carry to somewhere other than the portal itself (none today).
EXTERNAL_LINKS_ALLOWED: tuple[str, ...] = ()


@dataclass
class Authenticator:
    """The staff member's authenticator app: the secret read off the enrolment screen. The portal takes each
    code once (django-otp remembers the last time step used), so a second sign-in within the same 30 s waits
    for the next code, as a person would."""

    key: bytes
    last_step: int = -1
    waited: float = 0.0

    @classmethod
    def from_setup_key(cls, text: str) -> "Authenticator":
        secret = re.sub(r"\s", "", text).upper()
        return cls(key=b32decode(secret + "=" * (-len(secret) % 8)))

    def code(self) -> str:
        while True:
            totp = TOTP(self.key)
            totp.time = time.time()
            if totp.t() > self.last_step:
                self.last_step = totp.t()
                return f"{totp.token():06d}"
            pause = (totp.t() + 1) * totp.step - totp.time + 0.05
            self.waited += pause
            time.sleep(pause)


def staff_page(world: World):
    """A browser signed in to the admin (password and second factor) as the run's staff superuser, through
    nginx: the session the staff sign-in journey opened."""
    state = world.state.get("staff_session")
    assert state, "needs the staff sign-in journey's session"
    page = world.page(javascript=True, storage_state=state)
    page.goto(world.base + "/admin/")
    expect_heading(page, "業務メニュー")
    return page


def staff_password_step(world: World, page) -> None:
    """The login form: user name and password (the second factor comes after)."""
    page.goto(world.base + "/admin/")
    page.get_by_label("ユーザー名").fill(STAFF_USER)
    page.get_by_label("パスワード").fill(world.stack.staff_password)
    click_and_wait(page, page.get_by_role("button", name="ログイン"))


def cookie_header(page) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies(page.url))


def visit(world: World, url: str, *, headers: dict | None = None, redirects: int = 5) -> tuple[int, str]:
    """GET `url` through nginx as a visitor, following redirects that stay on the portal: (status, final url)."""
    for _ in range(redirects + 1):
        answer = world.stack.request(url, headers=headers)
        location = answer.headers.get("Location")
        if answer.status not in (301, 302, 303, 307, 308) or not location:
            return answer.status, url
        url = urljoin(url, location)
        assert url.startswith(world.base + "/"), f"redirected off the portal: {url}"
    raise AssertionError(f"more than {redirects} redirects, last to {url}")


def labelled(page, label: str):
    """The form control labelled `label` (a required field's label may end in a marker such as ＊)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"[\s*＊]*$"))


def choose_first(page, group: str) -> None:
    """Tick the first choice of the checkbox group (fieldset) whose legend is `group`."""
    page.get_by_role("group", name=re.compile(r"^\s*" + re.escape(group))).get_by_role("checkbox").first.check()


def expect_heading(page, text: str, *, level: int = 1) -> None:
    heading = page.get_by_role("heading", level=level).first
    heading.wait_for()
    actual = heading.inner_text().strip()
    assert text in actual, f"{page.url}: expected a heading with {text!r}, found {actual!r}"


def click_and_wait(page, target) -> None:
    """Click a link or button that loads a new page, and wait until that page is there."""
    target.click()
    page.wait_for_load_state()


def confirm_and_send(page) -> None:
    """The public forms' input → 確認 → 完了: check the input, then send it from the confirmation page."""
    click_and_wait(page, page.get_by_role("button", name="入力内容を確認する"))
    errors = page.locator("#error-summary")
    assert not errors.count(), f"{page.url}: the form refused the input: {errors.inner_text()}"
    expect_heading(page, "確認")
    click_and_wait(page, page.get_by_role("button", name="この内容で送信する"))


def admin_save(page) -> None:
    click_and_wait(page, page.get_by_role("button", name="保存", exact=True))
    errors = page.locator(".errornote, .errorlist")
    assert not errors.count(), f"{page.url}: the admin refused the change: {errors.first.inner_text()}"


def admin_message(page) -> str:
    return " ".join(page.locator("ul.messagelist li").all_inner_texts())


def admin_open(world: World, page, changelist: str, search: str) -> None:
    """Open the one object a changelist search finds (e.g. a request by its reference number)."""
    page.goto(f"{world.base}/admin/{changelist}/?q={search}")
    click_and_wait(page, page.locator("#result_list tbody tr").first.get_by_role("link").first)


def fetch_pdf(world: World, page, link_name: str) -> bytes:
    """The PDF behind a link on an admin page, fetched through nginx with the staff session's cookies. A letter
    not yet issued answers with a confirmation page: issuing takes a document number, so it is a POST (its
    button), and the same link then serves the issued letter."""
    href = page.get_by_role("link", name=link_name).evaluate("a => a.href")
    cookies = {"Cookie": cookie_header(page)}
    answer = world.stack.request(href, headers=cookies, timeout=60)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body)
    if answer.status == 200 and answer.headers.get("Content-Type", "").startswith("text/html") and token:
        issued = world.stack.request(
            href,
            method="POST",
            timeout=60,
            body=urlencode({"csrfmiddlewaretoken": token.group(1).decode()}).encode(),
            headers={**cookies, "Referer": href, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert issued.status in (302, 303), f"{link_name}: issuing answered {issued.status}"
        answer = world.stack.request(href, headers=cookies, timeout=60)
    assert answer.status == 200, f"{link_name}: {answer.status} {answer.headers.get('Location', '')}"
    assert answer.headers.get("Content-Type", "").startswith("application/pdf"), answer.headers
    assert answer.body.startswith(b"%PDF-"), f"{link_name}: not a PDF ({answer.body[:20]!r})"
    return answer.body


def mails_links_work(world: World, mails: list[Mail]) -> int:
    """Every http(s) link in these mails points at the portal and answers 200 to an anonymous visitor."""
    checked = 0
    for mail in mails:
        for link in mail.links:
            if link.startswith(EXTERNAL_LINKS_ALLOWED) and EXTERNAL_LINKS_ALLOWED:
                continue
            assert link.startswith(world.base + "/"), (
                f"mail #{mail.number} ({mail.subject}) links outside the portal (PORTAL_BASE_URL={world.base}): {link}"
            )
            status, final = visit(world, link)
            assert status == 200, f"mail #{mail.number} ({mail.subject}): {link} answered {status} at {final}"
            checked += 1
    return checked


def tokyo_today() -> dt.date:
    return dt.datetime.now(TOKYO).date()


def open_visit_day(world: World) -> dt.date:
    """A day the public calendar offers, well past the lead time, as a visitor would pick from it."""
    start = tokyo_today() + dt.timedelta(days=21)
    end = start + dt.timedelta(days=120)
    answer = world.stack.request(f"{world.base}/inspections/availability.json?start={start}&end={end}")
    assert answer.status == 200, f"availability.json: {answer.status}"
    for day in json.loads(answer.body)["dates"]:
        if day["status"] == "open":
            return dt.date.fromisoformat(day["date"])
    raise AssertionError(f"no open day between {start} and {end}")
