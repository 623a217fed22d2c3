"""行政視察: a council's request through the public form, then staff accepting it and issuing the letter."""

import io

from e2e.journeys.helpers import (
    admin_message,
    admin_open,
    click_and_wait,
    confirm_and_send,
    expect_heading,
    fetch_pdf,
    mails_links_work,
    open_visit_day,
    staff_page,
)
from e2e.journeys.world import World
from e2e.stack import OFFICE_MAILBOXES


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
