"""Fixtures for the consultation tests: a recording notifier and a practice with a channel set."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from adapters.runtime import Runtime
from bot.messages import Inbound, Reply
from bot.ports import SentMessage
from bot.records import Member, Practice
from bot.services.consultation import ConsultationService

TEAM = "T0CONSULT"
CHANNEL = "C0CONSULT"


@dataclass
class Post:
    channel: str
    reply: Reply
    thread: str | None
    message_id: str


@dataclass
class Direct:
    member: Member
    reply: Reply


@dataclass
class RecordingNotifier:
    """A notifier that keeps what it was asked to send, like a chat tool's history would."""

    posts: list[Post] = field(default_factory=list)
    directs: list[Direct] = field(default_factory=list)
    fail_channel: bool = False

    async def send_direct(
        self, practice: Practice, member: Member, reply: Reply, *, metadata: dict[str, str] | None = None
    ) -> SentMessage:
        self.directs.append(Direct(member, reply))
        return SentMessage(f"D{len(self.directs)}")

    async def send_channel(
        self, practice: Practice, channel: str, reply: Reply, *, thread: str | None = None
    ) -> SentMessage:
        if self.fail_channel:
            raise ConnectionError("channel unavailable")
        message_id = f"1700000000.{len(self.posts) + 1:06d}"
        self.posts.append(Post(channel, reply, thread, message_id))
        return SentMessage(message_id)

    async def find_direct(self, practice: Practice, member: Member, metadata_key: str) -> SentMessage | None:
        return None

    def roots(self) -> list[Post]:
        return [post for post in self.posts if post.thread is None]

    def in_thread(self, thread: str) -> list[Post]:
        return [post for post in self.posts if post.thread == thread]

    def directs_to(self, external_id: str) -> list[Reply]:
        return [d.reply for d in self.directs if d.member.external_id == external_id]


def inbound(text: str, user: str = "U0ASKER", *, admin: bool = False, name: str | None = None) -> Inbound:
    return Inbound(
        text=text,
        platform="slack",
        practice_ref=TEAM,
        user_ref=user,
        user_name=name or user.lower(),
        practice_name="Riverside Group Practice",
        is_platform_admin=admin,
    )


def clean_values(**changes: str) -> dict[str, str]:
    values = {
        "situation": "friend-request",
        "platform": "facebook",
        "client_status": "current",
        "text": "A current client sent me a friend request on Facebook last night.",
        "question": "Should I ignore it or raise it in our next session?",
        "urgent": "false",
        "anonymous": "false",
    }
    values.update(changes)
    return values


def text_of(reply: Reply) -> str:
    """Everything a person reads in a reply, for assertions on wording."""
    parts = [reply.title, *(s.heading or "" for s in reply.sections), *(s.body for s in reply.sections)]
    parts += [a.label for a in reply.actions] + [reply.footer or ""]
    return "\n".join(parts)


@pytest.fixture
def notifier(runtime: Runtime) -> RecordingNotifier:
    recording = RecordingNotifier()
    runtime.notifiers["slack"] = recording
    return recording


@pytest.fixture
def service(runtime: Runtime) -> ConsultationService:
    found = runtime.extras["consultations"]
    assert isinstance(found, ConsultationService)
    return found


@pytest.fixture
async def channel_set(runtime: Runtime, notifier: RecordingNotifier) -> Practice:
    """The practice exists and an admin has pointed consultations at #consult."""
    reply = await runtime.core.handle(
        inbound(f"/boundary admin consult-channel <#{CHANNEL}|consult>", "U0ADMIN", admin=True)
    )
    assert reply.ok
    practice = runtime.practices.find("slack", TEAM)
    assert practice is not None and practice.consult_channel == CHANNEL
    return practice


async def submit(runtime: Runtime, values: Mapping[str, str], user: str = "U0ASKER") -> Reply:
    return await runtime.core.submit(inbound("", user), "consult", values)
