"""`SlackNotifier`: the core's `Notifier` port over the Slack Web API.

Used for what is not an answer to a request: review nudges, consultation posts, confirmations.
It picks the workspace's bot token per practice (the single token, or the encrypted installation
in OAuth mode), so `boundary-bot reviews run-due` can send without the web server running.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.clients import web_client
from adapters.slack.delivery import METADATA_EVENT, open_direct, send_channel, send_direct
from bot.messages import Reply
from bot.ports import SentMessage
from bot.records import Member, Practice

if TYPE_CHECKING:
    from adapters.runtime import Runtime

log = logging.getLogger(__name__)

ClientFor = Callable[[str], Awaitable[AsyncWebClient]]


class SlackNotConnected(RuntimeError):
    """No bot token for this workspace (the app was never installed there, or was uninstalled)."""


class SlackNotifier:
    def __init__(self, client_for: ClientFor) -> None:
        self._client_for = client_for
        # A DM channel between the app and a person never changes: open it once per process, since
        # `conversations.open` is rate-limited far tighter (Tier 3) than posting.
        self._dm_channels: dict[tuple[str, str], str] = {}

    async def _dm_channel(self, client: AsyncWebClient, practice: Practice, member: Member) -> str:
        key = (practice.external_id, member.external_id)
        channel = self._dm_channels.get(key)
        if channel is None:
            channel = self._dm_channels[key] = await open_direct(client, member.external_id)
        return channel

    async def send_direct(
        self, practice: Practice, member: Member, reply: Reply, *, metadata: dict[str, str] | None = None
    ) -> SentMessage:
        client = await self._client_for(practice.external_id)
        channel = await self._dm_channel(client, practice, member)
        return SentMessage(
            await send_direct(client, member.external_id, reply, metadata=metadata, channel=channel)
        )

    async def send_channel(
        self, practice: Practice, channel: str, reply: Reply, *, thread: str | None = None
    ) -> SentMessage:
        client = await self._client_for(practice.external_id)
        return SentMessage(await send_channel(client, channel, reply, thread=thread))

    async def find_direct(self, practice: Practice, member: Member, metadata_key: str) -> SentMessage | None:
        """The newest DM we sent whose metadata payload names `metadata_key` (as a key or a value)."""
        client = await self._client_for(practice.external_id)
        channel = await self._dm_channel(client, practice, member)
        history = await client.conversations_history(channel=channel, include_all_metadata=True, limit=100)
        for message in history.get("messages") or []:
            meta: dict[str, Any] = message.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == METADATA_EVENT and (
                metadata_key in payload or metadata_key in payload.values()
            ):
                return SentMessage(str(message.get("ts")) if message.get("ts") else None)
        return None


def slack_notifier(runtime: Runtime) -> SlackNotifier | None:
    """The notifier for these settings, or None when Slack has no bot token to send with."""
    settings = runtime.settings
    if settings.slack_client_id and settings.slack_client_secret:
        from adapters.slack.app import installation_store

        store = installation_store(runtime)
        clients: dict[str, AsyncWebClient] = {}

        async def from_installation(team_id: str) -> AsyncWebClient:
            bot = await store.async_find_bot(enterprise_id=None, team_id=team_id)
            if bot is None:
                raise SlackNotConnected("Boundary is not installed in this Slack workspace")
            client = clients.get(bot.bot_token)
            if client is None:
                client = clients[bot.bot_token] = web_client(settings.slack_api_url, bot.bot_token)
            return client

        return SlackNotifier(from_installation)
    if settings.slack_bot_token:
        single = web_client(settings.slack_api_url, settings.slack_bot_token)

        async def the_token(_team_id: str) -> AsyncWebClient:
            return single

        return SlackNotifier(the_token)
    return None


def register_notifier(runtime: Runtime) -> None:
    """`runtime.notifiers["slack"]` when Slack can send; a missing secret key is reported, not fatal here.

    Commands that never touch Slack (console, ask) keep working; `serve` refuses to start instead.
    """
    from adapters.slack.app import SlackConfigError

    try:
        notifier = slack_notifier(runtime)
    except SlackConfigError as exc:
        log.warning("slack notifier not available", extra={"reason": str(exc)})
        return
    if notifier is not None:
        runtime.notifiers["slack"] = notifier
