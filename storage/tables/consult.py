"""Peer consultations: the tracked, de-identified threads, who stepped aside, and reference counters.

Only screened text is ever written here, and the purge empties `text`, `question` and `outcome` after
the practice's retention period while the reference, situation, status and timestamps stay for the
yearly counts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class ConsultationRow(SQLModel, table=True):
    __tablename__ = "consultation"
    __table_args__ = (
        UniqueConstraint("practice_id", "reference", name="uq_consultation_reference"),
        UniqueConstraint("practice_id", "year", "number", name="uq_consultation_number"),
        # The scheduler's questions: "open and not bumped yet" and "not purged yet", per practice.
        Index("ix_consultation_due_bump", "practice_id", "status", "bumped_at", "opened_at"),
        Index("ix_consultation_due_purge", "practice_id", "purged_at", "opened_at"),
        Index("ix_consultation_thread", "practice_id", "channel", "thread"),
        Index("ix_consultation_requester", "practice_id", "requester_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", ondelete="CASCADE")
    reference: str = Field(max_length=24)
    year: int
    number: int
    situation: str = Field(max_length=64)
    platform_label: str = Field(max_length=64)
    client_status: str = Field(max_length=32)
    text: str | None = Field(default=None, max_length=4000)
    question: str | None = Field(default=None, max_length=1000)
    outcome: str | None = Field(default=None, max_length=500)
    urgent: bool = Field(default=False)
    anonymous: bool = Field(default=False)
    requester_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    channel: str | None = Field(default=None, max_length=128)
    thread: str | None = Field(default=None, max_length=128)
    status: str = Field(default="open", max_length=16)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    bumped_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    purged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StepAsideRow(SQLModel, table=True):
    """A colleague who shares the client and so stays out of this consultation."""

    __tablename__ = "consultation_step_aside"
    __table_args__ = (UniqueConstraint("consultation_id", "member_id", name="uq_step_aside"),)

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE")
    at: datetime = Field(sa_type=UTCDateTime)


class ConsultationCounterRow(SQLModel, table=True):
    """The last reference number given out per practice and year.

    Incrementing this one row (`UPDATE ... RETURNING`) serialises concurrent openings on both SQLite
    and PostgreSQL, so two instances never hand out the same number and numbers have no gaps from races.
    """

    __tablename__ = "consultation_counter"

    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_number: int = Field(default=0)


class ConsultSettingsRow(SQLModel, table=True):
    """A practice's own answer limits; practices without a row use the defaults (24 h, 4 h urgent)."""

    __tablename__ = "consult_settings"

    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    answer_hours: int = Field(default=24)
    urgent_answer_hours: int = Field(default=4)
