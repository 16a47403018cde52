"""Scenes for the screen tests: a school with a collector's class and its member invite card."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import make_org, make_person, make_school
from yks_web import clock
from yks_web.models import Organisation, Person, School
from yks_web.services import invites, membership


@dataclass
class Scene:
    school: School
    org: Organisation
    collector: Person
    members: list[Person]
    token: str  # the organisation's member invite card

    @property
    def org_id(self) -> int:
        return self.org.id


@pytest.fixture
def scene(db) -> Scene:
    """广州市第一示范中学 · 高一(1)班 (size 50), collector 蒋小华, three joined members."""
    school = make_school(db)
    collector = make_person(db, "蒋小华")
    org = make_org(db, school, collector, members=3)
    invite = invites.member_invite(
        db.session, org_id=org.id, school_id=school.id, creator_id=collector.id, utc_now=clock.utcnow()
    )
    members = [m.person for m in membership.members(db.session, org.id)]
    db.session.commit()
    return Scene(school=school, org=org, collector=collector, members=members, token=invite.token)
