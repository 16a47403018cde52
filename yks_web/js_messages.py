"""The words the browser scripts write themselves (static/js/*.js), in the reader's language (issue 15).

A script writes its text as `t("…")` with the 简体中文 msgid, and a number or a name as a named placeholder
(`t("另有%(num)s条其他账号的记录待上传，…", { num: others })`). MESSAGES lists those msgids with N_ so that
`make messages` extracts them; page.html gives the scripts their translations once, in the whole page, as
`<script type="application/json" id="yks-messages">` (a data block: never run, so the CSP's script-src 'self' is
untouched), and only when there is one: a 简体中文 page has no block and its scripts write the msgids, as before.
tests/test_i18n_js.py checks that every Chinese string of the scripts is a t() msgid listed here.
"""

from __future__ import annotations

from flask_babel import get_locale

from yks_web.i18n import DEFAULT_LOCALE, N_, translations

MESSAGES = (
    # app.js: 复制链接
    N_("链接已复制"),
    # countdown.js: the 工作台's 11:30 countdown (the msgids of services/reminders.py duration_text)
    N_("%(hours)d小时%(minutes)d分"),
    N_("%(minutes)d分"),
    N_("不到1分钟"),
    # grid_queue.js: 待上传, the collection form that works offline
    N_("网络不可用，恢复网络后自动上传"),
    N_("登录已失效，请重新登录后上传"),
    N_("服务器暂时无法处理，稍后自动上传"),
    N_("服务器多次未能保存这条记录，请点【重新编辑】核对后提交，或联系网格管理员"),
    N_("请选择%(label)s"),
    N_("请填写%(label)s"),
    N_("该网格已不存在，或您已不是该网格的网格员"),
    N_("上传失败"),
    N_("待上传"),
    N_("；"),  # between two reasons
    N_("重新编辑"),
    N_("删除"),
    N_("另有%(num)s条其他账号的记录待上传，需由该网格员本人登录后上传"),
    N_("这部手机上没有待上传的记录"),
    N_("提交成功"),
    N_("提交失败：%(message)s"),
    N_("记录已保存在手机上（待上传列表），可重新编辑或删除"),
    N_("已保存在手机上，待上传"),
    N_("确定删除这条记录吗？删除后无法恢复"),
    N_("查看待上传"),
    N_("这部手机上有%(num)s条采集记录未上传，"),  # followed by the link 查看待上传
    N_("有%(num)s条记录待上传：退出登录后仍保存在这部手机上，本人重新登录后上传"),
    # scanner.js: 扫描粤康码 with the phone's camera
    N_("正在打开摄像头…"),
    N_("请将粤康码对准取景框"),
    N_("无法打开摄像头，请使用扫码枪或粘贴"),
    N_("已识别，正在提交…"),
)


def messages() -> dict[str, str]:
    """{msgid: translation} for this request's language: only the messages that read differently, so nothing in
    简体中文 (the source language) and nothing for a message the catalogue lacks (the script writes the msgid)."""
    if str(get_locale()) == DEFAULT_LOCALE:  # every 简体 page: no look-ups at all
        return {}
    catalogue = translations()
    found = {}
    for msgid in MESSAGES:
        translated = catalogue.ugettext(msgid)
        if translated != msgid:
            found[msgid] = translated
    return found
