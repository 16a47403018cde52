"""已注销用户 (issue 16 item 2): the anonymous person rows that stand in for deleted accounts.

Each deleted account leaves one anonymous row of its own (services/account_deletion.py): id_type "deleted", a
random id_hash that no 证件 hashes to, no 证件号码, no phone, name 已注销用户, never verified, so it can never log in
and cannot be joined back to anyone. Every row others keep about the person (a submitted report's entry, a
declaration filled for someone else, a reader in 查阅记录 …) points to it, so two deleted people in one class stay
two people in every count, and nothing links either of them to who they were.

Screens that mask names (查阅记录, a place's 数据统计) show this one as it is: "已注销用户" is no one's name.
"""

from __future__ import annotations

import secrets

from yks_web.i18n import gettext
from yks_web.privacy import DELETED_ACCOUNT_NAME, mask_name

DELETED_NAME = DELETED_ACCOUNT_NAME
DELETED_ID_TYPE = "deleted"  # never one of models.people.ID_TYPES: no login or look-up by 证件 can reach it
_HASH_PREFIX = "deleted-"  # never an HMAC digest (those are 64 hex digits): no 证件 ever hashes to it


def new_id_hash() -> str:
    return _HASH_PREFIX + secrets.token_hex(16)


def is_deleted(id_type: str | None) -> bool:
    return id_type == DELETED_ID_TYPE


def shown_name(name: str, id_type: str | None) -> str:
    """A name as a masked list shows it: *立叶, or 已注销用户 whole (it names nobody)."""
    return gettext(name) if is_deleted(id_type) else mask_name(name)  # 已注销用户 in the reader's language
