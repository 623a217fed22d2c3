"""The journeys `make e2e` walks through nginx in Debian's Chromium, as visitors and staff do.

Pages are found by what people see (headings, labels, button texts in Japanese); the few steps that the
apps are about to change (the staff login, the letter download, the form's confirm step) are small helpers
so a change there is one edit. Every journey checks the mail it causes in the SMTP sink, and every link in
that mail must lead to the portal and answer 200.

Staff sign in as production staff do: password, then the second factor. The first staff journey enrols an
authenticator app through the enrolment screens (the secret read off the screen, codes computed from it as the
app would); later staff journeys reuse that signed-in session (a staff member's open browser), and one signs in
afresh with password and code.
"""

import ast
import contextlib
import datetime as dt
import io
import json
import re
import threading
import time
from base64 import b32decode
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin
from zoneinfo import ZoneInfo

from django_otp.oath import TOTP

from e2e.mailsink import Mail, Mailbox
from e2e.stack import LOOPBACK, OFFICE_MAILBOXES, OUTSIDE_CLIENT, PUBLIC_HOST, ROOT, STAFF_USER, Stack

TOKYO = ZoneInfo("Asia/Tokyo")
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


# Links a mail may carry to somewhere other than the portal itself (none today).
EXTERNAL_LINKS_ALLOWED: tuple[str, ...] = ()
# Slack on top of the page cache's bound for polling and for two busy cores.
CACHE_MARGIN_SECONDS = 1.0


def page_cache_bound() -> float:
    """kiyose/pagecache.py's LOCAL_SECONDS, read from the source (the stack runs it; this process has no Django)."""
    tree = ast.parse((ROOT / "kiyose" / "pagecache.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "LOCAL_SECONDS" for t in node.targets):
            return float(ast.literal_eval(node.value))
    raise AssertionError("kiyose/pagecache.py defines no LOCAL_SECONDS")


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


# --- helpers ---------------------------------------------------------------------------------------------
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


# --- journeys --------------------------------------------------------------------------------------------
def inspection_request(world: World) -> str:
    mark = world.mailbox.count()
    day = open_visit_day(world)
    page = world.page(javascript=False)
    page.goto(world.base + "/inspections/")
    click_and_wait(page, page.get_by_role("link", name="行政視察を申し込む").first)
    expect_heading(page, "行政視察の申込み")
    page.get_by_label("自治体名・議会名").fill("武蔵野市議会")
    page.get_by_label("委員会名／会派名").fill("総務委員会")
    page.get_by_label("担当者氏名").fill("山田 花子")
    page.get_by_label("担当者の所属").fill("議会事務局議事課")
    page.get_by_label("電話番号").fill("０４２２－６０－１２３４")
    page.get_by_label("メールアドレス").fill("giji@example.jp")
    page.get_by_label("所在地").fill("東京都武蔵野市緑町2-2-28")
    page.get_by_label("第1希望日").fill(day.isoformat())
    page.get_by_label("第1希望の時間帯").select_option(index=1)
    page.get_by_label("議員の人数").fill("7")
    page.get_by_label("随行職員の人数").fill("2")
    page.get_by_label("市役所屋上での養蜂事業").check()
    page.get_by_label("視察の目的").fill("先進事例の調査のため")
    page.get_by_label("公共交通機関").check()
    confirm_and_send(page)
    expect_heading(page, "完了")
    reference = page.locator("#reference-number").inner_text().strip()
    assert reference, "no reference number on the done page"
    world.state["inspection_reference"] = reference
    world.state["inspection_day"] = day
    world.mailbox.wait_for(to="giji@example.jp", body=reference, after=mark)
    world.mailbox.wait_for(to=OFFICE_MAILBOXES["inspections"], body=reference, after=mark)
    links = mails_links_work(world, world.mailbox.since(mark))
    return f"受付番号 {reference}, 希望日 {day}, acknowledgement + office mail, {links} link(s) in mail checked"


def certification(world: World) -> str:
    mark = world.mailbox.count()
    contact = "midori@example.jp"
    page = world.page(javascript=False)
    page.goto(world.base + "/certification/")
    click_and_wait(page, page.get_by_role("link", name="認定を申請する").first)
    expect_heading(page, "SDGs認定証の申請")
    page.get_by_label("団体名・事業者名").fill("清瀬みどりの会")
    page.get_by_label("団体名（ふりがな）").fill("きよせみどりのかい")
    page.get_by_label("市民団体", exact=True).check()
    page.get_by_label("きよせボランティア・市民活動センター（市民団体）").check()
    page.get_by_label("所在地").fill("東京都清瀬市元町1-1")
    page.get_by_label("代表者の役職").fill("代表")
    page.get_by_label("代表者氏名").fill("清瀬 一郎")
    page.get_by_label("担当者氏名").fill("清瀬 二郎")
    page.get_by_label("担当者メールアドレス").fill(contact)
    page.get_by_label("担当者電話番号").fill("０４２－４９２－５１１１")
    page.get_by_label("15. 陸の豊かさも守ろう").check()
    page.get_by_label("現在の取組（経済）").fill("地元農家の朝市の手伝い")
    page.get_by_label("現在の取組（社会）").fill("子ども向け自然観察会")
    page.get_by_label("現在の取組（環境）").fill("雑木林の保全活動")
    page.get_by_label("取組の概要（公表用）").fill("清瀬の雑木林を守り、子どもたちに自然を伝える市民団体です。")
    # Every self-check question answered はい.
    for radio in page.get_by_role("radio", name="はい", exact=True).all():
        radio.check()
    page.get_by_label("認定後、毎年度の年間報告書を提出します").check()
    page.get_by_label(re.compile("公表することに同意します")).check()
    confirm_and_send(page)
    expect_heading(page, "申請を受け付けました")
    reference = page.locator(".reference-number").inner_text().strip()
    world.mailbox.wait_for(to=contact, subject=reference, after=mark)

    # 未来創造課 reviews and certifies it in the admin.
    staff = staff_page(world)
    admin_open(world, staff, "certification/application", reference)
    click_and_wait(staff, staff.get_by_role("link", name="審査を開始する", exact=True))
    click_and_wait(staff, staff.get_by_role("button", name="状態を変更する"))
    assert "審査中" in admin_message(staff), admin_message(staff)
    click_and_wait(staff, staff.get_by_role("link", name="認定する", exact=True))
    click_and_wait(staff, staff.get_by_role("button", name="状態を変更する"))
    assert "認定" in admin_message(staff), f"certifying {reference}: the admin said {admin_message(staff)!r}"
    notice = world.mailbox.wait_for(to=contact, subject="SDGs認定証の認定について", after=mark)
    certified = re.search(r"（([^（）]+)）", notice.subject)
    assert certified, f"certifying {reference}: the mail said {notice.subject!r}"
    number = certified.group(1)

    # The daily run (kiyose-certification-lifecycle.service) invites the report a month before it is due.
    today = tokyo_today()
    fiscal_year = today.year if today.month >= 4 else today.year - 1
    invitation_day = dt.date(fiscal_year + 1, 5, 15)
    output = world.stack.run_unit(
        "kiyose-certification-lifecycle.service",
        "--today",
        invitation_day.isoformat(),
        log="certification-lifecycle-invitation",
    )
    assert "提出期限前のお知らせ：1件" in output, f"certification_lifecycle --today {invitation_day}: {output!r}"
    invitation = world.mailbox.wait_for(to=contact, subject="年間報告書のご提出のお願い", after=mark)
    report_links = [link for link in invitation.links if "/certification/report/" in link]
    assert report_links, f"the invitation has no report link:\n{invitation.body}"

    links = mails_links_work(world, world.mailbox.since(mark))
    holder = world.page(javascript=False)
    holder.goto(report_links[0])
    holder.get_by_label("活動内容（経済）").fill("朝市の運営")
    holder.get_by_label("活動内容（社会）").fill("観察会を6回")
    holder.get_by_label("活動内容（環境）").fill("下草刈り")
    holder.get_by_label("成果").fill("参加者延べ150人")
    holder.get_by_label("次年度の計画").fill("観察会を10回に")
    click_and_wait(holder, holder.get_by_role("button", name="年間報告書を提出する"))
    expect_heading(holder, "年間報告書を受け付けました")
    world.mailbox.wait_for(to=contact, subject="年間報告書を受け付けました", after=mark)
    links += mails_links_work(world, world.mailbox.since(invitation.number))
    return f"申請 {reference} → {number}, report invited as of {invitation_day} and filed, {links} link(s) checked"


def talentbank_registration(world: World) -> str:
    mark = world.mailbox.count()
    address = "hanako@example.jp"
    page = world.page(javascript=False)
    page.goto(world.base + "/talentbank/")
    click_and_wait(page, page.get_by_role("link", name="人材バンクに登録する").first)
    labelled(page, "氏名").fill("清瀬 花子")
    labelled(page, "ふりがな").fill("きよせ はなこ")
    labelled(page, "年代").select_option(index=5)
    page.get_by_label("市内に住んでいる").check()
    labelled(page, "主な活動地域").select_option(index=1)
    labelled(page, "メールアドレス").fill(address)
    labelled(page, "電話番号").fill("０４２−１１１−２２２２")
    choose_first(page, "関心のある分野")
    labelled(page, "得意なこと・特技").fill("料理、傾聴")
    choose_first(page, "関わり方の希望")
    page.get_by_label("水曜日").check()
    choose_first(page, "活動できる時間帯")
    page.get_by_label(re.compile("市民人材バンクの登録情報として保管し")).check()
    confirm_and_send(page)
    expect_heading(page, "ご登録を受け付けました")
    confirmation = world.mailbox.wait_for(to=address, body="/talentbank/confirm/", after=mark)
    links = mails_links_work(world, world.mailbox.since(mark))  # a GET must not confirm: checked below
    link = next(link for link in confirmation.links if "/talentbank/confirm/" in link)
    visitor = world.page(javascript=False)
    visitor.goto(link)
    expect_heading(visitor, "登録の完了")
    click_and_wait(visitor, visitor.get_by_role("button", name="登録を完了する"))
    # The same link now opens the registrant's own page (see, edit, renew, withdraw, download).
    expect_heading(visitor, "登録内容の確認")
    later = world.mailbox.since(confirmation.number)
    links += mails_links_work(world, later)
    return f"registered, confirmed by the mail link (GET showed the button, POST confirmed), {links} link(s) checked"


def spot_proposal(world: World) -> str:
    mark = world.mailbox.count()
    page = world.page(javascript=False)
    page.goto(world.base + "/talentbank/spots/")
    click_and_wait(page, page.get_by_role("link", name="困りごとスポットを提案する").first)
    labelled(page, "団体名").fill("NPO法人きよせの森")
    labelled(page, "団体の種類").select_option("npo")
    labelled(page, "分野").select_option(label="環境・緑")
    labelled(page, "困りごとの見出し").fill("雑木林の下草刈り")
    labelled(page, "手伝ってほしいこと").fill("下草刈りと枝の片付け")
    labelled(page, "日時").fill("毎月第2土曜日 9時〜12時")
    page.get_by_label("土曜日").check()
    labelled(page, "場所").fill("中里の雑木林")
    labelled(page, "募集人数").fill("5")
    labelled(page, "ご担当者名").fill("森 一郎")
    labelled(page, "ご担当者メールアドレス").fill("mori@example.jp")
    confirm_and_send(page)
    expect_heading(page, "困りごとスポットの提案を受け付けました")
    world.mailbox.wait_for(to="mori@example.jp", after=mark)
    links = mails_links_work(world, world.mailbox.since(mark))
    return f"proposed, mail to the proposer arrived, {links} link(s) checked"


def staff_inspection(world: World) -> str:
    reference = world.state.get("inspection_reference")
    assert reference, "needs the inspection request journey's request"
    page = staff_page(world)
    admin_open(world, page, "inspections/request", reference)
    click_and_wait(page, page.get_by_role("link", name="「調整中」にする"))
    page.get_by_label("所管部署").fill("都市整備部 水と緑の環境課")
    click_and_wait(page, page.get_by_role("button", name="状態を変更する"))
    assert "調整中" in admin_message(page), admin_message(page)
    click_and_wait(page, page.get_by_role("link", name="「受入決定」にする"))
    page.get_by_label("視察日").fill(world.state["inspection_day"].isoformat())
    page.get_by_label("開始時刻").fill("13:30")
    page.get_by_label("終了時刻").fill("15:00")
    click_and_wait(page, page.get_by_role("button", name="状態を変更する"))
    assert "受入決定" in admin_message(page), f"accepting {reference}: {admin_message(page)!r}"
    pdf = fetch_pdf(world, page, "受入決定通知（PDF）")
    pages = _pdf_pages(pdf)
    return f"{reference} 受付 → 調整中 → 受入決定, 受入決定通知 PDF {len(pdf) // 1024} KiB, {pages} page(s)"


def _pdf_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 1, "the letter PDF has no page"
    return pages


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


def staff_enrolment(world: World) -> str:
    """A staff member's first sign-in in production: the password, then, having no second factor yet, the
    enrolment screen before anything of the admin; an authenticator app set up from the key on the screen, and
    recovery codes issued."""
    page = world.page(javascript=True)
    staff_password_step(world, page)
    expect_heading(page, "2段階認証の設定")
    assert "/admin/mfa/" in page.url, f"after the password, without a factor: {page.url}"
    # Nothing of the admin answers before a factor: a changelist leads back to the enrolment.
    page.goto(world.base + "/admin/inspections/request/")
    expect_heading(page, "2段階認証の設定")
    click_and_wait(page, page.get_by_role("link", name="認証アプリを設定する"))
    expect_heading(page, "認証アプリの設定")
    assert page.locator(".kiyose-qr svg").count() == 1, "no QR code on the authenticator set-up page"
    authenticator = Authenticator.from_setup_key(page.get_by_label("設定キー").inner_text())
    page.get_by_label("認証アプリに表示されている6桁の確認コード").fill(authenticator.code())
    click_and_wait(page, page.get_by_role("button", name="登録する"))
    assert "認証アプリを登録しました" in admin_message(page), f"enrolment: {admin_message(page)!r}"
    click_and_wait(page, page.get_by_role("button", name="リカバリーコードを発行する"))
    codes = page.locator(".kiyose-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes), f"recovery codes: {codes}"
    click_and_wait(page, page.get_by_role("link", name="控えました（設定に戻る）"))
    # On to the page asked for before the enrolment.
    click_and_wait(page, page.get_by_role("link", name="管理画面へ進む"))
    page.locator("#changelist").wait_for()
    assert page.url.startswith(world.base + "/admin/inspections/request/"), f"after the enrolment: {page.url}"
    world.state["authenticator"] = authenticator
    world.state["staff_session"] = page.context.storage_state()
    return "password → enrolment screen (admin closed) → authenticator app from the on-screen key → 10 recovery codes"


def staff_sign_in_and_networks(world: World) -> str:
    """A later sign-in: password, then the authenticator's current code; the session cookie's flags; and the
    admin answering only clients in ADMIN_ALLOWED_NETWORKS as resolved behind nginx, whatever X-Forwarded-For
    the client sends."""
    authenticator = world.state.get("authenticator")
    assert authenticator, "needs the staff enrolment journey's authenticator"
    stack = world.stack
    page = world.page(javascript=True)
    staff_password_step(world, page)
    expect_heading(page, "本人確認")
    # A password-only session is sent back to verification from every staff URL (browser and plain request).
    page.goto(world.base + "/admin/inspections/request/")
    assert "/admin/mfa/verify/" in page.url, f"password-only session reached {page.url}"
    password_only = stack.request(world.base + "/admin/inspections/request/", headers={"Cookie": cookie_header(page)})
    assert password_only.status == 302 and "/admin/mfa/verify/" in password_only.headers.get("Location", ""), (
        f"password-only session: {password_only.status} {password_only.headers.get('Location')}"
    )
    waited_before = authenticator.waited
    page.get_by_label("認証アプリに表示されている6桁の確認コード").fill(authenticator.code())
    click_and_wait(page, page.get_by_role("button", name="確認する", exact=True))
    page.locator("#result_list, #changelist").first.wait_for()
    assert page.url.startswith(world.base + "/admin/inspections/request/"), f"after the code: {page.url}"
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies.get("sessionid")
    assert session and session["secure"] and session["httpOnly"], f"sessionid cookie: {session}"
    assert cookies.get("csrftoken", {}).get("secure"), f"csrftoken cookie: {cookies.get('csrftoken')}"
    staff_cookie = cookie_header(page)

    def admin(source=None, forwarded=None, cookie=None):
        headers = {"Cookie": cookie} if cookie else {}
        if forwarded:
            headers["X-Forwarded-For"] = forwarded
        return stack.request(world.base + "/admin/", headers=headers, source=source).status

    # From the city's network, a forged X-Forwarded-For from outside changes nothing: nginx appends the real
    # address, the app takes the right-most hop that is not nginx.
    assert admin(forwarded="203.0.113.7", cookie=staff_cookie) == 200, "a forged X-Forwarded-For shut the admin"
    # From outside: 403 for the login and for a verified session, a forged city address included ...
    refused = stack.request(world.base + "/admin/login/", source=OUTSIDE_CLIENT)
    assert refused.status == 403, f"/admin/login/ from {OUTSIDE_CLIENT}: {refused.status}"
    assert "管理画面" in refused.body.decode(), "the 403 page is not the portal's Japanese page"
    assert admin(source=OUTSIDE_CLIENT, cookie=staff_cookie) == 403, "a staff session opened the admin from outside"
    assert admin(source=OUTSIDE_CLIENT, forwarded=LOOPBACK, cookie=staff_cookie) == 403, (
        "a forged X-Forwarded-For opened the admin from outside"
    )
    # ... straight to a node too (the header is believed only from nginx) ...
    direct = stack.request(
        stack.nodes["A"] + "/admin/login/",
        source=OUTSIDE_CLIENT,
        headers={"X-Forwarded-For": LOOPBACK, "X-Forwarded-Proto": "https"},
    )
    assert direct.status == 403, f"node A /admin/login/ from {OUTSIDE_CLIENT} with a forged header: {direct.status}"
    # ... while public pages answer everyone.
    assert stack.request(world.base + "/", source=OUTSIDE_CLIENT).status == 200, "public page refused outside"
    refused_logged = [
        line
        for name in ("app-node-A", "app-node-B")
        for line in stack.log_text(name).splitlines()
        if "outside ADMIN_ALLOWED_NETWORKS" in line
    ]
    assert refused_logged and all(f"ip={OUTSIDE_CLIENT}" in line for line in refused_logged), refused_logged
    waited = authenticator.waited - waited_before
    fresh = f" (waited {waited:.0f} s for a fresh code)" if waited else ""
    return (
        f"password → verification (admin closed) → code{fresh}"
        f"; secure HttpOnly session; admin from {LOOPBACK} with forged XFF 200, from {OUTSIDE_CLIENT} 403 "
        f"(login, session, forged XFF, direct to a node), public 200 from outside"
    )


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


JOURNEYS = [
    ("inspection request", inspection_request),
    ("staff: first sign-in, authenticator app enrolled", staff_enrolment),
    ("certification + annual report", certification),
    ("talent-bank registration", talentbank_registration),
    ("spot proposal", spot_proposal),
    ("staff: accept a request, letter PDF", staff_inspection),
    ("page cache across the two nodes", cache_across_nodes),
    ("staff: sign-in with password + code, admin networks", staff_sign_in_and_networks),
    ("production headers", production_headers),
    ("scheduled jobs (timers' commands)", scheduled_jobs),
]
