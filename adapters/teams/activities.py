"""Reading a Teams activity: who is speaking, where, and what they asked for.

Converters only, no decisions: the result is the core's `Inbound` (or a platform event). A Teams
practice is the tenant (the team's name names it on first contact); a member is the person's
Microsoft Entra (AAD) object id, which is the same in every team and chat of the tenant.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity, ChannelAccount

from bot.messages import Inbound, MemberDeparted, MemberJoined, ThreadReply

PLATFORM = "teams"
PERSONAL = "personal"
CHANNEL = "channel"
GROUP_CHAT = "groupChat"

_TAG = re.compile(r"<[^>]+>")
_THREAD = re.compile(r";messageid=(\d+)$")


def channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    if isinstance(data, dict):
        return data
    serialize = getattr(data, "serialize", None)
    return serialize() if callable(serialize) else {}


def tenant_id(activity: Activity) -> str | None:
    tenant = channel_data(activity).get("tenant") or {}
    found = tenant.get("id") if isinstance(tenant, dict) else None
    if not found and activity.conversation is not None:
        found = activity.conversation.tenant_id
    if not found and activity.channel_id == "emulator":
        # The Bot Framework Emulator (local dev mode only) has no tenant: one local practice.
        found = "emulator"
    return str(found) if found else None


def team_name(activity: Activity) -> str | None:
    team = channel_data(activity).get("team") or {}
    name = team.get("name") if isinstance(team, dict) else None
    return str(name) if name else None


def team_id(activity: Activity) -> str | None:
    team = channel_data(activity).get("team") or {}
    found = team.get("id") if isinstance(team, dict) else None
    return str(found) if found else None


def conversation_type(activity: Activity) -> str:
    conversation = activity.conversation
    kind = conversation.conversation_type if conversation is not None else None
    if kind:
        return str(kind)
    return CHANNEL if team_id(activity) else PERSONAL


def user_ref(account: ChannelAccount | None) -> str | None:
    """The member id: the AAD object id, or the Teams user id where Teams gives no AAD id (Emulator)."""
    if account is None:
        return None
    found = account.aad_object_id or account.id
    return str(found) if found else None


def thread_root(conversation_id: str | None) -> tuple[str, str] | None:
    """`19:abc@thread.tacv2;messageid=123` -> ("19:abc@thread.tacv2", "123"); None outside a thread."""
    if not conversation_id:
        return None
    found = _THREAD.search(conversation_id)
    if not found:
        return None
    return conversation_id[: found.start()], found.group(1)


@dataclass(frozen=True)
class Mention:
    id: str
    name: str
    text: str
    aad_object_id: str | None


def mentions(activity: Activity) -> list[Mention]:
    found: list[Mention] = []
    for entity in activity.entities or []:
        data = _entity_data(entity)
        if data.get("type") != "mention":
            continue
        mentioned = data.get("mentioned") or {}
        if not isinstance(mentioned, dict) or not mentioned.get("id"):
            continue
        found.append(
            Mention(
                id=str(mentioned["id"]),
                name=str(mentioned.get("name") or ""),
                text=str(data.get("text") or ""),
                aad_object_id=mentioned.get("aadObjectId"),
            )
        )
    return found


def _entity_data(entity: Any) -> dict[str, Any]:
    """An entity's fields; the SDK keeps those it has no model for (`mentioned`, `text`) aside."""
    if isinstance(entity, dict):
        return entity
    data: dict[str, Any] = dict(getattr(entity, "additional_properties", None) or {})
    data["type"] = getattr(entity, "type", None)
    return data


def mentions_bot(activity: Activity) -> bool:
    bot_id = activity.recipient.id if activity.recipient else None
    return any(mention.id == bot_id for mention in mentions(activity))


def command_text(activity: Activity, people: dict[str, str] | None = None) -> str:
    """The words a person typed, with the bot's @mention removed and other mentions as `<@id|name>`.

    `people` maps a mentioned Teams user id to their member id (AAD object id), looked up by the
    caller; the core's admin commands read mentions in that normalised form.
    """
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for mention in mentions(activity):
        if not mention.text:
            continue
        if mention.id == bot_id:
            text = text.replace(mention.text, " ")
        else:
            member = (people or {}).get(mention.id) or mention.aad_object_id or mention.id
            text = text.replace(mention.text, f"<@{member}|{_plain(mention.name)}>")
    # Teams sends channel text as HTML; keep our `<@...>` tokens, drop other tags and entities.
    text = re.sub(r"<(?!@)[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def _plain(name: str) -> str:
    return " ".join(_TAG.sub(" ", html.unescape(name)).replace("|", " ").replace(">", " ").split())


def to_inbound(activity: Activity, text: str) -> Inbound | None:
    """The core's view of a message; None when Teams did not say who or which tenant (malformed)."""
    tenant = tenant_id(activity)
    user = user_ref(activity.from_property)
    if not tenant or not user:
        return None
    conversation = activity.conversation.id if activity.conversation else None
    return Inbound(
        text=text,
        platform=PLATFORM,
        practice_ref=tenant,
        user_ref=user,
        user_name=activity.from_property.name or None,
        practice_name=team_name(activity),
        channel_ref=conversation,
        # Team owners are not knowable from the Bot Framework APIs (it needs Microsoft Graph), so
        # Teams admins are the members made admins with `/boundary admin add` (and the installer).
        is_platform_admin=False,
        timezone=activity.local_timezone or None,
    )


def members_joined(activity: Activity) -> list[MemberJoined]:
    tenant = tenant_id(activity)
    bot_id = activity.recipient.id if activity.recipient else None
    if not tenant:
        return []
    return [
        MemberJoined(PLATFORM, tenant, ref, member.name or None, None)
        for member in activity.members_added or []
        if member.id != bot_id and (ref := user_ref(member))
    ]


def members_departed(activity: Activity) -> list[MemberDeparted]:
    tenant = tenant_id(activity)
    bot_id = activity.recipient.id if activity.recipient else None
    if not tenant:
        return []
    return [
        MemberDeparted(PLATFORM, tenant, ref)
        for member in activity.members_removed or []
        if member.id != bot_id and (ref := user_ref(member))
    ]


def thread_reply(activity: Activity) -> ThreadReply | None:
    """A person's reply in a channel thread (conversation id `...;messageid=<root>`)."""
    tenant = tenant_id(activity)
    user = user_ref(activity.from_property)
    root = thread_root(activity.conversation.id if activity.conversation else None)
    if conversation_type(activity) != CHANNEL or not tenant or not user or root is None:
        return None
    if activity.from_property is not None and activity.from_property.role == "bot":
        return None
    channel, thread = root
    return ThreadReply(PLATFORM, tenant, channel, thread, user)
