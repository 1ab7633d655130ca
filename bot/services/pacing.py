"""Send pacing: stay under a platform's rate limits instead of bouncing off them.

Slack allows `chat.postMessage` about one message per second per channel and a few dozen per second
per workspace; Teams about 50 requests per second per tenant. A 429 costs a whole Retry-After
(seconds), so it is far cheaper to wait a few milliseconds before each send.

The platform counts a message when it arrives, which is somewhere between the moment we start the
send and the moment it returns (a send may open a DM first, and latency varies). So a send holds its
slot from its start until one window after it finished: then no window of the platform's clock can
ever hold more than `limit` of our messages, whatever the latency. Time is injected (a monotonic
clock and a sleeper) so tests and benchmarks can drive it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

Monotonic = Callable[[], float]
Sleeper = Callable[[float], Awaitable[None]]


@dataclass
class Slot:
    started: float
    finished: float | None = None


@dataclass
class Window:
    """At most `limit` sends whose slot is held (in flight, or finished less than `window` ago).

    Waiters queue on `turn`, so only the first in line looks at the clock; it sleeps until a slot
    frees up (or, when every slot is in flight, until one finishes) instead of polling.
    """

    limit: int
    window: float
    slots: list[Slot] = field(default_factory=list)
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    freed: asyncio.Event = field(default_factory=asyncio.Event)

    def wait_for(self, now: float) -> float | None:
        """Seconds to wait for room; None: wait until a send in flight finishes."""
        self.slots = [s for s in self.slots if s.finished is None or now < s.finished + self.window]
        if len(self.slots) < self.limit:
            return 0.0
        ends = [s.finished + self.window - now for s in self.slots if s.finished is not None]
        return min(ends) if ends else None

    def idle(self, now: float) -> bool:
        return not self.turn.locked() and self.wait_for(now) == 0 and not self.slots


class Pacer:
    """Per-workspace and per-channel windows; `slot` waits until both have room."""

    def __init__(
        self,
        *,
        workspace_limit: int = 50,
        channel_limit: int = 1,
        window: float = 1.0,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleeper = asyncio.sleep,
    ) -> None:
        self.workspace_limit = workspace_limit
        self.channel_limit = channel_limit
        self.window = window
        self.monotonic = monotonic
        self.sleep = sleep
        self._workspaces: dict[str, Window] = {}
        self._channels: dict[tuple[str, str], Window] = {}

    async def _room(self, window: Window) -> None:
        while True:
            window.freed.clear()  # before looking, so a finish after the look still wakes us
            delay = window.wait_for(self.monotonic())
            if delay == 0:
                return
            if delay is None:
                await window.freed.wait()
            else:
                await self.sleep(delay)

    @asynccontextmanager
    async def slot(self, workspace: str, channel: str) -> AsyncIterator[None]:
        ws = self._workspaces.setdefault(workspace, Window(self.workspace_limit, self.window))
        ch = self._channels.setdefault((workspace, channel), Window(self.channel_limit, self.window))
        async with ch.turn:
            await self._room(ch)
            async with ws.turn:
                await self._room(ws)
                held = Slot(self.monotonic())
                ws.slots.append(held)
                ch.slots.append(held)
        try:
            yield
        finally:
            held.finished = self.monotonic()
            ws.freed.set()
            ch.freed.set()

    def forget_idle(self) -> None:
        """Drop windows with nothing held or waiting (memory stays flat across ticks)."""
        now = self.monotonic()
        for key in [k for k, w in self._channels.items() if w.idle(now)]:
            del self._channels[key]
        for name in [k for k, w in self._workspaces.items() if w.idle(now)]:
            del self._workspaces[name]
