"""What a scanner's one field received (SPEC O9): the 粤康码 token inside it, or why there is none.

The field is filled three ways — the phone camera's decoder, a wired 2D scanner typing the QR's text and
Enter, or a person pasting — so it may hold the QR's whole URL (https://<any host>/code/scan/<token>,
with or without the scheme: the host is not checked, the sealed token says everything), the bare token,
or something else entirely: the place's own 葵花码 (/p/<token>), another QR, a typo. Each gets its answer
here; whether the token is live is code_scans' question.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from yks_web.i18n import N_, gettext
from yks_web.services import code_tokens
from yks_web.services.errors import DomainError

MAX_LENGTH = 500  # a QR URL is under 100 characters; a page of pasted text is not a code

EMPTY = N_("请扫描或粘贴市民出示的粤康码")
POSTER = N_("这是场所的体温正常快速打卡葵花码，请扫描市民出示的粤康码")
UNKNOWN = N_("无法识别该内容，请扫描市民出示的粤康码，或粘贴粤康码链接")

_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{code_tokens.LENGTH}}}")  # a token's shape; whether it is genuine is resolve's
_CODE_PATH = re.compile(r"(?:^|/)code/scan/([^/?#]+)/?$")
_POSTER_PATH = re.compile(r"(?:^|/)p/[^/?#]+/?$")


class NotAHealthCode(DomainError):
    pass


def parse(text: str | None) -> str:
    """The 粤康码 token in `text`; NotAHealthCode with the message to show beside the field otherwise."""
    raw = re.sub(r"\s+", "", text or "")  # a scanner's trailing Enter, a line break copied along
    if not raw:
        raise NotAHealthCode(gettext(EMPTY))
    if len(raw) > MAX_LENGTH:
        raise NotAHealthCode(gettext(UNKNOWN))
    if _TOKEN.fullmatch(raw):
        return raw
    path = urlsplit(raw if "://" in raw else "//" + raw).path  # "yks.example/code/scan/…" is a URL without scheme
    found = _CODE_PATH.search(path)
    if found and _TOKEN.fullmatch(found.group(1)):
        return found.group(1)
    if _POSTER_PATH.search(path):
        raise NotAHealthCode(gettext(POSTER))
    raise NotAHealthCode(gettext(UNKNOWN))
