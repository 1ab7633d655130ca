"""Who is speaking in Slack: a short cache of `users.info` (name, time zone, admin/owner flags).

Slack sends no admin flag with a command, so the first command of each person asks `users.info`
(Tier 4, 100+/min) and the answer is kept for a few minutes. When Slack cannot answer, the person
is treated as a non-admin: admin commands then refuse politely instead of failing.
"""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import Inbound

log = logging.getLogger(__name__)

#: `<@U123|name>` (escaped mentions in slash commands) becomes `<@U123>`, the core's form.
_MENTION = re.compile(r"<@([A-Z0-9]+)\|[^>]*>")


def normalise_text(text: str) -> str:
    if "<@" not in text:
        return text.strip()
    return _MENTION.sub(r"<@\1>", text).strip()


@dataclass(frozen=True)
class Person:
    name: str | None
    timezone: str | None
    is_admin: bool


UNKNOWN = Person(None, None, False)


class People:
    def __init__(self, ttl_seconds: float = 300.0, size: int = 10_000) -> None:
        self.ttl_seconds = ttl_seconds
        self.size = size
        self._cache: OrderedDict[tuple[str, str], tuple[float, Person]] = OrderedDict()

    async def lookup(self, client: AsyncWebClient, team_id: str, user_id: str) -> Person:
        key = (team_id, user_id)
        cached = self._cache.get(key)
        if cached and time.monotonic() - cached[0] < self.ttl_seconds:
            return cached[1]
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as exc:
            log.warning(
                "users.info failed; treating the person as a non-admin",
                extra={"error": exc.response.get("error")},
            )
            return UNKNOWN
        except Exception as exc:  # network trouble must not fail the command
            log.warning(
                "users.info unreachable; treating the person as a non-admin",
                extra={"error": type(exc).__name__},
            )
            return UNKNOWN
        person = to_person(response.get("user") or {})
        self._cache[key] = (time.monotonic(), person)
        self._cache.move_to_end(key)
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return person

    def forget(self, team_id: str, user_id: str) -> None:
        self._cache.pop((team_id, user_id), None)


def to_person(user: dict[str, Any]) -> Person:
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name") or user.get("real_name") or profile.get("real_name") or user.get("name")
    )
    admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
    return Person(name or None, user.get("tz") or None, admin)


async def make_inbound(
    people: People,
    client: AsyncWebClient,
    *,
    team_id: str,
    user_id: str,
    text: str = "",
    channel_id: str | None = None,
    team_name: str | None = None,
) -> Inbound:
    person = await people.lookup(client, team_id, user_id)
    return Inbound(
        text=normalise_text(text),
        platform="slack",
        practice_ref=team_id,
        user_ref=user_id,
        user_name=person.name,
        practice_name=team_name,
        channel_ref=channel_id,
        is_platform_admin=person.is_admin,
        timezone=person.timezone,
    )
