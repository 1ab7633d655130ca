"""Yearly review cycles, tasks and deliveries: the review engine's only durable state.

A task stores done / not done and when, never checklist answers. A delivery row is one nudge:
UNIQUE(task_id, step) makes a second copy of the same nudge impossible, and the partial index on
`due_at` over rows still waiting lets a tick find due work without scanning anything else.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

#: The states a tick looks at: waiting to be sent, or claimed (due again when the lease runs out).
WAITING = "state IN ('pending', 'claimed')"


class ReviewCycleRow(SQLModel, table=True):
    __tablename__ = "review_cycle"
    __table_args__ = (
        UniqueConstraint("practice_id", "year", "policy_version", name="uq_review_cycle_year_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True, ondelete="CASCADE")
    year: int
    policy_version: str = Field(default="", max_length=64)
    opens_at: datetime = Field(sa_type=UTCDateTime)


class ReviewTaskRow(SQLModel, table=True):
    __tablename__ = "review_task"
    __table_args__ = (UniqueConstraint("cycle_id", "member_id", name="uq_review_task_cycle_member"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True, ondelete="CASCADE")
    cycle_id: int = Field(foreign_key="review_cycle.id", ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    status: str = Field(default="pending", max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReviewDeliveryRow(SQLModel, table=True):
    """One nudge. `due_at` is when a tick should next look at it: the scheduled time while pending,
    the lease's end while claimed. `scheduled_at` keeps the planned time for status and audits."""

    __tablename__ = "review_delivery"
    __table_args__ = (
        UniqueConstraint("task_id", "step", name="uq_review_delivery_task_step"),
        Index(
            "ix_review_delivery_waiting_due",
            "due_at",
            postgresql_where=text(WAITING),
            sqlite_where=text(WAITING),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="review_task.id", ondelete="CASCADE")
    recipient_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    step: str = Field(max_length=32)
    scheduled_at: datetime = Field(sa_type=UTCDateTime)
    due_at: datetime = Field(sa_type=UTCDateTime)
    state: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=200)
    message_id: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
