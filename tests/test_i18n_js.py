"""Issue 15: the words the browser scripts write themselves (static/js/*.js) in 繁體中文 and English.

Each script writes its Chinese as `t("…")` with the 简体中文 msgid; yks_web/js_messages.py lists the msgids (N_, so
`make messages` extracts them) and page.html gives their translations once, in a data block
`<script type="application/json" id="yks-messages">`, only where the page is not 简体中文.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from tests.blueprints.support import text
from tests.blueprints.test_languages import choose
from tests.test_i18n_marking import CJK
from yks_web import js_messages

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "yks_web" / "static" / "js").glob("*.js"))
BLOCK = re.compile(r'<script type="application/json" id="yks-messages">(.*?)</script>', re.S)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(raw: str) -> str:
    def one(match: re.Match) -> str:
        escape = match.group(1)
        if escape[0] in "ux" and len(escape) > 1:
            return chr(int(escape[1:], 16))
        return _SIMPLE.get(escape, escape)
    return _ESCAPE.sub(one, raw)


def scan(source: str) -> tuple[str, list[str]]:
    """A script's code with its comments gone and each string literal replaced by `@n@`, and the literals.

    Enough JavaScript for these files: // and /* */ comments, '…' and "…" strings (a template literal fails the
    test); a regular expression literal is code, and must not hold a quote or two slashes in a row."""
    code: list[str] = []
    literals: list[str] = []
    i = 0
    while i < len(source):
        two = source[i:i + 2]
        if two == "//":
            end = source.find("\n", i)
            i = end if end >= 0 else len(source)
        elif two == "/*":
            i = source.index("*/", i) + 2
            code.append(" ")
        elif source[i] in "\"'":
            quote, j = source[i], i + 1
            while source[j] != quote:
                assert source[j] != "\n", f"unterminated string at {i}"
                j += 2 if source[j] == "\\" else 1
            code.append(f"@{len(literals)}@")
            literals.append(_unescape(source[i + 1:j]))
            i = j + 1
        else:
            assert source[i] != "`", "a template literal: write the text with t() and placeholders"
            code.append(source[i])
            i += 1
    return "".join(code), literals


def chinese_calls(path: Path) -> list[tuple[str, bool]]:
    """Each Chinese string literal of a script, and whether it is the whole first argument of t()."""
    code, literals = scan(path.read_text(encoding="utf-8"))
    found = []
    for number, literal in enumerate(literals):
        if CJK.search(literal):
            in_t = re.search(rf"(?<![\w$.])t\(\s*@{number}@\s*[,)]", code) is not None
            found.append((literal, in_t))
    return found


def test_the_scanner_finds_strings_and_skips_comments():
    code, literals = scan('// 注释 "x"\nvar a = t("甲", { n: 1 }); /* "乙" */ b("丙\\"") + \'丁\';\n')
    assert literals == ["甲", '丙"', "丁"]
    assert "注释" not in code and "乙" not in code
    assert re.search(r"(?<![\w$.])t\(\s*@0@\s*[,)]", code) and not re.search(r"t\(\s*@1@", code)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.name)
def test_every_chinese_string_of_a_script_is_a_t_msgid(path):
    calls = chinese_calls(path)
    assert [literal for literal, in_t in calls if not in_t] == []
    if path.name in {"app.js", "countdown.js", "grid_queue.js", "scanner.js"}:
        assert calls, f"{path.name} writes Chinese: the checker should see it"


def test_every_msgid_of_the_scripts_is_listed_and_extracted():
    used = {literal for path in SCRIPTS for literal, _ in chinese_calls(path)}
    listed = set(js_messages.MESSAGES)
    assert used - listed == set(), "add these to yks_web/js_messages.py"
    assert listed - used == set(), "no script writes these any more"
    assert len(js_messages.MESSAGES) == len(listed)
    extracted = {message for _line, message, _comments, _context
                 in extract_from_file("python", ROOT / "yks_web" / "js_messages.py")}
    assert extracted == listed  # `make messages` (pybabel extract, N_) finds every one


def test_the_scripts_share_one_t_loaded_before_them(client):
    """static/js/i18n.js defines window.yksT; a script that writes words takes it, none has a t() of its own."""
    for path in SCRIPTS:
        source = path.read_text(encoding="utf-8")
        assert "function t(" not in source, path.name
        if path.name != "i18n.js" and chinese_calls(path):
            assert "var t = window.yksT;" in source, path.name
    page = text(client.get("/auth/login"))
    assert page.index("js/i18n.js") < page.index("js/app.js") < page.index("js/grid_queue.js")


def messages_of(page: str) -> dict[str, str] | None:
    found = BLOCK.findall(page)
    assert len(found) <= 1
    return json.loads(found[0]) if found else None


def test_simplified_pages_carry_no_block(client):
    page = text(client.get("/auth/login"))
    assert messages_of(page) is None and "yks-messages" not in page
    assert all(' src="' in tag for tag in re.findall(r"<script\b[^>]*>", page))  # files only, as before
    assert js_messages.messages() == {}  # outside a request: the source language


def test_an_english_page_carries_the_scripts_english_once(client):
    choose(client, "en")
    response = client.get("/auth/login")
    page = text(response)
    found = messages_of(page)
    assert found is not None, "no yks-messages block on an English page"
    assert found["链接已复制"] == "Link copied"
    assert found["不到1分钟"] == "less than a minute"
    assert found["%(hours)d小时%(minutes)d分"] == "%(hours)d h %(minutes)d min"
    assert found["另有%(num)s条其他账号的记录待上传，需由该网格员本人登录后上传"].startswith(
        "Records of other accounts waiting to upload: %(num)s.")
    assert found["确定删除这条记录吗？删除后无法恢复"] == "Delete this record? It cannot be recovered"
    assert found["无法打开摄像头，请使用扫码枪或粘贴"] == "Can't open the camera. Use a scanner or paste the code"
    assert set(found) <= set(js_messages.MESSAGES) and not any(CJK.search(value) for value in found.values())
    # in <head>, before the scripts that read it; a data block, which the CSP (script-src 'self') does not run
    assert page.index('id="yks-messages"') < page.index("js/app.js") < page.index("</head>")
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert ' src="' in tag or tag == '<script type="application/json" id="yks-messages">', tag
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "</script" not in BLOCK.search(page).group(1).lower()  # tojson escapes < and >
    # an htmx fragment keeps the page's <head>: the block comes with the whole page only
    fragment = text(client.get("/auth/login", headers={"HX-Request": "true"}))
    assert "yks-messages" not in fragment


def test_a_traditional_page_carries_traditional_words(client):
    choose(client, "zh_Hant_HK")
    found = messages_of(text(client.get("/auth/login")))
    assert found["删除"] == "刪除" and found["正在打开摄像头…"] == "正在打開攝像頭…"
    assert "提交成功" not in found  # the same in both scripts: the script writes its msgid


NODE = shutil.which("node")
COUNTDOWN = ROOT / "yks_web" / "static" / "js" / "countdown.js"
# countdown.js with the page's block, a fake clock and one element the server wrote: what it says at load and
# an hour later, and a minute before the lock.
_HARNESS = r"""
const fs = require("fs");
let now = 1000000;
Date.now = () => now;
const block = {textContent: fs.readFileSync(process.argv[3], "utf8")};
const elements = [{dataset: {countdown: String(3600 * 2 + 65), countdownPrefix: "[", countdownSuffix: "]",
                             countdownDone: "locked"}, textContent: "server"}];
const timers = [];
global.window = {};
global.document = {
  querySelectorAll: () => elements,
  getElementById: (id) => (id === "yks-messages" ? block : null),
  addEventListener: () => {},
};
global.setInterval = (fn) => { timers.push(fn); };
eval(fs.readFileSync(process.argv[4], "utf8"));  // static/js/i18n.js, loaded first by page.html
eval(fs.readFileSync(process.argv[2], "utf8"));
const seen = [elements[0].textContent];
now += (3600 + 60) * 1000;
timers.forEach((fn) => fn());
seen.push(elements[0].textContent);
now += 3 * 60 * 1000;
timers.forEach((fn) => fn());
seen.push(elements[0].textContent);
console.log(JSON.stringify(seen));
"""


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["[2 h 1 min]", "[1 h 0 min]", "[57 min]"]),
    ("zh_Hant_HK", ["[2小時1分]", "[1小時0分]", "[57分]"]),
    ("zh_Hans_CN", ["[2小时1分]", "[1小时0分]", "[57分]"]),
])
def test_the_countdown_ticks_in_the_pages_language(client, tmp_path, language, expected):
    assert NODE, "Node.js runs this test: `make test` installs Debian's nodejs (Makefile: node)"
    choose(client, language)
    found = messages_of(text(client.get("/auth/login")))
    block = tmp_path / "block.json"
    block.write_text("" if found is None else json.dumps(found), encoding="utf-8")  # 简体: no block, no JSON
    harness = tmp_path / "harness.js"
    harness.write_text(_HARNESS, encoding="utf-8")
    result = subprocess.run([NODE, str(harness), str(COUNTDOWN), str(block), str(COUNTDOWN.with_name("i18n.js"))],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected
