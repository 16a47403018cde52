"""A person at a phone: logs in by 实名认证, moves between screens, and every screen is checked by axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.conftest import AXE
from tests.factories import ensure_registered
from yks_web.extensions import db

YES_NO_QUESTIONS = (
    "假期是否留校", "是否已返校", "本日是否有发热、咳嗽等症状", "14日内是否有中高风险地区旅居史",
    "14日内是否接触过确诊或疑似病例", "本日是否离校前往省内其他地市", "本日是否离校前往其他国家或地区", "本日是否返校",
)


class AccessibilityError(AssertionError):
    pass


class Person:
    def __init__(self, browser, server, sender, *, name: str, id_number: str, phone: str, context_args: dict):
        self.context = browser.new_context(**context_args)
        # axe-core is a script: with JavaScript off it cannot run (those screens are checked with it on).
        self.run_axe = context_args.get("java_script_enabled", True)
        self.page: Page = self.context.new_page()
        self.page.on("dialog", lambda dialog: dialog.accept())
        # Every screen runs under the app's Content-Security-Policy; Chromium reports each refusal on the
        # console ("... violates the following Content Security Policy directive ..."), issue 8 item 5.
        self.csp_violations: list[str] = []
        self.page.on("console", self._on_console)
        self.server = server
        self.sender = sender
        self.name, self.id_number, self.phone = name, id_number, phone
        self.checked: list[str] = []

    # -- navigation -------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        self.page.goto(url if url.startswith("http") else self.server.url + url)

    def click(self, label: str, role: str = "button", exact: bool = True) -> None:
        target = self.page.get_by_role(role, name=label, exact=exact)
        if role == "button" and target.count() == 0:
            target = self.page.get_by_role("link", name=label, exact=exact)
        target.first.click()

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def sees_screen(self, title: str) -> None:
        """Wait for the screen's title in the top bar, check it with axe-core, and that nothing so far was
        refused by the Content-Security-Policy."""
        expect(self.page.locator("#screen .topbar h1")).to_have_text(title)
        if self.run_axe:
            self.axe_check()
        assert not self.csp_violations, self.csp_violations

    def sees(self, text: str | re.Pattern) -> None:
        expect(self.page.locator("#screen")).to_contain_text(text)

    def chooses(self, question: str, answer: str) -> None:
        """One answer of a choice group (the choice macro: a fieldset named by its legend)."""
        self.page.get_by_role("group", name=question, exact=True).get_by_label(answer, exact=True).check()

    def picks_area(self, city: str, district: str, town: str) -> None:
        """所在区域 (the area_picker macro): 市 → 区（县） → 乡镇（街道）. Each choice brings the next level's options
        by an htmx swap of the picker, and htmx listens on the new picker only once it settles (20 ms later): a
        choice made before that would fetch nothing, so each level waits for its options and the settled picker."""
        page = self.page
        levels = (("城市", city), ("区（县）", district), ("乡镇（街道）", town))
        for (label, choice), following in zip(levels, [*levels[1:], None], strict=True):
            page.get_by_label(label, exact=True).select_option(label=choice)
            if following:
                options = page.get_by_label(following[0], exact=True).locator("option")
                expect(options.filter(has_text=re.compile(f"^{re.escape(following[1])}$"))).to_have_count(1)
            else:  # the last choice swaps the picker once more, with the town chosen
                page.wait_for_load_state("networkidle")
            expect(page.locator("#area-picker:is(.htmx-added, .htmx-request, .htmx-settling)")).to_have_count(0)
        expect(page.get_by_label("乡镇（街道）", exact=True).locator("option:checked")).to_have_text(town)

    def downloads(self, label: str, role: str = "link") -> bytes:
        """Tap a download link or button and return the file the browser saved."""
        with self.page.expect_download() as info:
            self.click(label, role=role)
        path = info.value.path()
        return path.read_bytes()

    def axe_check(self) -> None:
        """No serious or critical axe-core violation on the screen as it is now (issue 2, item 6)."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through DevTools, which the page's CSP does not govern (a <script> tag with inline
            # content would be refused), so the app's real CSP stays on and no bypass_csp is needed.
            self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['html'][:120] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        self.checked.append(self.page.url)
        if bad:
            raise AccessibilityError(f"{self.page.url}:\n" + "\n".join(bad))

    # -- 实名认证 (I3) ------------------------------------------------------------------------------
    def enters_identity(self, name: str, number: str, id_type: str = "内地居民身份证") -> None:
        """姓名, 证件类型, 证件号码: the three fields every identity screen asks for (the identity_fields macro)."""
        self.page.get_by_label("姓名").fill(name)
        self.page.get_by_label("证件类型").select_option(label=id_type)
        self.page.get_by_label("证件号码").fill(number)

    def log_in(self) -> None:
        # Only a 证件 the real-name source holds logs in (issue 8 item 1): hold this person's.
        with self.server.app.app_context():
            ensure_registered(db, self.name, self.id_number, phone=self.phone)
            db.session.commit()
        self.sees_screen("实名认证")
        self.enters_identity(self.name, self.id_number)
        self.page.get_by_label("手机号").fill(self.phone)
        self.click("获取验证码")
        self.sees_screen("实名认证")
        expect(self.page.get_by_label("验证码")).to_be_visible()
        self.page.get_by_label("验证码").fill(self.sender.last_code(self.phone))
        self.click("同意授权并登录")

    # -- the declaration form (SPEC §4) -------------------------------------------------------------
    def fill_declaration(self, *, city: str = "广州市", left_to_city: bool = False, temperature: str = "36.5") -> None:
        page = self.page
        page.get_by_label("户籍所在省市").fill("广东省广州市")
        page.get_by_label("当前所在省份").fill("广东省")
        page.get_by_label("当前所在城市").fill(city)
        page.get_by_label("当前体温").fill(temperature)
        answers = dict.fromkeys(YES_NO_QUESTIONS, "否")
        answers["是否已返校"] = "是"
        answers["本日是否返校"] = "是"
        if left_to_city:
            answers["本日是否离校前往省内其他地市"] = "是"
            answers["本日是否返校"] = "否"
        for question, answer in answers.items():
            page.get_by_role("group", name=question, exact=True).get_by_label(answer, exact=True).check()
        page.get_by_role("group", name="个人健康状态").get_by_label("健康", exact=True).check()

    def submit_declaration(self, which: str = "提交本日数据", first: str = "提交当日数据") -> None:
        self.click(first)
        self.page.get_by_role("button", name=re.compile(which)).click()

    def close(self) -> None:
        self.context.close()


def person(browser, server, sender, who: tuple[str, str, str], context_args: dict) -> Person:
    """Someone of the story, by (姓名, 证件号码, 手机号), in a browser context of their own."""
    name, number, phone = who
    return Person(browser, server, sender, name=name, id_number=number, phone=phone, context_args=context_args)


def logs_in_from_home(someone: Person) -> None:
    """首页 (the 粤康码 start page) → 实名认证登录 → back on 首页, logged in."""
    someone.open("/")
    someone.sees_screen("粤康码")
    someone.click("实名认证登录")
    someone.log_in()
    someone.sees_screen("粤康码")
