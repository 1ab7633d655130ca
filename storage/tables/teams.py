"""Teams: one stored conversation reference per member, for proactive messages.

Teams only lets a bot message someone first if it kept the reference of a conversation with them
(saved on install, on membership updates and on every message). The reference holds ids and the
service URL, never message text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class ConversationRefRow(SQLModel, table=True):
    __tablename__ = "teams_conversation_ref"
    __table_args__ = (UniqueConstraint("practice_id", "member_id", name="uq_teams_ref_member"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE")
    conversation_id: str = Field(max_length=512)
    service_url: str = Field(max_length=500)
    #: The whole `ConversationReference` as JSON (ids and URLs only), so a later SDK can read it back.
    reference: str = Field(sa_type=Text)
    updated_at: datetime = Field(sa_type=UTCDateTime)
