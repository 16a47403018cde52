"""Issue 15 item 3: a template or Python module whose user-facing Chinese is not marked for translation fails here.

`unmarked(path)` finds Chinese text (汉字 and the full-width punctuation of Chinese prose) that no translation call
carries: in a Jinja template, text between tags (attribute values too) and string constants outside `_()`,
`gettext()`, `ngettext()`; in Python, string literals outside gettext, lazy_gettext, ngettext and N_ (see
yks_web/i18n.py), docstrings and comments aside. A constant compared with (`x == "是"`) is data, not shown, and so is
a line that says so with the comment `i18n: data` (a language's own name, a regular expression for what is typed,
a log line).

Every template and module under yks_web/ is checked (CHECKED); `python -m tests.test_i18n_marking` lists what a
change left unmarked. The browser scripts' own words are checked by tests/test_i18n_js.py.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "yks_web"

# 汉字 (the unified ideographs and their extensions), CJK punctuation (、。「」【】) and full-width forms (（），：).
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")
MARKERS = frozenset({"_", "gettext", "ngettext", "lazy_gettext", "lazy_ngettext", "pgettext", "npgettext", "N_"})
PRAGMA = "i18n: data"

# Every template and Python module of the app: a new file is checked from its first line.
CHECKED = sorted(
    str(path.relative_to(ROOT)) for path in [*APP.rglob("templates/**/*.html"), *APP.rglob("*.py")]
)


_JINJA = Environment(extensions=["jinja2.ext.i18n"])


def _has_pragma(lines: list[str], first: int, last: int) -> bool:
    return any(PRAGMA in line for line in lines[first - 1:last])


# -- Jinja ----------------------------------------------------------------------------------------------------------


def unmarked_jinja(source: str) -> list[tuple[int, str]]:
    """(line, text) of each piece of Chinese in a template that no translation call carries."""
    lines = source.splitlines()
    found: list[tuple[int, str]] = []

    def visit(node: nodes.Node, carried: bool) -> None:
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in MARKERS:
            for argument in node.args:  # the msgid (and plural): carried; keyword values are not
                visit(argument, True)
            for child in (*node.kwargs, node.dyn_args, node.dyn_kwargs):
                if child is not None:
                    visit(child, carried)
            return
        if isinstance(node, nodes.Compare):  # `x == "是"`: a value compared, not shown
            carried = True
        text = None
        if isinstance(node, nodes.TemplateData):
            text = node.data
        elif isinstance(node, nodes.Const) and isinstance(node.value, str):
            text = node.value
        if text is not None and not carried:
            for offset, piece in enumerate(text.split("\n")):  # each line of a text node on its own
                line = (node.lineno or 0) + offset
                if CJK.search(piece) and not _has_pragma(lines, line, line):
                    found.append((line, piece.strip()))
        for child in node.iter_child_nodes():
            visit(child, carried)

    visit(_JINJA.parse(source), False)
    return found


# -- Python ---------------------------------------------------------------------------------------------------------


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):  # flask_babel.gettext(…)
        return func.attr
    return None


def unmarked_python(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal with Chinese outside the markers, docstrings and comments aside."""
    tree = ast.parse(source)
    lines = source.splitlines()
    carried: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # docstrings, bare strings
            carried.add(id(node.value))
        elif isinstance(node, ast.Call) and _callee(node.func) in MARKERS:
            for argument in node.args:
                carried.update(id(inner) for inner in ast.walk(argument))
        elif isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                carried.update(id(inner) for inner in ast.walk(operand) if isinstance(inner, ast.Constant))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in carried
                and CJK.search(node.value) and not _has_pragma(lines, node.lineno, node.end_lineno or node.lineno)):
            found.append((node.lineno, node.value))
    return sorted(found)


def unmarked(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    return unmarked_python(source) if path.suffix == ".py" else unmarked_jinja(source)


# -- the tests ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CHECKED)
def test_item3_no_file_has_unmarked_chinese(name):
    found = unmarked(ROOT / name)
    assert not found, f"{name}: user-facing Chinese not marked for translation:\n" + "\n".join(
        f"  line {line}: {text[:80]}" for line, text in found)


def test_item3_every_screen_and_module_is_checked():
    assert len(CHECKED) > 350  # the templates and modules of yks_web/, not a handful
    assert {"yks_web/templates/page.html", "yks_web/cli.py", "yks_web/services/my_data_specs.py"} <= set(CHECKED)


def test_item3_the_checker_flags_an_unmarked_template():
    found = unmarked_jinja(
        '{% from "_macros.html" import screen_frame, kv %}\n'
        '{% call screen_frame(_("提交成功")) %}\n'
        '<a class="btn" href="/" aria-label="返回首页">{{ _("完成") }}</a>\n'
        '{{ kv("姓名", name) }}\n'
        '<p>{{ _("%(name)s的申报", name=name) }}（{{ day }}）</p>\n'
        '{% if answer == "是" %}{{ _("有") }}{% endif %}\n'
        '{# 注释不显示 #}\n'
        '{% endcall %}\n'
    )
    assert found == [
        (3, '<a class="btn" href="/" aria-label="返回首页">'), (4, "姓名"), (5, "（"), (5, "）</p>"),
    ], found


def test_item3_the_checker_flags_unmarked_python():
    found = unmarked_python(
        '"""模块说明 (a docstring)."""\n'
        "from yks_web.i18n import N_, gettext, lazy_gettext\n"
        'TITLE = N_("粤康码")\n'
        'LABEL = lazy_gettext("姓名")\n'
        'WRONG = "证件号码"  # 没有标记\n'
        "def refuse(name):\n"
        '    """说明."""\n'
        '    if name == "是":\n'
        '        return gettext("已删除%(name)s", name=name)\n'
        '    return f"已退出{name}"\n'
        'PATTERN = r"人$"  # i18n: data\n'
    )
    assert found == [(5, "证件号码"), (10, "已退出")], found


if __name__ == "__main__":  # the count of what is left in the whole app (issue 15)
    files = sorted([*APP.rglob("templates/**/*.html"), *APP.rglob("*.py")])
    left = {path: unmarked(path) for path in files}
    left = {path: found for path, found in left.items() if found}
    for path, found in sorted(left.items(), key=lambda item: -len(item[1])):
        print(f"{len(found):5d}  {path.relative_to(ROOT)}")
    print(f"{sum(len(found) for found in left.values())} strings unmarked in {len(left)} of {len(files)} files",
          file=sys.stderr)
