"""The ports the core talks through. Storage and adapters implement them; tests have fakes.

The core stays free of databases, chat SDKs and schedulers: it only knows these Protocols.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.messages import Reply
from bot.records import AuditEntry, Member, Practice


class Clock(Protocol):
    """Time is an input: services ask the clock, tests move it."""

    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class PracticeRepository(Protocol):
    def get_or_create(self, platform: str, external_id: str, name: str | None, now: datetime) -> Practice: ...

    def get(self, practice_id: int) -> Practice | None: ...

    def find(self, platform: str, external_id: str) -> Practice | None: ...

    def list_all(self) -> Sequence[Practice]: ...

    def update_settings(self, practice_id: int, **changes: Any) -> Practice: ...


class MemberRepository(Protocol):
    def get_or_create(
        self,
        practice_id: int,
        external_id: str,
        display_name: str | None,
        timezone: str | None,
        now: datetime,
    ) -> Member: ...

    def get(self, practice_id: int, member_id: int) -> Member | None: ...

    def find(self, practice_id: int, external_id: str) -> Member | None: ...

    def list_for_practice(self, practice_id: int, *, active_only: bool = True) -> Sequence[Member]: ...

    def set_role(self, practice_id: int, member_id: int, role: str) -> Member: ...

    def set_active(self, practice_id: int, member_id: int, active: bool) -> Member: ...

    def update_profile(
        self, practice_id: int, member_id: int, *, display_name: str | None, timezone: str | None
    ) -> Member: ...


class AuditLog(Protocol):
    def record(
        self, practice_id: int, actor_member_id: int | None, action: str, target: str | None, at: datetime
    ) -> AuditEntry: ...

    def list_for_practice(self, practice_id: int, limit: int = 100) -> Sequence[AuditEntry]: ...


@dataclass(frozen=True)
class SentMessage:
    """What a notifier reports after sending: the platform's id for the message, if it gives one."""

    message_id: str | None


class Notifier(Protocol):
    """Sends a reply proactively (not as the answer to a request): DMs, channel posts, reminders.

    `metadata` travels with the message where the platform supports it (Slack message metadata), so
    a later process can recognise a message it sent before recording it.
    """

    async def send_direct(
        self, practice: Practice, member: Member, reply: Reply, *, metadata: dict[str, str] | None = None
    ) -> SentMessage: ...

    async def send_channel(
        self, practice: Practice, channel: str, reply: Reply, *, thread: str | None = None
    ) -> SentMessage: ...

    async def find_direct(self, practice: Practice, member: Member, metadata_key: str) -> SentMessage | None:
        """A direct message sent earlier whose metadata carries `metadata_key`, if the platform can tell.

        Used before re-sending a nudge whose first attempt crashed mid-way; platforms that cannot
        search their history return None.
        """
        ...
