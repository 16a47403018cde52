"""Jinja's `format` filter, as cheap per row as the markup it replaced (issue 14 item 4, issue 15).

A list screen translates a row's words once for the page and fills them in for each row:
`{{ name_id | format(name=m.name, id=m.masked_id) }}` (templates/workbench/_day.html: 500 rows, twice per row).
The pattern is Markup (a template's `_()`), so Jinja's filter runs `Markup.__mod__`, which wraps every value in an
escaping helper object: about twice what `{{ m.name }}（{{ m.masked_id }}）` cost before the screens were marked
for translation, and a few milliseconds of a 500-member 申报详情.

Here a Markup pattern whose only placeholders are `%(name)s` is split once (cached) into its literal pieces and
names, and each row joins the pieces with the escaped values: the same output as `Markup.__mod__` (each value through
markupsafe.escape, Markup left as it is). Anything else (another conversion such as %d or %%, positional
arguments, a plain str) goes to Jinja's own filter unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jinja2.filters import do_format
from markupsafe import Markup, escape

_NAMED = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=1024)
def _pieces(pattern: str) -> tuple[str, ...] | None:
    """("", "name", "（", "id", "）") for "%(name)s（%(id)s）": literals at even places, names at odd ones; None when
    a literal still holds a % (another conversion: left to markupsafe)."""
    pieces = tuple(_NAMED.split(pattern))
    return None if any("%" in literal for literal in pieces[::2]) else pieces


def format_filter(value, *args, **kwargs):
    if kwargs and not args and isinstance(value, Markup):
        pieces = _pieces(str(value))
        if pieces is not None:
            out = [pieces[0]]
            for at in range(1, len(pieces), 2):
                out.append(escape(kwargs[pieces[at]]))  # a missing name: KeyError, as `%` raises it
                out.append(pieces[at + 1])
            return Markup("".join(out))
    return do_format(value, *args, **kwargs)
