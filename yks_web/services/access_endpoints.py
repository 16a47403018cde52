"""Every endpoint of the app and the roles that may call it (SPEC P7, P9; issue 8 item 12): the table the access
gate reads (yks_web/access_setup.py through services/access.gate). Role names are services/access.ROLES' keys.

tests/blueprints/test_access_registry.py fails when app.url_map has an endpoint missing here, or this names one
that does not exist; a new flow adds its block here with its roles.
"""

from __future__ import annotations

_PUBLIC = frozenset({"public"})
_PERSON = frozenset({"person"})
_OPERATOR = frozenset({"operator"})
_COLLECTOR = frozenset({"collector"})
_SCHOOL_ADMIN = frozenset({"school_admin"})
_OWN_OR_FAMILY = frozenset({"person", "family_owner"})
_PLACE_ADMIN = frozenset({"place_admin"})
_INSPECTOR = frozenset({"inspector"})
_PLACE_STAFF = frozenset({"place_admin", "inspector"})
_MEDICAL = frozenset({"medical_staff"})
_GRID_ADMIN = frozenset({"grid_admin"})
_GRID_WORKER = frozenset({"grid_worker"})
_DISTRICT = frozenset({"district_admin"})
_GROUP_CREATOR = frozenset({"group_creator"})
_GROUP_ADMIN = frozenset({"group_admin"})
_GROUP_MEMBER = frozenset({"group_member"})

ENDPOINTS: dict[str, frozenset[str]] = {
    "static": _PUBLIC,
    # 粤康码 home, 个人中心, 帮助与反馈
    "home.index": _PUBLIC,
    "home.healthz": _PUBLIC,
    "home.me": _PERSON,
    "home.work_types": _PERSON,  # 防疫工作台 → 更多: 选择防疫工作类型
    "home.help_page": _PERSON,
    "home.help_post": _PERSON,
    "access_log.index": _PERSON,  # 查阅记录: only ever one's own reads (issue 8 item 9)
    "my_data.index": _PERSON,  # 我的数据: only ever one's own (no id in the URL; issue 16 item 1)
    "my_data.download": _PERSON,  # its copy: ?format=json|html|pdf
    # 实名认证: before and while logging in
    "auth.login": _PUBLIC,
    "auth.login_post": _PUBLIC,
    "auth.verify": _PUBLIC,
    "auth.verify_post": _PUBLIC,
    "auth.logout": _PUBLIC,
    "language.switch": _PUBLIC,  # 简体中文 / 繁體中文 / English: before login too (issue 15)
    "auth.logout_everywhere": _PERSON,  # 退出所有设备: one's own sessions (issue 8 item 4)
    "auth.logout_everywhere_post": _PERSON,
    # 注销账号 (issue 16 item 2): one's own account; the page after it is public (the person is logged out by then)
    "account.delete": _PERSON,
    "account.delete_post": _PERSON,
    "account.deleted": _PUBLIC,
    # 粤康码: one's own, or a family member's (?member=); the resolver for scanners only
    "health_code.show": _OWN_OR_FAMILY,
    "health_code.card": _OWN_OR_FAMILY,  # the card alone, the QR inline: what the page polls (issue 14 item 3)
    "health_code.guidance": _OWN_OR_FAMILY,
    "health_code.mine": _OWN_OR_FAMILY,
    "health_code.history": _OWN_OR_FAMILY,
    "health_code.declare": _OWN_OR_FAMILY,
    "health_code.declare_post": _OWN_OR_FAMILY,
    "health_code.declare_menu": _PERSON,
    "health_code.scan": frozenset({"scanner"}),  # an inspector's own camera app lands here too
    "health_code.resolve": frozenset({"scanner"}),
    # 添加/管理家庭成员
    "family.index": _PERSON,
    "family.add": _PERSON,
    "family.add_post": _PERSON,
    "family.remove": frozenset({"family_owner"}),  # 删除 / 撤回请求: the confirm screen, then 【确定】
    "family.remove_post": frozenset({"family_owner"}),
    # an adult's consent to a pending link (I7): the loader answers 404 for any link not the user's own request
    "family.consent_page": _PERSON,
    "family.consent_post": _PERSON,
    "family.send_code": _PERSON,
    # 谁可以代我操作, 代申报通知 (P10): only ever one's own links, bindings and notices (issue 8 item 2)
    "delegates.index": _PERSON,
    "delegates.accept": _PERSON,
    "delegates.refuse": _PERSON,
    "delegates.remove_family": _PERSON,
    "delegates.remove_family_post": _PERSON,
    "delegates.remove_proxy": _PERSON,
    "delegates.remove_proxy_post": _PERSON,
    "delegates.allow_proxy": _PERSON,
    "delegates.allow_proxy_post": _PERSON,
    "delegates.notice_list": _PERSON,
    "delegates.notices_read": _PERSON,
    # 学生/教职工个人健康申报 (member side)
    "declare.index": _PERSON,
    "declare.own": _PERSON,
    "declare.all_declarants": _PERSON,
    "declare.declarants": frozenset({"proxy", "invitee"}),
    "declare.confirm_self": frozenset({"member", "invitee"}),
    "declare.confirm_self_post": frozenset({"member", "invitee"}),
    "declare.proxy_identity": frozenset({"invitee"}),
    "declare.proxy_identity_post": frozenset({"invitee"}),
    "declare.confirm_proxy": frozenset({"invitee"}),
    "declare.confirm_proxy_post": frozenset({"invitee"}),
    "declare.form": frozenset({"member", "proxy"}),
    "declare.form_post": frozenset({"member", "proxy"}),
    "declare.done": frozenset({"member", "proxy"}),
    # each destructive action is a confirm screen (GET) and its 【确定】 (POST) (issue 9 item 3)
    "declare.remove_declarant": frozenset({"proxy"}),
    "declare.remove_declarant_post": frozenset({"proxy"}),
    "declare.declarant_leaves": frozenset({"proxy"}),
    "declare.declarant_leaves_post": frozenset({"proxy"}),
    "declare.leave": frozenset({"member"}),
    "declare.leave_post": frozenset({"member"}),
    # invite cards opened from a chat
    "invite.open": frozenset({"invitee"}),
    "invite.accept": frozenset({"invitee"}),
    # 学校采集员工作台 (the screens without an organisation yet say how to get one)
    "workbench.index": frozenset({"person", "collector"}),
    "workbench.create": frozenset({"person", "collector"}),
    "workbench.create_post": frozenset({"person", "collector"}),
    "workbench.guide": _PERSON,  # 操作指引: how-to text only, also read before one becomes a collector
    "workbench.invite_card": _COLLECTOR,
    "workbench.invite_qr": _COLLECTOR,
    "workbench.add_member": _COLLECTOR,
    "workbench.add_member_post": _COLLECTOR,
    "workbench.org_menu": _COLLECTOR,
    "workbench.modify_org": _COLLECTOR,
    "workbench.modify_org_post": _COLLECTOR,
    "workbench.manage_members": _COLLECTOR,
    "workbench.delete_members": _COLLECTOR,  # 【确认删除】 → 确定删除？ → 【确定】 (issue 9 item 3)
    "workbench.day_detail": _COLLECTOR,
    "workbench.member_detail": _COLLECTOR,
    "workbench.proxy_fill": _COLLECTOR,
    "workbench.proxy_fill_post": _COLLECTOR,
    "workbench.proxy_new": _COLLECTOR,
    "workbench.proxy_new_post": _COLLECTOR,
    "workbench.quick_fill": _COLLECTOR,
    "workbench.report_supplement": _COLLECTOR,
    "workbench.report_supplement_post": _COLLECTOR,
    "workbench.report_summary": _COLLECTOR,
    "workbench.report_submit": _COLLECTOR,
    "workbench.report_view": _COLLECTOR,
    "workbench.stat_members": _COLLECTOR,
    "workbench.teacher_list": _COLLECTOR,
    "workbench.teacher_add": _COLLECTOR,
    "workbench.teacher_add_post": _COLLECTOR,
    "workbench.teacher_edit": _COLLECTOR,
    "workbench.teacher_edit_post": _COLLECTOR,
    "workbench.remind_post": _COLLECTOR,  # 一键提醒未填报成员 (issue 16 item 4): the collector's own organisation
    "workbench.daily_reminder": _COLLECTOR,  # 每日提醒时间
    "workbench.daily_reminder_post": _COLLECTOR,
    # 学校管理
    "school.index": _SCHOOL_ADMIN,
    "school.dashboard": _SCHOOL_ADMIN,
    "school.organisation_day": _SCHOOL_ADMIN,
    "school.member_day": _SCHOOL_ADMIN,
    "school.export": _SCHOOL_ADMIN,
    "school.invite_collector": _SCHOOL_ADMIN,
    "school.invite_card": _SCHOOL_ADMIN,
    "school.invite_qr": _SCHOOL_ADMIN,
    "school.teachers_index": _SCHOOL_ADMIN,
    "school.teacher_new": _SCHOOL_ADMIN,
    "school.teacher_new_post": _SCHOOL_ADMIN,
    "school.teacher_import": _SCHOOL_ADMIN,  # 导入 result, GET-able (issue 9 item 2)
    "school.teacher_import_post": _SCHOOL_ADMIN,
    "school.teacher_template": _SCHOOL_ADMIN,
    # 所在区域: the cascading picker's next level (static data; SPEC O0)
    "areas.picker": _PUBLIC,
    # 公共场所人员健康情况采集 (O2–O5): 公共场所管理员 and 公共场所检测员. The screens of one place check their role
    # through the loader places.place_for(place_id, *roles); the rest are about the user's own bindings.
    "places.index": _PERSON,
    "places.admin_home": frozenset({"person", "place_admin"}),  # 我的场所, or 创建场所 while there is none
    "places.create": _PERSON,
    "places.create_post": _PERSON,
    "places.edit": _PLACE_ADMIN,
    "places.edit_post": _PLACE_ADMIN,
    "places.members": _PLACE_ADMIN,
    "places.unbind_inspector": _PLACE_ADMIN,
    "places.unbind_inspector_post": _PLACE_ADMIN,
    "places.handover": _PLACE_ADMIN,
    "places.handover_post": _PLACE_ADMIN,
    "places.handover_cancel_post": _PLACE_ADMIN,
    "places.handover_offer": _PERSON,  # the offer made to the user (its loader answers 404 for anyone else's)
    "places.handover_accept_post": _PERSON,
    "places.handover_refuse_post": _PERSON,
    "places.admin_bind_self_post": _PLACE_ADMIN,
    "places.reissue_poster": _PLACE_ADMIN,
    "places.reissue_poster_post": _PLACE_ADMIN,
    "places.stats": _PLACE_ADMIN,
    "places.inspector_home": _PERSON,  # 我的场所 of the inspector: only the user's own bindings
    "places.bind": _PERSON,
    "places.bind_post": _PERSON,
    "places.manage": _PERSON,
    "places.leave": _INSPECTOR,
    "places.leave_post": _INSPECTOR,
    "places.check": _INSPECTOR,
    "places.scan_post": _INSPECTOR,
    "places.check_person": _INSPECTOR,
    "places.check_person_post": _INSPECTOR,
    "places.check_health": _INSPECTOR,
    "places.my_stats": _INSPECTOR,
    "places.poster_page": _PLACE_STAFF,
    "places.poster_png": _PLACE_STAFF,
    "places.poster_pdf": _PLACE_STAFF,
    # 体温正常快速打卡: the 葵花码's short URL; logging in first is the hook's (anonymous → 实名认证, then back)
    "checkin.open": _PERSON,
    "checkin.open_post": _PERSON,
    "checkin.done": _PERSON,
    # 组织机构 (issue 11, SPEC O1): 组织机构管理员 and 组织机构成员. The screens of one institution check their role
    # through the loader institution.institution_for(institution_id, *roles); the rest are about the user's own.
    "institution.index": _PERSON,
    "institution.entry_codes": _PERSON,  # the guide's two entry QR codes (图2-2, 图2-5), to print
    "institution.admin_home": frozenset({"person", "institution_admin"}),  # 组织机构, or 绑定 while there is none
    "institution.bind": _PERSON,
    "institution.bind_post": _PERSON,
    "institution.dashboard": frozenset({"institution_admin"}),
    "institution.binder": frozenset({"institution_admin"}),
    "institution.edit": frozenset({"institution_admin"}),
    "institution.edit_post": frozenset({"institution_admin"}),
    "institution.board": frozenset({"institution_admin"}),
    "institution.export": frozenset({"institution_admin"}),
    "institution.member_home": _PERSON,  # 绑定组织机构管理: only the user's own bindings
    "institution.member_bind": _PERSON,
    "institution.member_bind_post": _PERSON,
    "institution.declare": frozenset({"institution_member"}),
    "institution.declare_post": frozenset({"institution_member"}),
    "institution.done": frozenset({"institution_member"}),
    "institution.leave": frozenset({"institution_member"}),
    "institution.leave_post": frozenset({"institution_member"}),
    # 医护人员 (issue 11, SPEC O7): the entry says why not to anyone not enabled; every other screen is the enabled
    # staff member's own (the loader medical.current_staff answers 404), notices by their issuer (medical.notice_for).
    "medical.index": _PERSON,  # 出具电子告知书: the scanner, or "您尚未开通医护人员权限…"
    "medical.scan_post": _MEDICAL,  # the scanned/typed code → 303 to medical.issue with a sealed ticket
    "medical.issue": _MEDICAL,  # 出具电子告知书 pre-filled for the scanned person
    "medical.issue_post": _MEDICAL,  # 【提交】
    "medical.issued": _MEDICAL,  # 出具成功: the number and the verification link
    "medical.workbench": _MEDICAL,  # 我的工作台
    "medical.notices": _MEDICAL,  # 已出具的电子告知书
    "notice.verify": _PUBLIC,  # /n/<number>: anyone checks a notice is genuine and not revoked
    "notice.pdf": _OWN_OR_FAMILY,  # 【下载PDF】: the person's own notice, or a consented family member's
    "operator.medical": _OPERATOR,  # 医护人员管理: enabled staff, 开通, 导入, alerts, the log
    "operator.medical_post": _OPERATOR,  # 开通 one
    "operator.medical_import": _OPERATOR,  # the last import's per-row report (PRG)
    "operator.medical_import_post": _OPERATOR,
    "operator.medical_template": _OPERATOR,  # 表5-2 as a CSV template
    "operator.medical_revoke": _OPERATOR,  # 撤销 → 确定撤销？
    "operator.medical_revoke_post": _OPERATOR,
    "operator.medical_observations": _OPERATOR,  # a person's 医学观察 (the built-in health data, H2)
    "operator.medical_observations_post": _OPERATOR,
    # 网格 (issue 12, SPEC O6): 网格管理员 screens of one grid load it through grid.grid_for(grid_id, *roles);
    # 区划管理员 screens check the user's own appointments (a grid outside their area: 404).
    "grid.index": _PERSON,  # 网格居民健康情况采集: choose 网格管理员 (or 区划管理员 if the user is one)
    "grid.admin_home": frozenset({"person", "grid_admin"}),  # 我的网格, or 创建网格 while there is none
    "grid.create": _PERSON,
    "grid.create_post": _PERSON,  # the form, then its confirm step (网格组织一旦创建不可删除), then 【确认创建】
    "grid.dissolve": _GRID_ADMIN,  # 解散网格: type the grid's name to confirm
    "grid.dissolve_post": _GRID_ADMIN,
    "grid.district": _DISTRICT,  # 区划管理员: grids to confirm, appoint the level below, those appointed
    "grid.district_appoint_post": _DISTRICT,
    "grid.district_revoke": _DISTRICT,  # 撤销 → 确定撤销？ (only one's own appointments)
    "grid.district_revoke_post": _DISTRICT,
    "grid.district_grid": _DISTRICT,  # one pending grid of the user's area: 确认 / 不通过
    "grid.district_confirm_post": _DISTRICT,
    "grid.district_reject_post": _DISTRICT,
    "grid.worker": _PERSON,  # 网格员: 查看我的网格组织 and 新增绑定 (the 网格申报码)
    "grid.worker_messages_read_post": _PERSON,  # 知道了: the user's own 站内消息 (e.g. 网格已解散) are read
    "grid.worker_bind_post": _PERSON,  # 新增绑定 (counted, rate-limited; a grid not yet confirmed binds nobody)
    "grid.worker_current_post": _GRID_WORKER,  # 设为当前组织
    "grid.worker_leave": _GRID_WORKER,  # 解绑 → 确定解绑？
    "grid.worker_leave_post": _GRID_WORKER,
    "grid.members": _GRID_ADMIN,  # 网格成员管理: workers with 授权 / 取消授权 / 解绑
    "grid.member_authorise_post": _GRID_ADMIN,
    "grid.member_deauthorise_post": _GRID_ADMIN,
    "grid.member_unbind": _GRID_ADMIN,  # 解绑 → 确定解绑网格员？
    "grid.member_unbind_post": _GRID_ADMIN,
    # 离线采集 (issue 12 item 7): fetched by the browser itself (the manifest without cookies, the worker script
    # re-checked in the background); they hold nobody's data
    "grid.service_worker": _PUBLIC,  # /grid/sw.js
    "grid.manifest": _PUBLIC,  # /grid/manifest.webmanifest
    "grid.queue": _PERSON,  # 待上传: the records on this phone (the page is empty; the browser fills it in)
    # 信息采集上报 (issue 12 items 5, 6): the 网格员's own grid, loaded by grid_for(grid_id, "grid_worker")
    "grid.collect": frozenset({"person", "grid_worker"}),  # 开始信息采集 of the 当前组织 (none bound: 查看我的网格组织)
    "grid.collect_manual": _GRID_WORKER,  # 手动录入 (证件类型 incl. 出生医学证明), with the offline 待上传 queue
    "grid.collect_manual_post": _GRID_WORKER,
    "grid.collect_done": _GRID_WORKER,  # 提交成功 → 【继续采集】, 今日登记次数 / 累计登记次数
    "grid.visit_sync_post": _PERSON,  # the queue's JSON sync; services/grid_visits refuses one not bound (409)
    "grid.visit_sync_token": _PERSON,  # JSON: a fresh CSRF token for the queue's next sync
    "grid.collect_scan": _GRID_WORKER,  # 扫粤康码: the shared scanner
    "grid.collect_scan_post": _GRID_WORKER,
    "grid.collect_person": _GRID_WORKER,  # the scanned person (masked) by a grid ticket, and the visit's questions
    "grid.collect_person_post": _GRID_WORKER,
    "grid.collect_health": _GRID_WORKER,  # 查看健康信息: latest declaration, or all once 已授权; audited
    "grid.handover": _GRID_ADMIN,  # 管理员变更: 继任管理员姓名 + 身份证号码, or the open link's 身份认证二维码
    "grid.handover_post": _GRID_ADMIN,
    "grid.handover_cancel_post": _GRID_ADMIN,  # 撤销变更
    "grid.handover_offer": _PERSON,  # the successor's page: a bearer link; only the matching 实名认证 may accept
    "grid.handover_accept_post": _PERSON,  # 确认成为网格管理员 (counted per account; the identity must match)
    "grid.stats": _GRID_ADMIN,  # 查看数据统计: 每日排查结果 and 网格员工作统计 (counts only, no resident's name)
    # 重点管控人员 (issue 12 item 6): the list for 已授权网格员; a worker not authorised gets the page saying so
    "grid.key_people": frozenset({"grid_authorised", "grid_worker"}),
    "grid.key_person": frozenset({"grid_authorised"}),  # one person's details (someone not on the list: 404)
    # 团体码 (issue 13, SPEC G1–G6): screens of one group load it through group.group_for(group_id, *roles);
    # group_admin holds for the creator too (团体管理员's screens are the creator's).
    "group.index": _PERSON,  # 团体码: 功能介绍, 操作指引, 我管理的团体, 我加入的团体, 创建团体
    # the creator's and admins' side (issue 13 items 2, 4, 6): 创建团体 is any verified person's (≤5 each)
    "group.create": _PERSON,  # 创建团体: 创建人信息 (实名认证), 手机号 + 手机验证码, 团体信息
    "group.create_post": _PERSON,  # 获取验证码 / 选择 (area, no JS) / 创建团体 (创建失败 → 重新创建)
    "group.created": _GROUP_CREATOR,  # 创建成功: 邀请成员, 返回团体码首页
    "group.manage": _GROUP_ADMIN,  # 我管理的团体: 数据统计 (counts → 成员管理 filtered), 刷新数据, 团体管理
    "group.refresh_post": _GROUP_ADMIN,  # 刷新数据 (at most once per 30 minutes per group)
    "group.allow_join_post": _GROUP_ADMIN,  # 允许新成员加入 on / off
    "group.edit": _GROUP_CREATOR,  # 修改团体信息 (the creator only)
    "group.edit_post": _GROUP_CREATOR,
    "group.invite": _GROUP_ADMIN,  # 邀请成员: 邀请新成员加入团体, 允许新成员加入, 流程指引
    "group.invite_post": _GROUP_ADMIN,  # 保存图片并分享 / 分享邀请链接: a new invitation, 24 hours
    "group.invite_link": _GROUP_ADMIN,  # the invitation's QR and link (复制), 有效期至…; expired: says so
    "group.invite_qr": _GROUP_ADMIN,  # the invitation's QR as PNG / SVG (保存图片)
    # the member's side (issue 13 item 4): the invitation is a bearer link, public (an anonymous visitor sees it,
    # 【立即加入】 goes through 实名认证 and back); joining, 我的授权记录 are the logged-in person's own
    "group.join": _PUBLIC,  # 邀请您加入团体: the group, the inviter (masked), what the admins will see
    "group.agreement": _PUBLIC,  # 《用户服务协议》及《个人信息保护政策》 for 团体码: what is shared, with whom
    "group.authorise": _PERSON,  # the authorisation page: 手机号, 验证码, 我的备注, the agreement
    "group.authorise_post": _PERSON,  # 获取验证码 / 授权并加入团体 (the consent is recorded by group_members.join)
    "group.welcome": _GROUP_MEMBER,  # 加入成功
    "group.joined": _GROUP_MEMBER,  # 我加入的团体 (图9), 查阅记录, 撤回授权
    "group.withdraw": _GROUP_MEMBER,  # 撤回授权 → the confirm page (removes the person from the group)
    "group.withdraw_post": _GROUP_MEMBER,
    "group.consents": _PERSON,  # 我的授权记录: only one's own consents
    # 成员管理 (issue 13 items 3, 5): the list and 成员信息 are audited reads; 管理员 set/revoked by the creator only
    "group.members": _GROUP_ADMIN,  # 成员管理 N/500: keyword and 健康码/核酸/疫苗 filters in the URL (htmx in place)
    "group.member": _GROUP_ADMIN,  # 成员信息: 基本信息 (masked), 健康码, 最新核酸检测, 疫苗接种记录; one audit row
    "group.member_admin": _GROUP_CREATOR,  # 设为管理员 → the confirm page (at most 5 admins)
    "group.member_admin_post": _GROUP_CREATOR,
    "group.member_unadmin": _GROUP_CREATOR,  # 解除管理员 → the confirm page
    "group.member_unadmin_post": _GROUP_CREATOR,
    "group.member_remove": _GROUP_ADMIN,  # 删除成员 → the confirm page (admins: members only; never the creator)
    "group.member_remove_post": _GROUP_ADMIN,
    "operator.districts": _OPERATOR,  # 区划管理员 at city level: the list and 任命
    "operator.districts_post": _OPERATOR,
    "operator.districts_revoke": _OPERATOR,  # 撤销 → 确定撤销？
    "operator.districts_revoke_post": _OPERATOR,
    # 平台运营
    "operator.index": _OPERATOR,
    "operator.feedback": _OPERATOR,  # 帮助与反馈 and 注销账号申请 (issue 16 item 2), senders audited
    "operator.health": _OPERATOR,
    "operator.health_post": _OPERATOR,
    "operator.health_person": _OPERATOR,
    "operator.health_status": _OPERATOR,
    "operator.health_test": _OPERATOR,
    "operator.health_vaccination": _OPERATOR,
    "operator.health_entry": _OPERATOR,
    "operator.health_part": _OPERATOR,  # a reload of a record form's URL: back to the person (issue 9 item 2)
    "operator.realname": _OPERATOR,
    "operator.realname_post": _OPERATOR,
    "operator.realname_remove": _OPERATOR,
    "operator.realname_remove_post": _OPERATOR,
}
