"""SDGs認定: an application, certification in the admin, the annual report invited and filed."""

import datetime as dt
import re

from e2e.journeys.helpers import (
    admin_message,
    admin_open,
    click_and_wait,
    confirm_and_send,
    expect_heading,
    mails_links_work,
    staff_page,
    tokyo_today,
)
from e2e.journeys.world import World


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
