"""Fill the empty msgstrs of the 繁體中文 (Hong Kong) catalogue from the Simplified msgids (issue 15).

    .venv/bin/python scripts/fill_traditional.py          # `make messages` runs it after extract + update
    .venv/bin/python scripts/fill_traditional.py --check  # list the hand-made msgstrs that differ from a fresh fill

OpenCC's s2hk (Simplified → Traditional with Hong Kong variants; the PyPI package opencc, a dev-only dependency in
requirements-dev.txt, never imported by the app) converts each msgid, then TERMS puts the guides' own characters back
where the converter's differ: the 粤康码 guide's traditional edition (../shared/guides/yuekangma-health-code.zh-Hant.md)
writes 戶籍, 體溫, 說明 where s2hk writes 户, 温, 説. A msgstr that is already filled is never touched, so a
hand correction survives a rerun; a correction that every new message needs belongs in TERMS.

The English catalogue (yks_web/translations/en) is written by hand; its glossary is in docs/I18N.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent.parent / "yks_web/translations/zh_Hant_HK/LC_MESSAGES/messages.po"

# After s2hk: the character as the guides' traditional edition writes it. s2hk gives Hong Kong's glyph standard
# (户, 温, 説, 衞, 閲); the 粤康码 guide in traditional script writes 戶籍, 體溫, 說明, and so do Hong Kong's forms.
TERMS = {
    "户": "戶",  # 戶籍, 用戶
    "温": "溫",  # 體溫
    "説": "說",  # 說明
    "衞": "衛",  # 衛生
    "閲": "閱",  # 查閱記錄
}


def converter():
    try:
        import opencc
    except ImportError:  # pragma: no cover - a developer without requirements-dev.txt
        sys.exit("opencc is missing: .venv/bin/pip install -r requirements-dev.txt")
    return opencc.OpenCC("s2hk")


def traditional(text: str, convert) -> str:
    result = convert(text)
    for simplified_form, guide_form in TERMS.items():
        result = result.replace(simplified_form, guide_form)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list filled msgstrs a fresh fill would change")
    args = parser.parse_args(argv)
    convert = converter().convert
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    filled = differs = 0
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        fresh = traditional(ids[0], convert)  # zh has one plural form: the msgid's
        current = message.string if isinstance(message.string, tuple) else (message.string,)
        if args.check:
            if current[0] and current[0] != fresh:
                differs += 1
                print(f"{ids[0]}\n  now:   {current[0]}\n  fill:  {fresh}")
            continue
        if not all(current):
            message.string = (fresh,) if isinstance(message.id, tuple) else fresh
            message.flags.discard("fuzzy")
            filled += 1
    if args.check:
        print(f"{differs} msgstrs differ from a fresh fill", file=sys.stderr)
        return 0
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalogue, width=0, include_lineno=False)
    print(f"filled {filled} empty msgstrs in {CATALOGUE.relative_to(CATALOGUE.parents[3])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
