"""Parses `/boundary ...` text into a command and dispatches it to the handler registered for it.

"/Boundary  Friend-Request", "boundary friend-request" and "friend-request" all reach the same
handler. Commands are registered explicitly (`router.command("admin add", ...)`), longest name
first wins, and anything that is no command goes to the fallback (the script lookup), which never
errors: it answers with the closest situations.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.messages import Inbound, Reply, text_reply
from bot.records import Identity

log = logging.getLogger(__name__)

_PREFIX = re.compile(r"^\s*/?boundary\b[\s:,]*", re.IGNORECASE)


@dataclass(frozen=True)
class Request:
    """What a handler receives: the inbound message, the words after the command, and who asked."""

    inbound: Inbound
    command: str
    args: str
    identity: Identity | None


Handler = Callable[[Request], Awaitable[Reply]]
IdentityResolver = Callable[[Inbound], Identity | None]


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    summary: str
    usage: str
    admin: bool = False
    hidden: bool = False


def strip_prefix(text: str) -> str:
    """Remove a leading "/boundary" or "boundary" and fold white space."""
    return " ".join(_PREFIX.sub("", text, count=1).split())


class Router:
    def __init__(self, fallback: Handler, resolve_identity: IdentityResolver | None = None) -> None:
        self._commands: dict[str, Command] = {}
        self._fallback = fallback
        self._resolve_identity = resolve_identity
        # The same few lines arrive all day ("/boundary friend-request"): remember how each parsed.
        self._parsed: dict[str, tuple[Command | None, str]] = {}

    def command(
        self,
        name: str,
        handler: Handler,
        *,
        summary: str,
        usage: str | None = None,
        admin: bool = False,
        hidden: bool = False,
    ) -> None:
        key = " ".join(name.lower().split())
        if key in self._commands:
            raise ValueError(f"command {key!r} is registered twice")
        self._commands[key] = Command(key, handler, summary, usage or key, admin, hidden)
        self._parsed.clear()

    def commands(self, *, include_admin: bool = True) -> list[Command]:
        return [
            command
            for command in self._commands.values()
            if not command.hidden and (include_admin or not command.admin)
        ]

    def has(self, name: str) -> bool:
        """Whether a command of this name is registered (hidden ones too)."""
        return name in self._commands or " ".join(name.lower().split()) in self._commands

    def parse(self, text: str) -> tuple[Command | None, str]:
        """Split text into the longest registered command name and the rest."""
        parsed = self._parsed.get(text)
        if parsed is None:
            parsed = self._parse(text)
            if len(self._parsed) >= 4096:
                self._parsed.clear()
            self._parsed[text] = parsed
        return parsed

    def _parse(self, text: str) -> tuple[Command | None, str]:
        words = strip_prefix(text).split(" ")
        lowered = [word.lower() for word in words]
        for size in range(min(len(words), 4), 0, -1):
            name = " ".join(lowered[:size])
            if name in self._commands:
                return self._commands[name], " ".join(words[size:])
        return None, strip_prefix(text)

    def closest_commands(self, text: str, limit: int = 3, *, prefix: str = "") -> list[str]:
        """Command names that look like mistyped first words ("hlep me" -> "help").

        `prefix` narrows the search to one group ("admin " for `admin setings`).
        """
        words = strip_prefix(text).lower().split(" ")
        names = [c.name for c in self.commands() if c.name.startswith(prefix) and c.name != prefix.strip()]
        best: dict[str, float] = {}
        for size in (1, 2):  # "hlep me": the first word; "admin setings": the first two
            typed = prefix + " ".join(words[:size])
            for name, score, _index in process.extract(typed, names, scorer=fuzz.ratio, limit=limit):
                if score >= 75:
                    best[name] = max(best.get(name, 0.0), score)
        return sorted(best, key=lambda name: -best[name])[:limit]

    async def dispatch(self, inbound: Inbound) -> Reply:
        command, args = self.parse(inbound.text)
        identity = self._resolve_identity(inbound) if self._resolve_identity else None
        if command is None:
            return await self._fallback(Request(inbound, "", args, identity))
        if command.admin and not (identity and identity.is_admin):
            return text_reply(
                "Only practice admins can do that",
                "This command changes settings for the whole practice, so only practice admins can use it. "
                "Workspace owners and admins are practice admins, and an admin can add you with "
                "`/boundary admin add @you`. "
                "Everything else in Boundary is open to you: try `/boundary help`.",
                ok=False,
            )
        return await command.handler(Request(inbound, command.name, args, identity))
