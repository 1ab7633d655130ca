"""Proactive Teams messages: a member's 1:1 chat or a channel, through stored conversation references.

Bot Framework rate-limits every bot API (about 50 requests a second per app and tenant) and the
connector does not retry for us, so 429, 412, 502 and 504 are retried here with exponential backoff
and full jitter, honouring `Retry-After` when Teams sends one.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, TypeVar

from botbuilder.core import TurnContext
from botbuilder.schema import ConversationAccount, ConversationReference

from adapters.teams.bot import reply_activity
from bot.messages import Reply
from bot.ports import SentMessage
from bot.records import Member, Practice

if TYPE_CHECKING:
    from botbuilder.core import CloudAdapterBase

    from storage.repositories.teams import SqlConversationRefs

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 412, 502, 504})
T = TypeVar("T")


class NoConversation(LookupError):
    """Boundary has never talked with this person in Teams, so Teams will not let it write first."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_seconds: float = 0.5
    max_seconds: float = 30.0

    def delay(self, attempt: int, retry_after: float | None, rand: Callable[[float, float], float]) -> float:
        """Full jitter over an exponentially growing ceiling, never sooner than Retry-After."""
        ceiling = min(self.max_seconds, self.base_seconds * (2**attempt))
        jittered = rand(0.0, ceiling)
        return min(self.max_seconds, max(jittered, retry_after or 0.0))


def status_of(error: BaseException) -> int | None:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return int(status) if isinstance(status, int) else None


def retry_after(error: BaseException) -> float | None:
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from datetime import UTC, datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


async def with_retries(
    send: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    rand: Callable[[float, float], float] = random.uniform,
) -> T:
    for attempt in range(policy.attempts):
        try:
            return await send()
        except Exception as error:
            status = status_of(error)
            if status not in RETRY_STATUSES or attempt == policy.attempts - 1:
                raise
            delay = policy.delay(attempt, retry_after(error), rand)
            log.info("teams send got %s; retrying in %.2fs (attempt %d)", status, delay, attempt + 2)
            await sleep(delay)
    raise AssertionError("unreachable")


class TeamsNotifier:
    """`bot.ports.Notifier` for Teams."""

    def __init__(
        self,
        adapter: Callable[[], CloudAdapterBase],
        references: SqlConversationRefs,
        app_id: str,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rand: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self._adapter = adapter
        self.references = references
        self.app_id = app_id
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._rand = rand

    async def send_direct(
        self, practice: Practice, member: Member, reply: Reply, *, metadata: dict[str, str] | None = None
    ) -> SentMessage:
        stored = self.references.get(practice.id, member.id)
        if stored is None:
            raise NoConversation(f"no Teams conversation with member {member.id} of practice {practice.id}")
        return await self._send(ConversationReference().deserialize(stored.reference), reply)

    async def send_channel(
        self, practice: Practice, channel: str, reply: Reply, *, thread: str | None = None
    ) -> SentMessage:
        """Post in a channel; with `thread` (the root message id) as a reply in that thread.

        The channel's service URL is the tenant's, taken from any reference stored for the practice.
        """
        known = self.references.list_for_practice(practice.id)
        if not known:
            raise NoConversation(f"no Teams conversation stored for practice {practice.id}")
        base = ConversationReference().deserialize(max(known, key=lambda ref: ref.updated_at).reference)
        conversation_id = f"{channel};messageid={thread}" if thread else channel
        reference = ConversationReference(
            bot=base.bot,
            channel_id=base.channel_id,
            service_url=base.service_url,
            conversation=ConversationAccount(
                id=conversation_id,
                conversation_type="channel",
                is_group=True,
                tenant_id=base.conversation.tenant_id if base.conversation else practice.external_id,
            ),
        )
        return await self._send(reference, reply)

    async def find_direct(self, practice: Practice, member: Member, metadata_key: str) -> SentMessage | None:
        # Teams offers bots no search of their own sent messages.
        return None

    async def _send(self, reference: ConversationReference, reply: Reply) -> SentMessage:
        async def attempt() -> SentMessage:
            sent: list[str | None] = []

            async def callback(turn_context: TurnContext) -> None:
                response = await turn_context.send_activity(reply_activity(reply))
                sent.append(response.id if response else None)

            await self._adapter().continue_conversation(reference, callback, bot_app_id=self.app_id)
            return SentMessage(sent[0] if sent else None)

        return await with_retries(attempt, self.policy, sleep=self._sleep, rand=self._rand)
