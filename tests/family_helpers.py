"""家庭成员 test helpers (SPEC H3, I7): a consented link in one call, and a small fake of the real-name source.

The fake answers the RealNameVerifier questions (services/realname.py) from sets the test fills, so the
service tests of consent need no HTTP and no provider tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from yks_web.models import FamilyMember, Person
from yks_web.models.health import FAMILY_ACTIVE, FAMILY_PENDING
from yks_web.services.identity import Identity, make_identity
from yks_web.services.realname import Verdict

LINKED_AT = datetime(2026, 11, 20, 1, 0)


def make_family_link(db, owner: Person, member: Person, relation: str = "子女", *, consented: bool = True,
                     consent: str = "guardian") -> FamilyMember:
    """An owner → member link as the consent rules leave it: active (default) or still pending."""
    row = FamilyMember(
        owner_id=owner.id, member_id=member.id, relation=relation, created_at=LINKED_AT,
        status=FAMILY_ACTIVE if consented else FAMILY_PENDING,
        consent=consent if consented else "", consented_at=LINKED_AT if consented else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


@dataclass
class FakeVerifier:
    """Minors by 证件 hash (出生医学证明 holders always are), guardian pairs, and households."""

    minors: set[str] = field(default_factory=set)
    guardians: set[tuple[str, str]] = field(default_factory=set)  # (guardian hash, minor hash)
    households: list[set[str]] = field(default_factory=list)
    phones: set[str] = field(default_factory=set)  # 证件 hashes the source holds a phone for
    asked: list[str] = field(default_factory=list)

    def minor(self, number_or_identity) -> FakeVerifier:
        self.minors.add(_hash(number_or_identity))
        return self

    def guardian(self, guardian, minor) -> FakeVerifier:
        self.guardians.add((_hash(guardian), _hash(minor)))
        return self

    def household(self, *people) -> FakeVerifier:
        self.households.append({_hash(p) for p in people})
        return self

    def with_phone(self, number_or_identity) -> FakeVerifier:
        self.phones.add(_hash(number_or_identity))
        return self

    def verify(self, identity: Identity, phone: str | None = None) -> Verdict:
        return Verdict(ok=True, name=identity.name)

    def has_phone(self, identity: Identity) -> bool:
        return identity.hash in self.phones

    def verified_name(self, identity: Identity) -> str | None:
        return None

    def is_guardian(self, guardian: Identity, minor: Identity) -> bool:
        self.asked.append("is_guardian")
        return (guardian.hash, minor.hash) in self.guardians

    def same_household(self, one: Identity, other: Identity) -> bool:
        self.asked.append("same_household")
        return any(one.hash in h and other.hash in h for h in self.households)

    def is_minor(self, identity: Identity, today: date) -> bool:
        return identity.id_type == "birth_cert" or identity.hash in self.minors


def _hash(who) -> str:
    """A Person, an Identity, or an id_card number."""
    if isinstance(who, str):
        return make_identity("", "id_card", who).hash
    return who.id_hash if isinstance(who, Person) else who.hash
