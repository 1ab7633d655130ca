"""The console's proactive sender: channel posts and direct messages printed to the terminal.

With it the whole consultation flow works in `boundary-bot console`: the thread root appears as
`[#consultations] ...`, a post in its thread as `[#consultations, thread C-2026-0001] ...`, and a direct
message as `[to you] ...`. Message ids are sequential, so a thread can be named by its root's id.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from adapters.console.render import render
from bot.messages import Reply
from bot.ports import SentMessage
from bot.records import Member, Practice


class ConsoleNotifier:
    def __init__(self, write: Callable[[str], None] = print) -> None:
        self.write = write
        self._ids = itertools.count(1)
        #: Root message id -> its title, so thread posts can say which thread they belong to.
        self._roots: dict[str, str] = {}

    async def send_direct(
        self, practice: Practice, member: Member, reply: Reply, *, metadata: dict[str, str] | None = None
    ) -> SentMessage:
        who = member.display_name or member.external_id
        self.write(f"\n[direct message to {who}]\n{render(reply)}")
        return SentMessage(self._next())

    async def send_channel(
        self, practice: Practice, channel: str, reply: Reply, *, thread: str | None = None
    ) -> SentMessage:
        message_id = self._next()
        name = channel.lstrip("#")
        if thread is None:
            self._roots[message_id] = reply.title
            self.write(f"\n[#{name}]\n{render(reply)}")
        else:
            root = self._roots.get(thread, f"message {thread}")
            self.write(f"\n[#{name}, thread: {root}]\n{render(reply)}")
        return SentMessage(message_id)

    async def find_direct(self, practice: Practice, member: Member, metadata_key: str) -> SentMessage | None:
        return None  # a terminal keeps no history to search

    def _next(self) -> str:
        return f"console-{next(self._ids)}"
