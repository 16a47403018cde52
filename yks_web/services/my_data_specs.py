"""我的数据's sections in words (issue 16 item 1; SPEC P6, P10): what each kind of record about a person is, who
holds and sees it, what it is for, how long it is kept, its fields, and the reader of the person's rows.

Each Spec names the (table, column) pairs it covers, so tests/services/test_my_data.py can tell a table that
refers to a person and that no section reads (services/my_data.NOT_ABOUT lists the others, each with why).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

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

_KEPT_WHILE_ACCOUNT = "未设自动删除期限，在您的账户存续期间保存"
_HEALTH_SOURCE = "由健康数据来源（卫生健康部门）提供和更新，本系统保存其当前记录"
_SCHOOL_WHO = "您所在学校组织的采集员和学校管理员可查看；每次查看都记入您的查阅记录"
_FAMILY_SEES = "经您同意的家庭成员可查看"
_SYMPTOMS = (("has_symptoms", "是否有发热、咳嗽等症状"), ("risk_travel", "14日内是否有中高风险地区旅居史"),
             ("contact_case", "14日内是否接触过确诊或疑似病例"))

SPECS: tuple[Spec, ...] = (
    Spec(
        "identity", "身份信息", "身份信息",
        about="您实名认证时提供的身份信息。证件号码和手机号加密保存，仅向您本人完整显示。",
        who="本系统保存；他人只能看到部分隐藏的号码（如44**************12、138****0019）",
        why="确认您的身份、登录和发送验证码", kept=_KEPT_WHILE_ACCOUNT,
        fields=(("name", "姓名"), ("id_type", "证件类型"), ("id_number", "证件号码"), ("phone", "手机号"),
                ("name_verified_at", "实名核验时间"), ("created_at", "账户创建时间"), ("language", "界面语言")),
        covers=(), read=records.identity,
    ),
    Spec(
        "school_declarations", "健康申报", "学生/教职工个人健康申报",
        about="您本人、代填人或采集员为您提交的每日健康申报，每次提交都保存（以最新一次为准）。",
        who=_SCHOOL_WHO, why="学校每日汇总师生健康情况", kept="declarations",
        fields=(("day", "申报日期"), ("created_at", "提交时间"), ("organisation", "学校组织"), ("source", "申报方式"),
                ("filled_by", "填报人"), *records.ANSWERS),
        covers=(("declaration", "person_id"),), read=records.school_declarations,
    ),
    Spec(
        "personal_declarations", "健康申报", "个人健康申报与组织机构申报",
        about="粤康码“健康申报”中您本人或家庭成员为您提交的申报；在组织机构申报时还包括在岗情况。",
        who="本系统保存；检测员、已授权网格员查验时可查看，组织机构管理员可查看您为其机构的申报，"
            + _FAMILY_SEES + "；他人查看记入查阅记录",
        why="健康码判定和组织机构每日汇总", kept="personal_declarations",
        fields=(("created_at", "提交时间"), ("filled_by", "填报人"), ("institution", "组织机构"),
                ("on_duty", "当前是否在岗"), ("work_place", "工作地点"), ("location", "当前所在地"),
                ("temperature", "体温"), *_SYMPTOMS, ("remarks", "备注")),
        covers=(("personal_declaration", "person_id"), ("institution_declaration", "person_id")),
        read=records.personal_declarations,
    ),
    Spec(
        "report_entries", "健康申报", "采集员每日报告中的您",
        about="采集员“提交本日数据”时，报告中记录您当日是否已申报（及计入的申报）。",
        who=_SCHOOL_WHO, why="学校汇总每日报告；报告提交后不再修改", kept="reports",
        fields=(("day", "报告日期"), ("organisation", "学校组织"), ("submitted_at", "报告提交时间"),
                ("declared", "当日是否已申报"), ("reason", "采集员填写的未填报原因")),
        covers=(("report_entry", "person_id"), ("daily_report", "missing_notes")), read=records.report_entries,
    ),
    Spec(
        "report_drafts", "健康申报", "采集员填写中的未填报原因",
        about="采集员“提交本日数据”时为未填报的您填写、尚未提交的原因（提交后见上一项）。",
        who="本系统保存；该组织的采集员可见", why="采集员向学校说明未填报的原因", kept="reports",
        fields=(("day", "报告日期"), ("organisation", "学校组织"), ("updated_at", "填写时间"),
                ("reason", "未填报原因")),
        covers=(("report_draft", "data"),), read=records.report_drafts,
    ),
    Spec(
        "reminders", "健康申报", "填报提醒",
        about="您当日未填报时，采集员发给您（及您的代填人）的短信提醒。",
        who="本系统保存；该组织的采集员可见", why="提醒您按时填报，同一天同一成员不重复提醒",
        kept="reminders",
        fields=(("sent_at", "提醒时间"), ("day", "提醒日期"), ("organisation", "学校组织"), ("how", "方式"),
                ("messages", "发送短信条数")),
        covers=(("reminder_log", "person_id"),), read=records.reminders,
    ),
    Spec(
        "notices", "健康申报", "代申报通知",
        about="他人以您的名义提交申报时发给您的通知。",
        who="仅您本人可见", why="让您知道谁代您做了什么", kept=_KEPT_WHILE_ACCOUNT,
        fields=(("created_at", "通知时间"), ("kind", "申报类型"), ("source", "方式"), ("actor", "操作人"),
                ("organisation", "组织"), ("day", "申报日期"), ("read_at", "阅读时间")),
        covers=(("declaration_notice", "person_id"),), read=records.notices,
    ),
    Spec(
        "checkins", "体温与核查记录", "公共场所体温检测",
        about="检测员在公共场所扫您的粤康码记录的体温结果，以及您扫葵花码的体温正常快速打卡。"
              "每条记录还保存从您的证件号码读出的性别和出生年份（供场所按性别、年龄统计，不保存证件号码）。"
              "记录不修改，复测时以新记录更正旧记录。",
        who="本系统保存；扫码的检测员当场可见，场所管理员只看到不含姓名的统计，" + _FAMILY_SEES,
        why="疫情防控中的场所体温核查和追溯", kept="checkins",
        fields=(("checked_at", "检测时间"), ("place", "场所"), ("result", "结果"), ("method", "方式"),
                ("inspector", "检测员"), ("corrected", "已被复测更正"), ("sex", "性别"), ("birth_year", "出生年份")),
        covers=(("temperature_check", "person_id"),), read=records.checkins,
    ),
    Spec(
        "grid_visits", "体温与核查记录", "网格入户登记",
        about="网格员入户走访时登记的您的信息和健康情况（手动录入或扫粤康码），包括网格员录入了您的证件号码的记录。"
              "网格员登记的手机号若不是您的手机号，只显示部分。",
        who="本系统保存；该网格的网格管理员和已授权网格员可查看", why="社区网格的居民健康情况采集", kept="grid_visits",
        fields=(("recorded_at", "登记时间"), ("grid", "网格"), ("worker", "网格员"), ("method", "方式"),
                ("name", "登记姓名"), ("id_number", "登记证件号码"), ("phone", "登记手机号"), ("address", "地址"),
                ("temperature", "体温"), *_SYMPTOMS, ("remarks", "备注")),
        covers=(("grid_visit", "person_id"), ("grid_visit", "id_hash"), ("grid_visit", "id_number"),
                ("grid_visit", "phone")), read=records.grid_visits,
    ),
    Spec(
        "health_code", "健康码与医疗记录", "健康码状态",
        about="您粤康码的当前颜色和原因（无记录即为绿码）。",
        who="健康数据来源；扫码查验人员、" + _FAMILY_SEES + "，团体管理员经您授权可查看",
        why="出示和查验粤康码", kept=_HEALTH_SOURCE,
        fields=(("colour", "颜色"), ("reason", "原因"), ("decided_at", "判定时间"), ("decided_city", "判定城市"),
                ("updated_at", "更新时间")),
        covers=(("health_code", "person_id"),), read=records.health_code,
    ),
    Spec(
        "tests", "健康码与医疗记录", "核酸检测记录",
        about="您的核酸检测采样和结果。",
        who="健康数据来源；" + _FAMILY_SEES + "，团体管理员经您授权可查看", why="我的粤康码中的核酸检测历史",
        kept=_HEALTH_SOURCE,
        fields=(("sampled_at", "采样时间"), ("result", "结果"), ("tested_at", "检测时间"), ("institution", "检测机构"),
                ("source", "数据来源")),
        covers=(("nucleic_acid_test", "person_id"),), read=records.tests,
    ),
    Spec(
        "vaccinations", "健康码与医疗记录", "疫苗接种记录",
        about="您的新冠疫苗接种针次。",
        who="健康数据来源；" + _FAMILY_SEES + "，团体管理员经您授权可查看", why="我的粤康码中的疫苗接种信息",
        kept=_HEALTH_SOURCE,
        fields=(("dose", "针次"), ("vaccinated_on", "接种日期"), ("manufacturer", "疫苗厂家"), ("site", "接种单位")),
        covers=(("vaccination", "person_id"),), read=records.vaccinations,
    ),
    Spec(
        "entries", "健康码与医疗记录", "入粤登记",
        about="您从外地来粤时的登记。",
        who="健康数据来源；" + _FAMILY_SEES, why="健康码判定", kept=_HEALTH_SOURCE,
        fields=(("arrived_on", "抵粤日期"), ("from_region", "出发地"), ("destination", "目的地"),
                ("transport", "交通方式"), ("registered_at", "登记时间")),
        covers=(("entry_registration", "person_id"),), read=records.entries,
    ),
    Spec(
        "observations", "健康码与医疗记录", "医学观察",
        about="对您的医学观察（原因、开始日期、地点）及解除时间。",
        who="健康数据来源；医护人员扫码出具告知书时可查看（记入查阅记录）", why="健康码判定和解除医学观察",
        kept=_HEALTH_SOURCE,
        fields=(("reason", "原因"), ("started_on", "开始日期"), ("unit", "观察地点/单位"), ("created_at", "记录时间"),
                ("released_at", "解除时间")),
        covers=(("medical_observation", "person_id"),), read=records.observations,
    ),
    Spec(
        "observation_notices", "健康码与医疗记录", "解除医学观察电子告知书",
        about="医护人员为您出具的告知书。",
        who="本系统保存；任何人可凭编号核验真伪（只显示部分隐藏的姓名）", why="证明您已解除医学观察",
        kept=_KEPT_WHILE_ACCOUNT,
        fields=(("number", "编号"), ("issued_at", "出具时间"), ("institution", "出具单位"), ("issuer", "医护人员"),
                ("reason", "观察原因"), ("released_on", "解除日期"), ("revoked", "已撤销")),
        covers=(("observation_notice", "person_id"),), read=records.observation_notices,
    ),
    Spec(
        "family", "家庭成员", "家庭成员",
        about="您添加的家庭成员，以及将您添加为家庭成员的人（双方）。生效后，添加人可以出示您的粤康码、为您健康申报。",
        who="本系统保存；双方各自可见", why="代家人出示粤康码和申报", kept=_KEPT_WHILE_ACCOUNT,
        fields=(("direction", "关系方向"), ("name", "对方姓名"), ("typed_for_me", "对方为我填写的姓名"),
                ("id_number", "对方证件号码"), ("relation", "关系"), ("status", "状态"), ("consent", "同意方式"),
                ("created_at", "添加时间"), ("consented_at", "生效时间")),
        covers=(("family_member", "owner_id"), ("family_member", "member_id"), ("family_member", "typed_name")),
        read=links.family,
    ),
    Spec(
        "proxies", "代填人", "代填人",
        about="代您填报学校健康申报的代填人，以及您代其填报的申报人（双方）。",
        who="本系统保存；双方及该组织的采集员可见", why="代他人填报学校健康申报", kept=_KEPT_WHILE_ACCOUNT,
        fields=(("direction", "关系方向"), ("name", "对方姓名"), ("typed_for_me", "对方为我填写的姓名"),
                ("organisation", "学校组织"), ("active", "当前有效"), ("created_at", "绑定时间"),
                ("removed_by_declarant_at", "申报人移除时间")),
        covers=(("proxy_binding", "proxy_id"), ("proxy_binding", "declarant_id"), ("proxy_binding", "typed_name")),
        read=links.proxies,
    ),
    Spec(
        "memberships", "组织与团体", "学校组织",
        about="您加入的班级/部门，以及采集员或代填人添加您时填写的姓名；退出后记录仍保留。",
        who="本系统保存；该组织的采集员和学校管理员可见", why="学校健康申报", kept=_KEPT_WHILE_ACCOUNT,
        fields=(("organisation", "组织"), ("school", "学校"), ("target", "成员身份"), ("joined_via", "加入方式"),
                ("typed_name", "添加时填写的姓名"), ("active", "当前在组织中"), ("joined_at", "加入时间"),
                ("left_at", "退出时间")),
        covers=(("membership", "person_id"), ("membership", "typed_name")), read=links.memberships,
    ),
    Spec(
        "institution_memberships", "组织与团体", "组织机构",
        about="您绑定的组织机构；解绑后记录仍保留。",
        who="本系统保存；该机构的组织机构管理员可见", why="组织机构成员健康申报", kept=_KEPT_WHILE_ACCOUNT,
        fields=(("institution", "组织机构"), ("active", "当前绑定"), ("bound_at", "绑定时间"),
                ("ended_at", "解绑时间")),
        covers=(("institution_member", "person_id"),), read=links.institution_memberships,
    ),
    Spec(
        "groups", "组织与团体", "团体码",
        about="您所在的团体，您的身份、备注、加入时填写的手机号，以及团体最近一次“刷新数据”时保存的您的健康码、核酸和疫苗情况。",
        who="本系统保存；该团体的创建人和管理员可见（经您授权，查看记入查阅记录）", why="团体管理员了解成员健康情况",
        kept=_KEPT_WHILE_ACCOUNT,
        fields=(("group", "团体"), ("role", "身份"), ("remark", "我的备注"), ("phone", "手机号"),
                ("joined_at", "加入时间"), ("snapshot_at", "数据更新时间"), ("code_colour", "健康码"),
                ("code_reason", "健康码原因"), ("test_result", "核酸结果"), ("test_sampled_at", "核酸采样时间"),
                ("test_institution", "核酸检测机构"), ("vaccine_doses", "疫苗针次"),
                ("vaccine_records", "疫苗接种记录")),
        covers=(("group_member", "person_id"), ("group_member", "phone"), ("group_member", "vaccine_records")),
        read=links.groups,
    ),
    Spec(
        "group_consents", "组织与团体", "团体授权记录",
        about="您同意与团体共享哪些信息、何时同意、何时结束。",
        who="本系统保存；仅您本人可见", why="证明您的授权", kept=_KEPT_WHILE_ACCOUNT,
        fields=(("group", "团体"), ("scope", "共享内容"), ("agreement_version", "协议版本"), ("granted_at", "授权时间"),
                ("ended_at", "结束时间"), ("ended_reason", "结束原因")),
        covers=(("group_consent", "person_id"), ("group_consent", "scope")), read=links.group_consents,
    ),
    Spec(
        "roles", "担任的角色", "担任的角色",
        about="您在防疫工作中担任或担任过的角色（场所、机构管理员含登记的联系手机号），以及网格管理员邀请您接任的"
              "“管理员变更”。",
        who="本系统保存；上级（学校管理员、区划管理员、平台运营等）可见", why="判断您可以使用哪些工作功能",
        kept=_KEPT_WHILE_ACCOUNT,
        fields=(("role", "角色"), ("name", "学校/场所/机构/网格/团体"), ("since", "开始时间"), ("until", "结束时间"),
                ("note", "说明")),
        covers=(("collector", "person_id"), ("school_admin", "person_id"), ("place", "admin_id"),
                ("place_staff", "person_id"), ("institution", "admin_id"), ("district_admin", "person_id"),
                ("grid", "admin_id"), ("grid_staff", "person_id"), ("group_code", "creator_id"), ("place", "phone"),
                ("institution", "phone"), ("medical_staff", "phone_hash"), ("medical_staff", "phone"),
                ("grid_handover", "successor_id_hash"), ("grid_handover", "successor_name")),
        read=links.roles,
    ),
    Spec(
        "work", "担任的角色", "工作记录（条数）",
        about="您在工作中记录的条数，包括您代他人（申报人、家庭成员）提交的申报。这些记录本身是关于被检测、被登记、"
              "被报告、被申报的人的，因此这里只列条数。",
        who="本系统保存", why="防疫工作的留痕", kept="不同记录按其各自的保存期限删除",
        fields=(("what", "内容"), ("count", "条数")),
        covers=(("temperature_check", "inspector_id"), ("grid_visit", "worker_id"), ("daily_report", "submitted_by_id"),
                ("teacher_declaration", "actor_id"), ("observation_notice", "issuer_id"),
                ("medical_alert", "person_id"), ("declaration", "actor_id"), ("personal_declaration", "actor_id")),
        read=links.work,
    ),
    Spec(
        "sessions", "登录设备", "登录会话",
        about="您每次登录的时间；退出登录或到期后删除。本系统不记录设备型号和位置。",
        who="本系统保存（只存登录凭证的摘要）", why="保持您的登录，以及“退出所有设备”", kept=retention.SESSIONS,
        fields=(("created_at", "登录时间"),),
        covers=(("login_session", "person_id"),), read=links.sessions,
    ),
    Spec(
        "reads", "查阅记录", "查阅记录",
        about="他人因工作查阅您信息的记录：角色、组织、查阅人（部分隐藏）和时间。您本人查看不记录。",
        who="本系统保存；仅您本人可见", why="让您知道谁看过您的信息", kept="audit_log",
        fields=(("at", "查阅时间"), ("role", "查阅人角色"), ("context", "组织"), ("reader", "查阅人"),
                ("action", "查阅内容")),
        covers=(("audit_log", "subject_id"),), read=links.reads,
    ),
    Spec(
        "messages", "消息与反馈", "站内消息",
        about="发给您的站内消息（如网格已解散）。",
        who="仅您本人可见", why="通知您工作绑定的变化", kept=_KEPT_WHILE_ACCOUNT,
        fields=(("created_at", "时间"), ("kind", "类型"), ("text", "内容"), ("read_at", "阅读时间")),
        covers=(("message", "person_id"),), read=links.messages,
    ),
    Spec(
        "feedback", "消息与反馈", "帮助与反馈",
        about="您在个人中心提交的反馈。",
        who="本系统运营方", why="处理您反映的问题", kept=_KEPT_WHILE_ACCOUNT,
        fields=(("created_at", "提交时间"), ("text", "反馈内容")),
        covers=(("feedback", "person_id"),), read=links.feedback,
    ),
)
