"""市民人材バンク: a registration confirmed by its mail link, and a 困りごとスポット proposal."""

import re

from e2e.journeys.helpers import (
    choose_first,
    click_and_wait,
    confirm_and_send,
    expect_heading,
    labelled,
    mails_links_work,
)
from e2e.journeys.world import World


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
