"""Posting to Slack outside a request: direct messages and channel posts.

Shared by the listeners ("Send me a copy", form confirmations) and the `SlackNotifier`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import message_payload
from bot.messages import Delivery, Reply

METADATA_EVENT = "boundary_delivery"


def without_copy_button(reply: Reply) -> Reply:
    """A copy already sits in the DM, so "Send me a copy" would only send it again."""
    return replace(reply, actions=tuple(a for a in reply.actions if a.delivery is not Delivery.DM))


async def open_direct(client: AsyncWebClient, user_id: str) -> str:
    opened = await client.conversations_open(users=user_id)
    return str(opened["channel"]["id"])


async def send_direct(
    client: AsyncWebClient,
    user_id: str,
    reply: Reply,
    *,
    metadata: dict[str, str] | None = None,
    channel: str | None = None,
) -> str | None:
    """Post `reply` in the person's DM with the app (opened unless `channel` is known); returns the ts."""
    channel = channel or await open_direct(client, user_id)
    extra: dict[str, Any] = {}
    if metadata:
        extra["metadata"] = {"event_type": METADATA_EVENT, "event_payload": metadata}
    posted = await client.chat_postMessage(
        channel=channel, **message_payload(without_copy_button(reply)), **extra
    )
    ts = posted.get("ts")
    return str(ts) if ts else None


async def send_channel(
    client: AsyncWebClient, channel: str, reply: Reply, *, thread: str | None = None
) -> str | None:
    posted = await client.chat_postMessage(channel=channel, thread_ts=thread, **message_payload(reply))
    ts = posted.get("ts")
    return str(ts) if ts else None
