"""The audit log's read side: a person's 查阅记录 (issue 8 item 9, SPEC P6, P10)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.factories import make_person
from yks_web.services import audit

T0 = datetime(2026, 11, 20, 1, 0)


def test_p10_reads_of_lists_only_the_persons_reads_newest_first_with_masked_readers(db):
    me, other = make_person(db, "黄恺"), make_person(db, "陈立")
    collector, admin = make_person(db, "蒋小华"), make_person(db, "李校管")
    audit.record(db.session, actor_id=collector.id, role="collector", action="view_day", subject_ids=[me.id, other.id],
                 utc_now=T0, context="高一(1)班")
    audit.record(db.session, actor_id=admin.id, role="school_admin", action="export_csv", subject_ids=[me.id],
                 utc_now=T0 + timedelta(hours=1), context="广州市第一示范中学")
    audit.record(db.session, actor_id=admin.id, role="someone_new", action="new_action", subject_ids=[other.id],
                 utc_now=T0 + timedelta(hours=2))
    reads, older = audit.reads_of(db.session, me.id)
    assert [(r.role, r.context, r.reader, r.action, r.at) for r in reads] == [
        ("学校管理员", "广州市第一示范中学", "*校管", "导出申报数据（CSV）", T0 + timedelta(hours=1)),
        ("采集员", "高一(1)班", "*小华", "查看申报详情", T0),
    ]
    assert older is False
    theirs, _ = audit.reads_of(db.session, other.id)
    assert [(r.role, r.action) for r in theirs] == [("其他人员", "new_action"), ("采集员", "查看申报详情")]


def test_p10_reads_of_pages(db):
    me, reader = make_person(db, "黄恺"), make_person(db, "蒋小华")
    for minute in range(5):
        audit.record(db.session, actor_id=reader.id, role="collector", action="view_day", subject_ids=[me.id],
                     utc_now=T0 + timedelta(minutes=minute))
    first, more = audit.reads_of(db.session, me.id, limit=2)
    last, no_more = audit.reads_of(db.session, me.id, limit=2, offset=4)
    assert [r.at.minute for r in first] == [4, 3] and more is True
    assert [r.at.minute for r in last] == [0] and no_more is False


def test_p6_record_is_one_row_per_distinct_subject_and_skips_the_reader(db):
    me, reader = make_person(db, "黄恺"), make_person(db, "蒋小华")
    assert audit.record(db.session, actor_id=reader.id, role="collector", action="view_day",
                        subject_ids=[me.id, me.id, reader.id], utc_now=T0) == 1
    assert audit.record(db.session, actor_id=reader.id, role="collector", action="view_day",
                        subject_ids=[], utc_now=T0) == 0
    assert len(audit.reads_of(db.session, me.id)[0]) == 1
    assert audit.reads_of(db.session, reader.id)[0] == []
