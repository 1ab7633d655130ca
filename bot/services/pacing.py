"""Send pacing: stay under a platform's rate limits instead of bouncing off them.

Slack allows `chat.postMessage` about one message per second per channel and a few dozen per second
per workspace; Teams about 50 requests per second per tenant. A 429 costs a whole Retry-After
(seconds), so it is far cheaper to wait a few milliseconds before each send. The limiter is a
sliding window per key: at most `limit` sends in any `window` seconds. Time is injected (a monotonic
clock and a sleeper) so tests and benchmarks can drive it.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

Monotonic = Callable[[], float]
Sleeper = Callable[[float], Awaitable[None]]


@dataclass
class Window:
    """At most `limit` events in any `window` seconds for one key."""

    limit: int
    window: float
    events: deque[float] = field(default_factory=deque)

    def wait_for(self, now: float) -> float:
        while self.events and now - self.events[0] >= self.window:
            self.events.popleft()
        if len(self.events) < self.limit:
            return 0.0
        return self.events[0] + self.window - now


class Pacer:
    """Per-workspace and per-channel sliding windows; `acquire` waits until both have room.

    `margin` widens each window a little: the platform measures arrival, we measure departure.
    """

    def __init__(
        self,
        *,
        workspace_limit: int = 50,
        channel_limit: int = 1,
        window: float = 1.0,
        margin: float = 0.05,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleeper = asyncio.sleep,
    ) -> None:
        self.workspace_limit = workspace_limit
        self.channel_limit = channel_limit
        self.window = window * (1 + margin)
        self.monotonic = monotonic
        self.sleep = sleep
        self._workspaces: dict[str, Window] = {}
        self._channels: dict[tuple[str, str], Window] = {}

    async def acquire(self, workspace: str, channel: str) -> None:
        ws = self._workspaces.setdefault(workspace, Window(self.workspace_limit, self.window))
        ch = self._channels.setdefault((workspace, channel), Window(self.channel_limit, self.window))
        while True:
            now = self.monotonic()
            delay = max(ws.wait_for(now), ch.wait_for(now))
            if delay <= 0:
                ws.events.append(now)
                ch.events.append(now)
                return
            await self.sleep(delay)

    def forget_idle(self) -> None:
        """Drop per-channel windows with nothing in them (memory stays flat across ticks)."""
        now = self.monotonic()
        for key in [k for k, w in self._channels.items() if w.wait_for(now) == 0 and not w.events]:
            del self._channels[key]
