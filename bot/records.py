"""Plain records the core reads and writes through its ports.

Storage maps its tables to these; the core never sees a database row. Every record belongs to a
practice (a Slack workspace, a Teams tenant, or the local console practice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Practice:
    id: int
    platform: str
    external_id: str
    name: str | None
    created_at: datetime
    consult_channel: str | None = None
    review_month: int | None = None
    review_day: int | None = None
    retention_days: int = 90
    policy_url: str | None = None
    policy_version: str | None = None
    timezone: str = "UTC"
    anonymous_visible_to_admins: bool = True


@dataclass(frozen=True)
class Member:
    id: int
    practice_id: int
    external_id: str
    display_name: str | None
    timezone: str | None
    role: str  # "member" or "admin" (granted with `/boundary admin add`)
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """An admin action: who, what, when. `action` is a fixed verb and `target` an id, never free text."""

    id: int
    practice_id: int
    actor_member_id: int | None
    action: str
    target: str | None
    at: datetime


@dataclass(frozen=True)
class Identity:
    """Who is speaking, resolved from an `Inbound` on first contact and cached afterwards."""

    practice: Practice
    member: Member
    is_admin: bool
