"""Fixtures for the review tests: a notifier that keeps a DM history, and a practice to review."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from adapters.runtime import Runtime, build_runtime
from adapters.scheduler import tick
from bot.config import Settings
from bot.messages import Inbound, Reply
from bot.ports import SentMessage
from bot.records import Member, Practice
from tests.fakes import FakeClock

TEAM = "T0REVIEW"


@dataclass
class Sent:
    user: str
    reply: Reply
    metadata: dict[str, str]
    message_id: str


@dataclass
class HistoryNotifier:
    """Like a chat tool: keeps every DM with its metadata and can search them, and can be told to fail."""

    sent: list[Sent] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    attempts: Counter[str] = field(default_factory=Counter)

    async def send_direct(
        self, practice: Practice, member: Member, reply: Reply, *, metadata: dict[str, str] | None = None
    ) -> SentMessage:
        self.attempts[member.external_id] += 1
        if member.external_id in self.failing:
            raise ConnectionError("workspace unreachable")
        message_id = f"1700000000.{len(self.sent) + 1:06d}"
        self.sent.append(Sent(member.external_id, reply, dict(metadata or {}), message_id))
        return SentMessage(message_id)

    async def send_channel(
        self, practice: Practice, channel: str, reply: Reply, *, thread: str | None = None
    ) -> SentMessage:
        raise AssertionError("reviews never post in channels")

    async def find_direct(self, practice: Practice, member: Member, metadata_key: str) -> SentMessage | None:
        for sent in self.sent:
            if sent.user == member.external_id and metadata_key in sent.metadata.values():
                return SentMessage(sent.message_id)
        return None

    def to(self, user: str) -> list[Reply]:
        return [s.reply for s in self.sent if s.user == user]

    def users(self) -> list[str]:
        return [s.user for s in self.sent]


def inbound(text: str, user: str, *, tz: str | None = None, admin: bool = False) -> Inbound:
    return Inbound(
        text=text,
        platform="slack",
        practice_ref=TEAM,
        user_ref=user,
        user_name=user.lower(),
        practice_name="Harbour Counselling",
        is_platform_admin=admin,
        timezone=tz,
    )


@dataclass
class Practice_:
    runtime: Runtime
    clock: FakeClock
    notifier: HistoryNotifier

    def join(self, user: str, tz: str | None = None, *, admin: bool = False) -> None:
        """First contact registers the practice and the member (what an adapter does)."""
        self.runtime.directory.identify(inbound("help", user, tz=tz, admin=admin))

    async def say(self, text: str, user: str, *, admin: bool = False) -> Reply:
        return await self.runtime.core.handle(inbound(text, user, admin=admin))

    async def tick_at(self, moment: datetime) -> list[str]:
        """Move the clock, tick, and return who got a DM in this tick."""
        self.clock.set(moment)
        before = len(self.notifier.sent)
        await tick(self.runtime, moment)
        return [s.user for s in self.notifier.sent[before:]]

    def practice(self) -> Practice:
        found = self.runtime.practices.find("slack", TEAM)
        assert found is not None
        return found


@pytest.fixture
def reviews(database_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[Practice_]:
    """A wired runtime with the fake clock, on SQLite and on PostgreSQL."""
    settings = Settings(
        DATABASE_URL=database_url,
        BOUNDARY_DATA_DIR=str(tmp_path),
        _env_file=None,  # type: ignore[call-arg]
    )
    runtime = build_runtime(settings, clock=clock)
    notifier = HistoryNotifier()
    runtime.notifiers["slack"] = notifier
    yield Practice_(runtime, clock, notifier)
    runtime.close()


def task_id(reply: Reply) -> str:
    """The task id from the DM's Done button (what a click sends back)."""
    done = next(action for action in reply.actions if action.label == "Done")
    return done.command.split()[-1]
