"""公共场所管理员 rules (SPEC O2; issue 10 item 1; FAQ (二) 3, 4, 6, 7): create, weekly edit, hand-over."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.factories import make_person, make_place_staff
from yks_web.clock import TZ
from yks_web.models.place import Place, PlaceHandover, PlacePoster
from yks_web.services import access, place_posters, place_staff, places, share_codes

T0 = datetime(2026, 11, 20, 1, 0)  # naive UTC: Friday 2026-11-20 09:00 in Asia/Shanghai
TOWN = "440106006"  # 广东省广州市天河区石牌街道


def local(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def utc(moment: datetime) -> datetime:
    """A Shanghai moment as the database stores it (naive UTC)."""
    return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def info(**kw) -> places.PlaceInfo:
    values = {"area_code": TOWN, "address": "天河路1号", "kind": "商场商店", "name": "天河城", "phone": "13800000001"}
    values.update(kw)
    return places.PlaceInfo(**values)


# The place info() describes (an unchanged form is info() itself), made at T0: the clock's DEFAULT_NOW.
make_place = partial(factories.make_place, **asdict(info()))


# -- 修改信息: once per natural week, Monday–Sunday in Asia/Shanghai (FAQ 6) ---------------------------------


def test_o2_never_edited_may_edit():
    assert places.next_edit_day(None, local(2026, 11, 20, 9, 0)) is None


def test_o2_edited_sunday_opens_monday_midnight():
    edited = utc(local(2026, 11, 29, 20, 0))  # Sunday evening
    assert places.next_edit_day(edited, local(2026, 11, 29, 23, 59)) == date(2026, 11, 30)
    assert places.next_edit_day(edited, local(2026, 11, 29, 23, 59, 59)) == date(2026, 11, 30)
    assert places.next_edit_day(edited, local(2026, 11, 30, 0, 0)) is None


def test_o2_edited_monday_refused_all_week_in_shanghai_time():
    edited = utc(local(2026, 11, 23, 0, 0))  # Monday 00:00 Shanghai is still Sunday 16:00 in UTC
    assert edited == datetime(2026, 11, 22, 16, 0)
    for moment in (local(2026, 11, 23, 0, 1), local(2026, 11, 25, 12, 0), local(2026, 11, 29, 23, 59)):
        assert places.next_edit_day(edited, moment) == date(2026, 11, 30)
    assert places.next_edit_day(edited, local(2026, 11, 30, 0, 0)) is None


def test_o2_edited_sunday_late_in_shanghai_is_that_week():
    edited = utc(local(2026, 11, 22, 23, 30))  # Sunday 23:30 Shanghai: the week of 16–22 November
    assert places.next_edit_day(edited, local(2026, 11, 22, 23, 59)) == date(2026, 11, 23)
    assert places.next_edit_day(edited, local(2026, 11, 23, 0, 0)) is None


def test_o2_refusal_names_the_day():
    assert places.edit_refused_message(date(2026, 11, 30)) == "每周仅可修改一次，下周一（2026年11月30日）起可再次修改"


def test_o2_edit_once_then_refused_then_allowed_next_monday(db):
    place = make_place(db)
    admin_id = place.admin_id
    edited_at = utc(local(2026, 11, 29, 23, 0))  # Sunday
    assert places.edit(db.session, place, admin_id, info(address="天河路2号"), utc_now=edited_at,
                       local_now=local(2026, 11, 29, 23, 0))
    with pytest.raises(places.PlaceRefused) as refused:
        places.edit(db.session, place, admin_id, info(address="天河路3号"),
                    utc_now=utc(local(2026, 11, 29, 23, 59)), local_now=local(2026, 11, 29, 23, 59))
    assert refused.value.message == "每周仅可修改一次，下周一（2026年11月30日）起可再次修改"
    assert place.address == "天河路2号"
    assert places.edit(db.session, place, admin_id, info(address="天河路3号"),
                       utc_now=utc(local(2026, 11, 30, 0, 0)), local_now=local(2026, 11, 30, 0, 0))
    assert (place.address, place.edited_at) == ("天河路3号", utc(local(2026, 11, 30, 0, 0)))


def test_o2_unchanged_form_uses_no_edit(db):
    place = make_place(db)
    assert not places.edit(db.session, place, place.admin_id, info(), utc_now=T0, local_now=local(2026, 11, 20, 9))
    assert place.edited_at is None


def test_o2_edit_every_field_and_phone_masked(db):
    place = make_place(db)
    new = info(area_code="440103001", address="沙面北街2号", kind="酒店住宿", name="白天鹅宾馆", phone="13900000002")
    assert places.edit(db.session, place, place.admin_id, new, utc_now=T0, local_now=local(2026, 11, 20, 9))
    db.session.expire_all()
    place = db.session.get(Place, place.id)
    assert (place.area_code, place.address, place.kind, place.name, place.phone, place.phone_masked) == (
        "440103001", "沙面北街2号", "酒店住宿", "白天鹅宾馆", "13900000002", "139****0002")


def test_o2_rename_retires_the_live_poster_and_keeps_the_code(db):
    place = make_place(db)
    code, first = place.code, place_posters.live(db.session, place.id)
    places.edit(db.session, place, place.admin_id, info(name="天河城购物中心"), utc_now=T0,
                local_now=local(2026, 11, 20, 9))
    db.session.refresh(first)
    assert (first.retired_at, first.retired_reason) == (T0, place_posters.RENAMED)
    second = place_posters.live(db.session, place.id)
    assert second.token != first.token and second.place_name == "天河城购物中心"
    assert place.code == code  # FAQ 3: the 场所申报码 never changes


def test_o2_edit_without_rename_keeps_the_poster(db):
    place = make_place(db)
    poster = place_posters.live(db.session, place.id)
    places.edit(db.session, place, place.admin_id, info(address="天河路9号"), utc_now=T0,
                local_now=local(2026, 11, 20, 9))
    assert place_posters.live(db.session, place.id).token == poster.token


def test_o2_edit_by_a_former_admin_is_refused(db):
    place = make_place(db)
    other = make_person(db, "王五")
    with pytest.raises(places.NotAdmin):
        places.edit(db.session, place, other.id, info(name="别的名字"), utc_now=T0, local_now=local(2026, 11, 20, 9))


# -- 创建公共场所 --------------------------------------------------------------------------------------------


def test_o2_create_a_place_with_code_phone_and_first_poster(db):
    admin = make_person(db, "林场主")
    place = places.create(db.session, admin.id, info(), T0)
    assert share_codes.kind_of(place.code) == "place" and place.code.startswith("3")
    assert (place.admin_id, place.name, place.kind, place.area_code, place.address) == (
        admin.id, "天河城", "商场商店", TOWN, "天河路1号")
    assert (place.phone, place.phone_masked, place.created_at, place.edited_at) == (
        "13800000001", "138****0001", T0, None)
    poster = place_posters.live(db.session, place.id)
    assert poster is not None and poster.place_name == "天河城" and poster.token != place.code
    assert places.admin_place(db.session, admin.id).id == place.id


def test_o2_one_admin_one_place(db):
    admin = make_person(db, "林场主")
    first = places.create(db.session, admin.id, info(), T0)
    with pytest.raises(places.AlreadyAdmin) as refused:
        places.create(db.session, admin.id, info(name="第二个场所"), T0)
    assert refused.value.place.id == first.id
    assert db.session.scalar(select(func.count()).select_from(Place)) == 1


def test_o2_create_retries_a_colliding_code(db, monkeypatch):
    taken = make_place(db)
    codes = iter([taken.code, "3123456789"])
    monkeypatch.setattr(share_codes, "generate", lambda kind: next(codes))
    place = places.create(db.session, make_person(db, "第二人").id, info(name="第二场所"), T0)
    assert place.code == "3123456789"
    assert db.session.scalar(select(func.count()).select_from(PlacePoster)) == 2


def test_o2_create_race_on_the_unique_admin_is_already_admin(db, monkeypatch):
    """A twin request that got past the check: the unique admin_id answers, with the twin's place."""
    admin = make_person(db, "林场主")
    first = places.create(db.session, admin.id, info(), T0)
    real, checks = places.admin_place, []

    def blind_first_check(session, person_id):
        checks.append(person_id)
        return None if len(checks) == 1 else real(session, person_id)

    monkeypatch.setattr(places, "admin_place", blind_first_check)
    with pytest.raises(places.AlreadyAdmin) as refused:
        places.create(db.session, admin.id, info(name="双击"), T0)
    assert refused.value.place.id == first.id


# -- 成员管理: 解除绑定 ------------------------------------------------------------------------------------


def test_o2_admin_unbinds_an_inspector(db):
    place = make_place(db)
    staff = make_place_staff(db, place, "张三")
    places.unbind_inspector(db.session, place, staff, T0)
    assert (staff.active, staff.ended_by, staff.ended_at) == (False, "admin", T0)
    assert place_staff.inspectors(db.session, place.id) == []


def test_o2_unbinding_the_recipient_ends_the_offer(db):
    place = make_place(db)
    staff = make_place_staff(db, place, "张三")
    offer = places.offer_handover(db.session, place, staff, place.admin_id, T0)
    places.unbind_inspector(db.session, place, staff, T0)
    db.session.refresh(offer)
    assert offer.outcome == places.CANCELLED
    assert places.pending_handover(db.session, place.id, T0) is None


# -- 更换绑定 (FAQ 7) ----------------------------------------------------------------------------------------


def test_o2_handover_accepted_makes_the_recipient_admin(db):
    place = make_place(db)
    old_admin = place.admin_id
    place_staff.bind(db.session, old_admin, place, T0)  # the admin is also an inspector
    staff = make_place_staff(db, place, "张三")
    offer = places.offer_handover(db.session, place, staff, old_admin, T0)
    assert (offer.to_id, offer.from_id, offer.expires_at) == (staff.person_id, old_admin, T0 + timedelta(days=7))
    assert [o.id for o in places.offers_for(db.session, staff.person_id, T0)] == [offer.id]
    later = T0 + timedelta(days=6)
    accepted = places.accept_handover(db.session, offer.id, staff.person_id, later)
    assert accepted.id == place.id and place.admin_id == staff.person_id
    assert (offer.outcome, offer.decided_at) == (places.ACCEPTED, later)
    assert places.admin_place(db.session, old_admin) is None
    assert access.inspector_of(db.session, old_admin, place.id)  # still bound as an inspector
    assert places.offers_for(db.session, staff.person_id, later) == []


def test_o2_handover_refused_keeps_the_admin(db):
    place = make_place(db)
    staff = make_place_staff(db, place, "张三")
    offer = places.offer_handover(db.session, place, staff, place.admin_id, T0)
    places.refuse_handover(db.session, offer.id, staff.person_id, T0)
    assert offer.outcome == places.REFUSED and place.admin_id != staff.person_id
    with pytest.raises(places.PlaceRefused):
        places.accept_handover(db.session, offer.id, staff.person_id, T0)


def test_o2_handover_expires_after_seven_days(db):
    place = make_place(db)
    staff = make_place_staff(db, place, "张三")
    offer = places.offer_handover(db.session, place, staff, place.admin_id, T0)
    expired = T0 + timedelta(days=7)
    assert places.offer_for(db.session, offer.id, staff.person_id, expired) is None
    assert places.pending_handover(db.session, place.id, expired) is None
    with pytest.raises(places.PlaceRefused) as refused:
        places.accept_handover(db.session, offer.id, staff.person_id, expired)
    assert refused.value.message == places.HANDOVER_GONE
    assert place.admin_id != staff.person_id


def test_o2_handover_only_for_its_recipient(db):
    place = make_place(db)
    staff = make_place_staff(db, place, "张三")
    stranger = make_person(db, "路人甲")
    offer = places.offer_handover(db.session, place, staff, place.admin_id, T0)
    assert places.offer_for(db.session, offer.id, stranger.id, T0) is None
    with pytest.raises(places.PlaceRefused):
        places.accept_handover(db.session, offer.id, stranger.id, T0)


def test_o2_handover_refused_to_an_admin_of_another_place(db):
    place = make_place(db)
    staff = make_place_staff(db, place, "张三")
    other = places.create(db.session, staff.person_id, info(name="别的场所"), T0)
    offer = places.offer_handover(db.session, place, staff, place.admin_id, T0)
    with pytest.raises(places.PlaceRefused) as refused:
        places.accept_handover(db.session, offer.id, staff.person_id, T0)
    assert refused.value.message == places.ALREADY_ADMIN
    assert place.admin_id != staff.person_id and other.admin_id == staff.person_id
    assert places.offer_for(db.session, offer.id, staff.person_id, T0) is not None  # still open: may refuse


def test_o2_one_pending_handover_per_place(db):
    place = make_place(db)
    first, second = make_place_staff(db, place, "张三"), make_place_staff(db, place, "李四")
    old = places.offer_handover(db.session, place, first, place.admin_id, T0)
    new = places.offer_handover(db.session, place, second, place.admin_id, T0 + timedelta(hours=1))
    db.session.refresh(old)
    assert old.outcome == places.CANCELLED
    assert places.pending_handover(db.session, place.id, T0 + timedelta(hours=1)).id == new.id
    assert db.session.scalar(select(func.count()).select_from(PlaceHandover).where(
        PlaceHandover.place_id == place.id, PlaceHandover.decided_at.is_(None))) == 1
    with pytest.raises(places.PlaceRefused):
        places.accept_handover(db.session, old.id, first.person_id, T0 + timedelta(hours=2))


def test_o2_handover_cancelled(db):
    place = make_place(db)
    staff = make_place_staff(db, place, "张三")
    offer = places.offer_handover(db.session, place, staff, place.admin_id, T0)
    places.cancel_handover(db.session, place, T0)
    db.session.refresh(offer)
    assert offer.outcome == places.CANCELLED
    assert places.offer_for(db.session, offer.id, staff.person_id, T0) is None


def test_o2_handover_to_oneself_refused(db):
    place = make_place(db)
    self_staff = place_staff.bind(db.session, place.admin_id, place, T0)
    with pytest.raises(places.PlaceRefused):
        places.offer_handover(db.session, place, self_staff, place.admin_id, T0)


def test_o2_offer_voided_when_the_admin_changed(db):
    place = make_place(db)
    first, second = make_place_staff(db, place, "张三"), make_place_staff(db, place, "李四")
    offer = places.offer_handover(db.session, place, first, place.admin_id, T0)
    place.admin_id = second.person_id  # the place changed hands some other way meanwhile
    db.session.flush()
    with pytest.raises(places.PlaceRefused):
        places.accept_handover(db.session, offer.id, first.person_id, T0)


def test_o2_handover_race_with_the_recipients_own_place_is_refused(db, monkeypatch):
    """The recipient created a place between the check and the update: the unique admin_id refuses, no 500."""
    place = make_place(db)
    staff = make_place_staff(db, place, "张三")
    offer = places.offer_handover(db.session, place, staff, place.admin_id, T0)
    places.create(db.session, staff.person_id, info(name="别的场所"), T0)
    monkeypatch.setattr(places, "admin_place", lambda session, person_id: None)  # the check saw nothing yet
    with pytest.raises(places.PlaceRefused) as refused:
        places.accept_handover(db.session, offer.id, staff.person_id, T0)
    assert refused.value.message == places.ALREADY_ADMIN
    monkeypatch.undo()
    db.session.refresh(place)
    assert place.admin_id != staff.person_id


def test_item1_an_inspector_who_leaves_can_no_longer_accept_the_place(db):
    """Review of issue 10: 解除绑定 by the inspector themself ends the offer too; accepting afterwards is refused."""
    from tests.factories import make_handover, make_place, make_place_staff

    place = make_place(db)
    staff = make_place_staff(db, place, "赵检测")
    offer = make_handover(db, place, staff)
    place_staff.unbind(db.session, staff, "self", T0)
    with pytest.raises(places.PlaceRefused):
        places.accept_handover(db.session, offer.id, staff.person_id, T0)
    db.session.refresh(place)
    assert place.admin_id != staff.person_id
    assert offer.outcome == places.CANCELLED


def test_item1_an_admin_who_handed_the_place_over_cannot_act_once_more(db):
    """Review of issue 10: the admin's actions re-check the admin under the place's lock."""
    from tests.factories import make_handover, make_place, make_place_staff

    place = make_place(db)
    old_admin = place.admin_id
    staff = make_place_staff(db, place, "赵检测")
    offer = make_handover(db, place, staff)
    places.accept_handover(db.session, offer.id, staff.person_id, T0)
    for act in (lambda: places.reissue_poster(db.session, place, T0, actor_id=old_admin),
                lambda: places.cancel_handover(db.session, place, T0, actor_id=old_admin),
                lambda: places.unbind_inspector(db.session, place, staff, T0, actor_id=old_admin)):
        with pytest.raises(places.NotAdmin):
            act()
