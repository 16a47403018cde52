"""The scanner's one field (SPEC O9; issue 10 item 3): the 粤康码 token from a URL of any host or a bare token,
the place's own 葵花码 told apart, anything else a clear message."""

from __future__ import annotations

import pytest

from yks_web.services import code_tokens, scan_input
from yks_web.services.scan_input import NotAHealthCode

TOKEN = "Ab-_" + "x" * (code_tokens.LENGTH - 4)


def refusal(text) -> str:
    with pytest.raises(NotAHealthCode) as refused:
        scan_input.parse(text)
    return refused.value.message


@pytest.mark.parametrize("text", [
    f"https://yks.test/code/scan/{TOKEN}",
    f"http://127.0.0.1:5000/code/scan/{TOKEN}",
    f"https://another.host.example/code/scan/{TOKEN}/",  # any host: the sealed token says everything
    f"yks.test/code/scan/{TOKEN}",  # a scanner that drops the scheme
    f"/code/scan/{TOKEN}",
    f"https://yks.test/code/scan/{TOKEN}?from=camera#top",
    f"  https://yks.test/code/scan/{TOKEN}\r\n",  # a wired scanner's Enter, a pasted line break
    TOKEN,
    f"\t{TOKEN}\n",
])
def test_o9_the_token_is_found_in_every_form_a_scanner_or_a_paste_gives(text):
    assert scan_input.parse(text) == TOKEN


@pytest.mark.parametrize("text", ["https://yks.test/p/Ab3dEf7h", "yks.test/p/Ab3dEf7h/", "/p/x"])
def test_o9_the_places_own_poster_is_told_apart(text):
    assert refusal(text) == scan_input.POSTER == "这是场所的体温正常快速打卡葵花码，请扫描市民出示的粤康码"


@pytest.mark.parametrize("text", ["", "   ", None, "\r\n"])
def test_o9_nothing_asks_for_a_code(text):
    assert refusal(text) == scan_input.EMPTY


@pytest.mark.parametrize("text", [
    "hello", "3123456789",  # a 场所申报码 is not a 粤康码
    TOKEN[:-1], TOKEN + "x", TOKEN[:-1] + "!",  # one character short, long or wrong
    f"https://yks.test/code/scan/{TOKEN[:20]}",  # a truncated URL
    f"https://yks.test/code/other/{TOKEN}",
    f"https://yks.test/code/scan/{TOKEN}/extra",
    "https://weixin.qq.com/r/abcdef", "x" * 5000, "<script>alert(1)</script>",
])
def test_o9_anything_else_gets_a_clear_message(text):
    assert refusal(text) == scan_input.UNKNOWN
