"""Staff sign-in as in production: enrolling an authenticator app, later sign-ins, the admin's networks."""

import re

from e2e.journeys.helpers import (
    Authenticator,
    admin_message,
    click_and_wait,
    cookie_header,
    expect_heading,
    staff_password_step,
)
from e2e.journeys.world import World
from e2e.stack import LOOPBACK, OUTSIDE_CLIENT


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
