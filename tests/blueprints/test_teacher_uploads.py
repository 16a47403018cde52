"""外籍教师 import and form limits on the screen (issue 8 item 10, SPEC W10, Q2): a refused file gets its
message beside the file field (an over-2 MB upload too, not a bare 413 page), nothing is stored, and the
single-teacher form refuses out-of-range 入境日期 with what was typed kept."""

from __future__ import annotations

import io
import re

import pytest

from tests.blueprints.support import count, location, text
from tests.factories import make_admin, make_person, make_school
from yks_web.models import ForeignTeacher
from yks_web.services import teachers

HEADER = ",".join(teachers.LABELS.values())
ROW = "Dorian Lam,高校,美国,北美洲,广东省内,否,无,,2020-03-13,19:56,飞机 CZ328"


@pytest.fixture
def school(db):
    school = make_school(db)
    admin = make_admin(db, school)
    db.session.commit()
    return school, admin


def upload(actions, school_id: int, name: str, data: bytes):
    return actions.post(f"/school/{school_id}/teachers/import", {"file": (io.BytesIO(data), name)},
                        content_type="multipart/form-data")


def beside_the_field(page: str) -> str:
    match = re.search(r'<p class="field-error" id="file-error"[^>]*>([^<]*)</p>', page)
    assert match, "the message sits under the file field"
    assert 'aria-describedby="file-error"' in page
    return match.group(1)


def test_item10_an_upload_over_2mb_gets_the_message_beside_the_field(client, db, actions, school):
    school, admin = school
    actions.login(admin)
    big = (HEADER + "\n" + (ROW + "\n") * 30_000).encode()
    assert len(big) > client.application.config["MAX_CONTENT_LENGTH"]
    response = upload(actions, school.id, "t.csv", big)
    assert response.status_code == 200
    assert beside_the_field(text(response)) == teachers.FILE_TOO_LARGE
    assert "外籍教师名单" in text(response) and count(db, ForeignTeacher) == 0


def test_item10_an_upload_over_2mb_to_someone_elses_school_shows_nothing_of_it(client, db, actions, school):
    school, _ = school
    actions.login(make_person(db, "路人"))
    db.session.commit()
    response = upload(actions, school.id, "t.csv", b"x" * (3 * 1024 * 1024))
    assert response.status_code == 413 and "外籍教师名单" not in text(response)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("t.csv", (HEADER + "\n" + (ROW + "\n") * (teachers.MAX_ROWS + 1)).encode(), teachers.TOO_MANY_ROWS),
    ("t.txt", b"hello", "请上传CSV或Excel（.xlsx）文件"),
    ("t.xlsx", b"not a zip", "无法读取该Excel文件，请使用模板格式（.xlsx）"),
])
def test_item10_a_refused_file_is_named_beside_the_field_and_nothing_is_stored(
    client, db, actions, school, name, data, message,
):
    school, admin = school
    actions.login(admin)
    response = upload(actions, school.id, name, data)
    assert response.status_code == 200 and beside_the_field(text(response)) == message
    assert count(db, ForeignTeacher) == 0


def test_item10_a_row_with_a_nul_is_reported_by_its_number(client, db, actions, school):
    school, admin = school
    actions.login(admin)
    data = "\n".join([HEADER, ROW, ROW.replace("Dorian Lam", "Anna\x00Berg")]).encode()
    response = upload(actions, school.id, "t.csv", data)
    assert response.status_code == 303  # to the result page (issue 9 item 2)
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(client.get(location(response)))))
    assert "成功导入 1 名外籍教师，1 行未导入" in page and "第3行 姓名" in page
    assert [t.name for t in teachers.school_list(db.session, school.id)] == ["Dorian Lam"]


def test_item10_the_form_refuses_an_entry_date_out_of_range_and_keeps_what_was_typed(client, db, actions, school):
    school, admin = school
    actions.login(admin)
    form = dict(zip(teachers.FIELDS, ROW.split(","), strict=True)) | {"entry_date": "9999-12-31"}
    response = actions.post(f"/school/{school.id}/teachers/add", form)
    page = text(response)
    assert response.status_code == 200 and "入境日期应在2019-12-01至2027-11-21之间" in page
    assert 'value="9999-12-31"' in page and 'value="Dorian Lam"' in page
    assert count(db, ForeignTeacher) == 0
