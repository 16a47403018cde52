"""站内消息: a short message to one person about their work bindings (issue 12 item 3).

Kept apart from what it is about: when a grid is dissolved every row of the grid goes (解散网格 deletes for
good), and the message telling its 网格员 is theirs, so it names the grid in words and references nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_, gettext

KINDS = {"grid_dissolved": N_("网格已解散")}  # stored by key; the label in the reader's language (kind_label)


class Message(db.Model):
    __tablename__ = "message"
    __table_args__ = (Index("ix_message_person_read", "person_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(nullable=True)

    @property
    def kind_label(self) -> str:
        return gettext(KINDS[self.kind]) if self.kind in KINDS else self.kind
