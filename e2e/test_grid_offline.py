"""离线采集 (issue 12 item 7; SPEC O6) in Chromium at 390×844, by the visible labels, every screen checked by
axe-core and for CSP refusals:

a. an authorised 网格员 of an active grid opens 开始信息采集 → 手动录入 online: the service worker keeps the page.
b. the network goes (context offline, the service worker's own fetches too): 3 households are 提交ed, each
   "已保存在手机上，待上传" → 【继续采集】; 待上传 3 条. A reload with no network still shows the form and 待上传 3.
c. the network returns: the queue uploads by itself, exactly 3 visits arrive, the panel empties.
d. a record whose answer is lost on the way (stored, but the phone never hears it) stays 待上传 and is sent again
   by 【立即上传】: the server answers "repeated", and the visit is stored once. A record kept offline with a wrong
   证件号码 comes back 上传失败 with the server's message; 【重新编辑】 puts it back into the form, where it is fixed
   and 提交ed: stored once, the queue empty.
e. offline again, one household is recorded; meanwhile the grid admin 解绑s the worker. Back online the record is
   上传失败 with the reason, and stays on the phone (nothing stored, nothing dropped): 查看我的网格组织 points to
   待上传; 退出登录 warns of it, forgets the pages kept offline and keeps the record, still there after logging in
   again until 删除 is confirmed.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import func, select

from e2e.conftest import STORY_START
from e2e.people import Person, logs_in_from_home, person
from tests.factories import make_grid, make_grid_staff
from yks_web import clock
from yks_web.extensions import db
from yks_web.models import Person as PersonRow
from yks_web.models.grid import GridStaff, GridVisit
from yks_web.services import grid_staff
from yks_web.services.identity import build_id_card_number

WORKER = ("何网格", build_id_card_number("440106", date(1990, 4, 2), 141), "13900000141")
HOUSEHOLDS = [
    ("梁秀兰", build_id_card_number("440106", date(1950, 1, 12), 142), "石牌东路1号101房"),
    ("罗志明", build_id_card_number("440106", date(1978, 9, 3), 143), "石牌东路1号102房"),
    ("宋小红", build_id_card_number("440106", date(2001, 6, 25), 144), "石牌东路1号201房"),
]
LOST = ("唐建华", build_id_card_number("440106", date(1969, 11, 8), 145), "石牌东路1号202房")
FIXED = ("陆国强", build_id_card_number("440106", date(1983, 5, 17), 147), "石牌东路1号302房")
WRONG_NUMBER = FIXED[1][:-1] + ("0" if FIXED[1][-1] != "0" else "1")  # the check digit is wrong
REFUSED = ("韩桂芳", build_id_card_number("440106", date(1947, 3, 30), 146), "石牌东路1号301房")
GRID = "石牌街道六社区网格"
PAGES_CACHE = "yks-grid-pages"  # static/grid/service_worker.js


def visits(app, grid_id: int, name: str | None = None) -> int:
    with app.app_context():
        query = select(func.count()).select_from(GridVisit).where(GridVisit.grid_id == grid_id)
        if name is not None:
            query = query.where(GridVisit.name == name)
        return db.session.scalar(query)


def kept_pages(worker: Person) -> list[str]:
    return worker.page.evaluate(
        """async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname)""",
        PAGES_CACHE)


def waits_until_kept(worker: Person, path: str) -> None:
    """The service worker installs (its static files cached), takes the page and keeps a copy of it."""
    deadline = time.monotonic() + 15
    while path not in kept_pages(worker):
        assert time.monotonic() < deadline, kept_pages(worker)
        time.sleep(0.2)


def records(worker: Person, household: tuple[str, str, str], temperature: str = "36.6") -> None:
    name, number, address = household
    page = worker.page
    page.get_by_label("姓名", exact=True).fill(name)
    page.get_by_label("证件类型", exact=True).select_option(label="内地居民身份证")
    page.get_by_label("证件号码", exact=True).fill(number)
    page.get_by_label("住址", exact=True).fill(address)
    page.get_by_label("体温（℃，选填）", exact=True).fill(temperature)
    for question in ("是否有发热、咳嗽等症状", "14日内是否有中高风险地区旅居史", "14日内是否接触过确诊或疑似病例"):
        worker.chooses(question, "否")
    worker.click("提交")


def continues(worker: Person) -> None:
    """【继续采集】: an empty form again, the cursor in 姓名."""
    again = worker.page.get_by_role("button", name="继续采集", exact=True)
    expect(again).to_be_focused()  # shown once the record is kept (and sent, when there is a network)
    again.click()
    name = worker.page.get_by_label("姓名", exact=True)
    expect(name).to_have_value("")
    expect(name).to_be_focused()


def queue(worker: Person):
    return worker.page.locator("#grid-queue")


def test_item7_offline_records_wait_on_the_phone_and_arrive_once(browser, server, e2e_app, browser_context_args):
    sender = e2e_app.extensions["sms_sender"]
    worker = person(browser, server, sender, WORKER, browser_context_args)
    context = worker.context
    try:
        logs_in_from_home(worker)
        with e2e_app.app_context():
            me = db.session.scalar(select(PersonRow).where(PersonRow.name == WORKER[0]))
            grid = make_grid(db, "钱网管", GRID, status="active")
            staff = make_grid_staff(db, grid, me, authorised=True)
            staff.is_current = True
            db.session.commit()
            grid_id, me_id = grid.id, me.id
        manual = f"/grid/{grid_id}/collect/manual"

        # -- a. online: 开始信息采集 → 手动录入 (htmx brings the form; the worker keeps the whole page) ------------
        worker.open("/grid/collect")
        worker.sees_screen("开始信息采集")
        worker.click("手动录入", role="link", exact=False)
        worker.sees_screen("手动录入")
        expect(queue(worker)).to_be_hidden()  # nothing waits yet
        waits_until_kept(worker, manual)

        # -- b. no network: 3 households, each kept on the phone ----------------------------------------------
        context.set_offline(True)
        for number, household in enumerate(HOUSEHOLDS, start=1):
            records(worker, household)
            worker.sees("已保存在手机上，待上传")
            worker.sees("网络不可用，恢复网络后自动上传")
            expect(queue(worker)).to_contain_text(f"待上传 {number} 条")
            continues(worker)
        rows = queue(worker).get_by_role("listitem")
        expect(rows).to_have_count(3)
        expect(rows.first).to_contain_text("*秀兰")  # masked, as every list of people
        expect(queue(worker)).not_to_contain_text("梁秀兰")
        assert visits(e2e_app, grid_id) == 0

        worker.page.reload()  # still no network: the page the service worker kept
        worker.sees_screen("手动录入")
        expect(queue(worker)).to_contain_text("待上传 3 条")
        expect(worker.page.get_by_label("姓名", exact=True)).to_be_editable()
        assert visits(e2e_app, grid_id) == 0

        # -- c. the network returns: the queue uploads by itself, once each ----------------------------------
        context.set_offline(False)
        expect(queue(worker)).to_be_hidden(timeout=15_000)
        assert visits(e2e_app, grid_id) == 3
        for name, _, _ in HOUSEHOLDS:
            assert visits(e2e_app, grid_id, name) == 1

        # -- d. the answer to a stored record is lost: it stays 待上传, is sent again, and is stored once -------
        lost = []

        def lose_the_answer(route):
            route.fetch()  # the server stores the visit…
            lost.append(route.request.url)
            route.abort("internetdisconnected")  # …and the phone never hears it

        worker.page.route("**/grid/visits", lose_the_answer)
        records(worker, LOST)
        worker.sees("已保存在手机上，待上传")
        expect(queue(worker)).to_contain_text("待上传 1 条")
        assert len(lost) == 1 and visits(e2e_app, grid_id, LOST[0]) == 1
        worker.page.unroute("**/grid/visits")
        continues(worker)
        worker.click("立即上传")
        expect(queue(worker)).to_be_hidden()
        assert visits(e2e_app, grid_id, LOST[0]) == 1 and visits(e2e_app, grid_id) == 4

        # -- d2. recorded offline with a wrong 证件号码: 上传失败 with the field's message → 重新编辑 → stored once
        context.set_offline(True)
        records(worker, (FIXED[0], WRONG_NUMBER, FIXED[2]))
        worker.sees("已保存在手机上，待上传")
        continues(worker)
        context.set_offline(False)
        failed = queue(worker).get_by_role("listitem")
        expect(failed).to_contain_text("上传失败", timeout=15_000)
        expect(failed.locator(".field-error")).not_to_be_empty()
        worker.click("重新编辑")
        number = worker.page.get_by_label("证件号码", exact=True)
        expect(worker.page.get_by_label("姓名", exact=True)).to_have_value(FIXED[0])
        expect(number).to_have_value(WRONG_NUMBER)
        expect(number).to_have_attribute("aria-invalid", "true")  # the server's message beside the field
        expect(queue(worker)).to_contain_text("待上传 1 条")  # still queued until 提交
        number.fill(FIXED[1])
        worker.click("提交")
        worker.sees("提交成功")
        expect(queue(worker)).to_be_hidden()
        assert visits(e2e_app, grid_id, FIXED[0]) == 1 and visits(e2e_app, grid_id) == 5
        continues(worker)

        # -- e. recorded offline, then the worker is 解绑ed: 上传失败 with the reason, kept until 删除 -------------
        context.set_offline(True)
        records(worker, REFUSED)
        worker.sees("已保存在手机上，待上传")
        continues(worker)
        with e2e_app.app_context():
            binding = db.session.scalar(select(GridStaff).where(GridStaff.grid_id == grid_id,
                                                                GridStaff.person_id == me_id))
            grid_staff.unbind(db.session, binding, clock.utcnow())
            db.session.commit()
        context.set_offline(False)
        failed = queue(worker).get_by_role("listitem")
        expect(failed).to_contain_text("上传失败", timeout=15_000)
        expect(failed).to_contain_text("*桂芳")
        reason = failed.locator(".field-error")
        expect(reason).not_to_be_empty()
        expect(queue(worker)).to_contain_text("待上传 1 条")
        worker.axe_check()
        assert visits(e2e_app, grid_id, REFUSED[0]) == 0 and visits(e2e_app, grid_id) == 5
        expect(worker.page.get_by_role("button", name="立即上传")).to_be_hidden()  # nothing left to send

        # the form of a grid no longer theirs is gone; 查看我的网格组织 points to what waits on the phone
        worker.open("/grid/worker")
        worker.sees_screen("查看我的网格组织")
        worker.sees("这部手机上有1条采集记录未上传")
        worker.click("查看待上传", role="link")
        worker.sees_screen("待上传")
        failed = queue(worker).get_by_role("listitem")
        expect(failed).to_contain_text("上传失败")  # a refused record is never dropped by the next round
        expect(failed.locator(".field-error")).to_have_text(reason.text_content())
        expect(worker.page.get_by_role("button", name="重新编辑")).to_have_count(0)  # no form here

        # 退出登录 warns of it and keeps it; the pages kept for this worker go (a shared phone)
        worker.open("/me")
        worker.sees_screen("个人中心")
        worker.sees("有1条记录待上传")
        assert manual in kept_pages(worker)
        worker.click("退出登录")
        worker.sees_screen("粤康码")
        assert not worker.page.evaluate("(name) => caches.has(name)", PAGES_CACHE)
        clock.set_now(STORY_START + timedelta(minutes=2))  # a new SMS code may be asked for
        logs_in_from_home(worker)
        worker.open("/grid/queue")
        worker.sees_screen("待上传")
        expect(failed).to_contain_text("上传失败")
        worker.click("删除")  # the confirm dialog is accepted (e2e/people.py)
        expect(queue(worker)).to_be_hidden()
        worker.sees("这部手机上没有待上传的记录")
        assert visits(e2e_app, grid_id) == 5
        assert not worker.csp_violations, worker.csp_violations
    finally:
        worker.close()
