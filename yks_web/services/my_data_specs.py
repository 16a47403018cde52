"""我的数据's sections in words (issue 16 item 1; SPEC P6, P10): what each kind of record about a person is, who
holds and sees it, what it is for, how long it is kept, its fields, and the reader of the person's rows.

Each Spec names the (table, column) pairs it covers, so tests/services/test_my_data.py can tell a table that
refers to a person and that no section reads (services/my_data.NOT_ABOUT lists the others, each with why).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from yks_web.i18n import N_
from yks_web.models.people import Person
from yks_web.services import my_data_links as links
from yks_web.services import my_data_records as records
from yks_web.services import retention
from yks_web.services.my_data_records import Rows


@dataclass(frozen=True)
class Spec:
    key: str
    part: str  # the heading it is listed under
    title: str
    about: str  # what it is
    who: str  # who holds it and who else sees it
    why: str  # what it is for
    kept: str  # a key of config RETENTION_DAYS, retention.SESSIONS, or the words themselves
    fields: tuple[tuple[str, str], ...]  # (key, label)
    covers: tuple[tuple[str, str], ...]  # (table, column) that refer to the person
    read: Callable[[Session, Person, int], Rows]


# -- the sections, in the order shown ---------------------------------------------------------------------------

_KEPT_WHILE_ACCOUNT = N_("未设自动删除期限，在您的账户存续期间保存")
_HEALTH_SOURCE = N_("由健康数据来源（卫生健康部门）提供和更新，本系统保存其当前记录")
_SCHOOL_WHO = N_("您所在学校组织的采集员和学校管理员可查看；每次查看都记入您的查阅记录")
_SYMPTOMS = (("has_symptoms", N_("是否有发热、咳嗽等症状")), ("risk_travel", N_("14日内是否有中高风险地区旅居史")),
             ("contact_case", N_("14日内是否接触过确诊或疑似病例")))

SPECS: tuple[Spec, ...] = (
    Spec(
        "identity", N_("身份信息"), N_("身份信息"),
        about=N_("您实名认证时提供的身份信息。证件号码和手机号加密保存，仅向您本人完整显示。"),
        who=N_("本系统保存；他人只能看到部分隐藏的号码（如44**************12、138****0019）"),
        why=N_("确认您的身份、登录和发送验证码"), kept=_KEPT_WHILE_ACCOUNT,
        fields=(("name", N_("姓名")), ("id_type", N_("证件类型")), ("id_number", N_("证件号码")),
                ("phone", N_("手机号")),
                ("name_verified_at", N_("实名核验时间")), ("created_at", N_("账户创建时间")),
                ("language", N_("界面语言"))),
        covers=(), read=records.identity,
    ),
    Spec(
        "school_declarations", N_("健康申报"), N_("学生/教职工个人健康申报"),
        about=N_("您本人、代填人或采集员为您提交的每日健康申报，每次提交都保存（以最新一次为准）。"),
        who=_SCHOOL_WHO, why=N_("学校每日汇总师生健康情况"), kept="declarations",
        fields=(("day", N_("申报日期")), ("created_at", N_("提交时间")), ("organisation", N_("学校组织")),
                ("source", N_("申报方式")),
                ("filled_by", N_("填报人")), *records.ANSWERS),
        covers=(("declaration", "person_id"),), read=records.school_declarations,
    ),
    Spec(
        "personal_declarations", N_("健康申报"), N_("个人健康申报与组织机构申报"),
        about=N_("粤康码“健康申报”中您本人或家庭成员为您提交的申报；在组织机构申报时还包括在岗情况。"),
        who=N_("本系统保存；检测员、已授权网格员查验时可查看，组织机构管理员可查看您为其机构的申报，经您"
               "同意的家庭成员可查看；他人查看记入查阅记录"),
        why=N_("健康码判定和组织机构每日汇总"), kept="personal_declarations",
        fields=(("created_at", N_("提交时间")), ("filled_by", N_("填报人")), ("institution", N_("组织机构")),
                ("on_duty", N_("当前是否在岗")), ("work_place", N_("工作地点")), ("location", N_("当前所在地")),
                ("temperature", N_("体温")), *_SYMPTOMS, ("remarks", N_("备注"))),
        covers=(("personal_declaration", "person_id"), ("institution_declaration", "person_id")),
        read=records.personal_declarations,
    ),
    Spec(
        "report_entries", N_("健康申报"), N_("采集员每日报告中的您"),
        about=N_("采集员“提交本日数据”时，报告中记录您当日是否已申报（及计入的申报）。"),
        who=_SCHOOL_WHO, why=N_("学校汇总每日报告；报告提交后不再修改"), kept="reports",
        fields=(("day", N_("报告日期")), ("organisation", N_("学校组织")), ("submitted_at", N_("报告提交时间")),
                ("declared", N_("当日是否已申报")), ("reason", N_("采集员填写的未填报原因"))),
        covers=(("report_entry", "person_id"), ("daily_report", "missing_notes")), read=records.report_entries,
    ),
    Spec(
        "report_drafts", N_("健康申报"), N_("采集员填写中的未填报原因"),
        about=N_("采集员“提交本日数据”时为未填报的您填写、尚未提交的原因（提交后见上一项）。"),
        who=N_("本系统保存；该组织的采集员可见"), why=N_("采集员向学校说明未填报的原因"), kept="reports",
        fields=(("day", N_("报告日期")), ("organisation", N_("学校组织")), ("updated_at", N_("填写时间")),
                ("reason", N_("未填报原因"))),
        covers=(("report_draft", "data"),), read=records.report_drafts,
    ),
    Spec(
        "reminders", N_("健康申报"), N_("填报提醒"),
        about=N_("您当日未填报时，采集员发给您（及您的代填人）的短信提醒。"),
        who=N_("本系统保存；该组织的采集员可见"), why=N_("提醒您按时填报，同一天同一成员不重复提醒"),
        kept="reminders",
        fields=(("sent_at", N_("提醒时间")), ("day", N_("提醒日期")), ("organisation", N_("学校组织")),
                ("how", N_("方式")),
                ("messages", N_("发送短信条数"))),
        covers=(("reminder_log", "person_id"),), read=records.reminders,
    ),
    Spec(
        "notices", N_("健康申报"), N_("代申报通知"),
        about=N_("他人以您的名义提交申报时发给您的通知。"),
        who=N_("仅您本人可见"), why=N_("让您知道谁代您做了什么"), kept=_KEPT_WHILE_ACCOUNT,
        fields=(("created_at", N_("通知时间")), ("kind", N_("申报类型")), ("source", N_("方式")),
                ("actor", N_("操作人")),
                ("organisation", N_("组织")), ("day", N_("申报日期")), ("read_at", N_("阅读时间"))),
        covers=(("declaration_notice", "person_id"),), read=records.notices,
    ),
    Spec(
        "checkins", N_("体温与核查记录"), N_("公共场所体温检测"),
        about=N_("检测员在公共场所扫您的粤康码记录的体温结果，以及您扫葵花码的体温正常快速打卡。"
                 "每条记录还保存从您的证件号码读出的性别和出生年份（供场所按性别、年龄统计，不保存证件号码）。"
                 "记录不修改，复测时以新记录更正旧记录。"),
        who=N_("本系统保存；扫码的检测员当场可见，场所管理员只看到不含姓名的统计，经您同意的家庭成员可查"
               "看"),
        why=N_("疫情防控中的场所体温核查和追溯"), kept="checkins",
        fields=(("checked_at", N_("检测时间")), ("place", N_("场所")), ("result", N_("结果")), ("method", N_("方式")),
                ("inspector", N_("检测员")), ("corrected", N_("已被复测更正")), ("sex", N_("性别")),
                ("birth_year", N_("出生年份"))),
        covers=(("temperature_check", "person_id"),), read=records.checkins,
    ),
    Spec(
        "grid_visits", N_("体温与核查记录"), N_("网格入户登记"),
        about=N_("网格员入户走访时登记的您的信息和健康情况（手动录入或扫粤康码），包括网格员录入了您的证件号码的记录。"
                 "网格员登记的手机号若不是您的手机号，只显示部分。"),
        who=N_("本系统保存；该网格的网格管理员和已授权网格员可查看"), why=N_("社区网格的居民健康情况采集"),
        kept="grid_visits",
        fields=(("recorded_at", N_("登记时间")), ("grid", N_("网格")), ("worker", N_("网格员")), ("method", N_("方式")),
                ("name", N_("登记姓名")), ("id_number", N_("登记证件号码")), ("phone", N_("登记手机号")),
                ("address", N_("地址")),
                ("temperature", N_("体温")), *_SYMPTOMS, ("remarks", N_("备注"))),
        covers=(("grid_visit", "person_id"), ("grid_visit", "id_hash"), ("grid_visit", "id_number"),
                ("grid_visit", "phone")), read=records.grid_visits,
    ),
    Spec(
        "health_code", N_("健康码与医疗记录"), N_("健康码状态"),
        about=N_("您粤康码的当前颜色和原因（无记录即为绿码）。"),
        who=N_("健康数据来源；扫码查验人员、经您同意的家庭成员可查看，团体管理员经您授权可查看"),
        why=N_("出示和查验粤康码"), kept=_HEALTH_SOURCE,
        fields=(("colour", N_("颜色")), ("reason", N_("原因")), ("decided_at", N_("判定时间")),
                ("decided_city", N_("判定城市")),
                ("updated_at", N_("更新时间"))),
        covers=(("health_code", "person_id"),), read=records.health_code,
    ),
    Spec(
        "tests", N_("健康码与医疗记录"), N_("核酸检测记录"),
        about=N_("您的核酸检测采样和结果。"),
        who=N_("健康数据来源；经您同意的家庭成员可查看，团体管理员经您授权可查看"), why=N_("我的粤康码中的核酸检测历"
               "史"),
        kept=_HEALTH_SOURCE,
        fields=(("sampled_at", N_("采样时间")), ("result", N_("结果")), ("tested_at", N_("检测时间")),
                ("institution", N_("检测机构")),
                ("source", N_("数据来源"))),
        covers=(("nucleic_acid_test", "person_id"),), read=records.tests,
    ),
    Spec(
        "vaccinations", N_("健康码与医疗记录"), N_("疫苗接种记录"),
        about=N_("您的新冠疫苗接种针次。"),
        who=N_("健康数据来源；经您同意的家庭成员可查看，团体管理员经您授权可查看"), why=N_("我的粤康码中的疫苗接种信"
               "息"),
        kept=_HEALTH_SOURCE,
        fields=(("dose", N_("针次")), ("vaccinated_on", N_("接种日期")), ("manufacturer", N_("疫苗厂家")),
                ("site", N_("接种单位"))),
        covers=(("vaccination", "person_id"),), read=records.vaccinations,
    ),
    Spec(
        "entries", N_("健康码与医疗记录"), N_("入粤登记"),
        about=N_("您从外地来粤时的登记。"),
        who=N_("健康数据来源；经您同意的家庭成员可查看"), why=N_("健康码判定"), kept=_HEALTH_SOURCE,
        fields=(("arrived_on", N_("抵粤日期")), ("from_region", N_("出发地")), ("destination", N_("目的地")),
                ("transport", N_("交通方式")), ("registered_at", N_("登记时间"))),
        covers=(("entry_registration", "person_id"),), read=records.entries,
    ),
    Spec(
        "observations", N_("健康码与医疗记录"), N_("医学观察"),
        about=N_("对您的医学观察（原因、开始日期、地点）及解除时间。"),
        who=N_("健康数据来源；医护人员扫码出具告知书时可查看（记入查阅记录）"), why=N_("健康码判定和解除医学观察"),
        kept=_HEALTH_SOURCE,
        fields=(("reason", N_("原因")), ("started_on", N_("开始日期")), ("unit", N_("观察地点/单位")),
                ("created_at", N_("记录时间")),
                ("released_at", N_("解除时间"))),
        covers=(("medical_observation", "person_id"),), read=records.observations,
    ),
    Spec(
        "observation_notices", N_("健康码与医疗记录"), N_("解除医学观察电子告知书"),
        about=N_("医护人员为您出具的告知书。"),
        who=N_("本系统保存；任何人可凭编号核验真伪（只显示部分隐藏的姓名）"), why=N_("证明您已解除医学观察"),
        kept=_KEPT_WHILE_ACCOUNT,
        fields=(("number", N_("编号")), ("issued_at", N_("出具时间")), ("institution", N_("出具单位")),
                ("issuer", N_("医护人员")),
                ("reason", N_("观察原因")), ("released_on", N_("解除日期")), ("revoked", N_("已撤销"))),
        covers=(("observation_notice", "person_id"),), read=records.observation_notices,
    ),
    Spec(
        "family", N_("家庭成员"), N_("家庭成员"),
        about=N_("您添加的家庭成员，以及将您添加为家庭成员的人（双方）。生效后，添加人可以出示您的粤康码、为您健康申"
                 "报。"),
        who=N_("本系统保存；双方各自可见"), why=N_("代家人出示粤康码和申报"), kept=_KEPT_WHILE_ACCOUNT,
        fields=(("direction", N_("关系方向")), ("name", N_("对方姓名")), ("typed_for_me", N_("对方为我填写的姓名")),
                ("id_number", N_("对方证件号码")), ("relation", N_("关系")), ("status", N_("状态")),
                ("consent", N_("同意方式")),
                ("created_at", N_("添加时间")), ("consented_at", N_("生效时间"))),
        covers=(("family_member", "owner_id"), ("family_member", "member_id"), ("family_member", "typed_name")),
        read=links.family,
    ),
    Spec(
        "proxies", N_("代填人"), N_("代填人"),
        about=N_("代您填报学校健康申报的代填人，以及您代其填报的申报人（双方）。"),
        who=N_("本系统保存；双方及该组织的采集员可见"), why=N_("代他人填报学校健康申报"), kept=_KEPT_WHILE_ACCOUNT,
        fields=(("direction", N_("关系方向")), ("name", N_("对方姓名")), ("typed_for_me", N_("对方为我填写的姓名")),
                ("organisation", N_("学校组织")), ("active", N_("当前有效")), ("created_at", N_("绑定时间")),
                ("removed_by_declarant_at", N_("申报人移除时间"))),
        covers=(("proxy_binding", "proxy_id"), ("proxy_binding", "declarant_id"), ("proxy_binding", "typed_name")),
        read=links.proxies,
    ),
    Spec(
        "memberships", N_("组织与团体"), N_("学校组织"),
        about=N_("您加入的班级/部门，以及采集员或代填人添加您时填写的姓名；退出后记录仍保留。"),
        who=N_("本系统保存；该组织的采集员和学校管理员可见"), why=N_("学校健康申报"), kept=_KEPT_WHILE_ACCOUNT,
        fields=(("organisation", N_("组织")), ("school", N_("学校")), ("target", N_("成员身份")),
                ("joined_via", N_("加入方式")),
                ("typed_name", N_("添加时填写的姓名")), ("active", N_("当前在组织中")), ("joined_at", N_("加入时间")),
                ("left_at", N_("退出时间"))),
        covers=(("membership", "person_id"), ("membership", "typed_name")), read=links.memberships,
    ),
    Spec(
        "institution_memberships", N_("组织与团体"), N_("组织机构"),
        about=N_("您绑定的组织机构；解绑后记录仍保留。"),
        who=N_("本系统保存；该机构的组织机构管理员可见"), why=N_("组织机构成员健康申报"), kept=_KEPT_WHILE_ACCOUNT,
        fields=(("institution", N_("组织机构")), ("active", N_("当前绑定")), ("bound_at", N_("绑定时间")),
                ("ended_at", N_("解绑时间"))),
        covers=(("institution_member", "person_id"),), read=links.institution_memberships,
    ),
    Spec(
        "groups", N_("组织与团体"), N_("团体码"),
        about=N_("您所在的团体，您的身份、备注、加入时填写的手机号，以及团体最近一次“刷新数据”时保存的您的健康码、核"
                 "酸和疫苗情况。"),
        who=N_("本系统保存；该团体的创建人和管理员可见（经您授权，查看记入查阅记录）"), why=N_("团体管理员了解成员健"
               "康情况"),
        kept=_KEPT_WHILE_ACCOUNT,
        fields=(("group", N_("团体")), ("role", N_("身份")), ("remark", N_("我的备注")), ("phone", N_("手机号")),
                ("joined_at", N_("加入时间")), ("snapshot_at", N_("数据更新时间")), ("code_colour", N_("健康码")),
                ("code_reason", N_("健康码原因")), ("test_result", N_("核酸结果")),
                ("test_sampled_at", N_("核酸采样时间")),
                ("test_institution", N_("核酸检测机构")), ("vaccine_doses", N_("疫苗针次")),
                ("vaccine_records", N_("疫苗接种记录"))),
        covers=(("group_member", "person_id"), ("group_member", "phone"), ("group_member", "vaccine_records")),
        read=links.groups,
    ),
    Spec(
        "group_consents", N_("组织与团体"), N_("团体授权记录"),
        about=N_("您同意与团体共享哪些信息、何时同意、何时结束。"),
        who=N_("本系统保存；仅您本人可见"), why=N_("证明您的授权"), kept=_KEPT_WHILE_ACCOUNT,
        fields=(("group", N_("团体")), ("scope", N_("共享内容")), ("agreement_version", N_("协议版本")),
                ("granted_at", N_("授权时间")),
                ("ended_at", N_("结束时间")), ("ended_reason", N_("结束原因"))),
        covers=(("group_consent", "person_id"), ("group_consent", "scope")), read=links.group_consents,
    ),
    Spec(
        "roles", N_("担任的角色"), N_("担任的角色"),
        about=N_("您在防疫工作中担任或担任过的角色（场所、机构管理员含登记的联系手机号），以及网格管理员邀请您接任的"
                 "“管理员变更”。"),
        who=N_("本系统保存；上级（学校管理员、区划管理员、平台运营等）可见"), why=N_("判断您可以使用哪些工作功能"),
        kept=_KEPT_WHILE_ACCOUNT,
        fields=(("role", N_("角色")), ("name", N_("学校/场所/机构/网格/团体")), ("since", N_("开始时间")),
                ("until", N_("结束时间")),
                ("note", N_("说明"))),
        covers=(("collector", "person_id"), ("school_admin", "person_id"), ("place", "admin_id"),
                ("place_staff", "person_id"), ("institution", "admin_id"), ("district_admin", "person_id"),
                ("grid", "admin_id"), ("grid_staff", "person_id"), ("group_code", "creator_id"), ("place", "phone"),
                ("institution", "phone"), ("medical_staff", "phone_hash"), ("medical_staff", "phone"),
                ("grid_handover", "successor_id_hash"), ("grid_handover", "successor_name")),
        read=links.roles,
    ),
    Spec(
        "work", N_("担任的角色"), N_("工作记录（条数）"),
        about=N_("您在工作中记录的条数，包括您代他人（申报人、家庭成员）提交的申报。这些记录本身是关于被检测、被登记、"
                 "被报告、被申报的人的，因此这里只列条数。"),
        who=N_("本系统保存"), why=N_("防疫工作的留痕"), kept=N_("不同记录按其各自的保存期限删除"),
        fields=(("what", N_("内容")), ("count", N_("条数"))),
        covers=(("temperature_check", "inspector_id"), ("grid_visit", "worker_id"), ("daily_report", "submitted_by_id"),
                ("teacher_declaration", "actor_id"), ("observation_notice", "issuer_id"),
                ("medical_alert", "person_id"), ("declaration", "actor_id"), ("personal_declaration", "actor_id")),
        read=links.work,
    ),
    Spec(
        "sessions", N_("登录设备"), N_("登录会话"),
        about=N_("您每次登录的时间；退出登录或到期后删除。本系统不记录设备型号和位置。"),
        who=N_("本系统保存（只存登录凭证的摘要）"), why=N_("保持您的登录，以及“退出所有设备”"), kept=retention.SESSIONS,
        fields=(("created_at", N_("登录时间")),),
        covers=(("login_session", "person_id"),), read=links.sessions,
    ),
    Spec(
        "reads", N_("查阅记录"), N_("查阅记录"),
        about=N_("他人因工作查阅您信息的记录：角色、组织、查阅人（部分隐藏）和时间。您本人查看不记录。"),
        who=N_("本系统保存；仅您本人可见"), why=N_("让您知道谁看过您的信息"), kept="audit_log",
        fields=(("at", N_("查阅时间")), ("role", N_("查阅人角色")), ("context", N_("组织")), ("reader", N_("查阅人")),
                ("action", N_("查阅内容"))),
        covers=(("audit_log", "subject_id"),), read=links.reads,
    ),
    Spec(
        "messages", N_("消息与反馈"), N_("站内消息"),
        about=N_("发给您的站内消息（如网格已解散）。"),
        who=N_("仅您本人可见"), why=N_("通知您工作绑定的变化"), kept=_KEPT_WHILE_ACCOUNT,
        fields=(("created_at", N_("时间")), ("kind", N_("类型")), ("text", N_("内容")), ("read_at", N_("阅读时间"))),
        covers=(("message", "person_id"),), read=links.messages,
    ),
    Spec(
        "feedback", N_("消息与反馈"), N_("帮助与反馈"),
        about=N_("您在个人中心提交的反馈。"),
        who=N_("本系统运营方"), why=N_("处理您反映的问题"), kept=_KEPT_WHILE_ACCOUNT,
        fields=(("created_at", N_("提交时间")), ("text", N_("反馈内容"))),
        covers=(("feedback", "person_id"),), read=links.feedback,
    ),
)
