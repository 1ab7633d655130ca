"""Practices, members, the audit log and processed platform events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class PracticeRow(SQLModel, table=True):
    __tablename__ = "practice"
    __table_args__ = (UniqueConstraint("platform", "external_id", name="uq_practice_platform_external"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=128)
    name: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    consult_channel: str | None = Field(default=None, max_length=128)
    review_month: int | None = None
    review_day: int | None = None
    retention_days: int = Field(default=90)
    policy_url: str | None = Field(default=None, max_length=500)
    policy_version: str | None = Field(default=None, max_length=64)
    timezone: str = Field(default="UTC", max_length=64)
    anonymous_visible_to_admins: bool = Field(default=True)


class MemberRow(SQLModel, table=True):
    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("practice_id", "external_id", name="uq_member_practice_external"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True, ondelete="CASCADE")
    external_id: str = Field(max_length=128)
    display_name: str | None = Field(default=None, max_length=200)
    timezone: str | None = Field(default=None, max_length=64)
    role: str = Field(default="member", max_length=16)
    active: bool = Field(default=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class AuditEventRow(SQLModel, table=True):
    """Who did what, when. No free text: `action` is a fixed verb, `target` an id or setting name."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True, ondelete="CASCADE")
    actor_member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    action: str = Field(max_length=64)
    target: str | None = Field(default=None, max_length=128)
    at: datetime = Field(sa_type=UTCDateTime, index=True)


class ProcessedEventRow(SQLModel, table=True):
    """One row per platform event id: a second insert fails, so a retried event takes effect once."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("platform", "event_id", name="uq_processed_event"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    event_id: str = Field(max_length=128)
    received_at: datetime = Field(sa_type=UTCDateTime, index=True)
