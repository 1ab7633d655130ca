"""The shared fake Slack Web API, made stricter for delivery tests: rate limits, faults, a DM history.

- `chat.postMessage` is limited per channel (1 per second) and per workspace (50 per second), as
  sliding windows; beyond them it answers 429 with Retry-After, like Slack.
- `fault_rate` makes a share of `chat.postMessage` calls fail before posting (half 429, half 500).
- `delay` slows every post, and posts are then handled one at a time (so a test can kill a sender
  mid-run).
- Posted messages are kept per channel with their metadata, and `conversations.history` returns
  them, so a sender can check whether a message went out before it crashed.
A workspace is told apart by its bot token (`xoxb-<team>`), as Slack does.

`python -m tests.reviews.limited_slack` runs it as its own process (the benchmark does, so the
fake's CPU is not counted against the sender); it prints its API URL, and `GET <api>/_stats` reports.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter, defaultdict, deque
from typing import Any

from aiohttp import web

from tests.slack.fake_slack import Call, FakeSlack


class Window:
    def __init__(self, limit: int, seconds: float = 1.0) -> None:
        self.limit = limit
        self.seconds = seconds
        self.events: deque[float] = deque()

    def admit(self, now: float) -> bool:
        while self.events and now - self.events[0] >= self.seconds:
            self.events.popleft()
        if len(self.events) >= self.limit:
            return False
        self.events.append(now)
        return True


class LimitedSlack(FakeSlack):
    def __init__(
        self,
        *,
        channel_limit: int | None = 1,
        workspace_limit: int | None = 50,
        fault_rate: float = 0.0,
        delay: float = 0.0,
        seed: int = 7,
    ) -> None:
        super().__init__()
        self.channel_limit = channel_limit
        self.workspace_limit = workspace_limit
        self.fault_rate = fault_rate
        self.delay = delay
        self.random = random.Random(seed)
        self.posted: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.rejected: dict[int, int] = defaultdict(int)
        #: Wall-clock times (comparable across processes) of the first and last accepted post.
        self.first_post: float | None = None
        self.last_post: float | None = None
        self._channels: dict[str, Window] = {}
        self._workspaces: dict[str, Window] = {}
        self._one_at_a_time = asyncio.Lock()

    def posts_per_channel(self) -> dict[str, int]:
        return {channel: len(messages) for channel, messages in self.posted.items()}

    def total_posted(self) -> int:
        return sum(len(messages) for messages in self.posted.values())

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "_stats":
            return await self.stats(request)
        if request.match_info["method"] != "chat.postMessage":
            return await super()._api(request)
        call = await self._record(request, "chat.postMessage")
        if self.delay:
            async with self._one_at_a_time:
                await asyncio.sleep(self.delay)
                return self._post(call)
        return self._post(call)

    def _post(self, call: Call) -> web.Response:
        if self.fault_rate and self.random.random() < self.fault_rate:
            status = 429 if self.random.random() < 0.5 else 500
            self.rejected[status] += 1
            if status == 429:
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
                )
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        now = time.time()
        channel = str(call.args.get("channel"))
        workspace = call.token or "?"
        fits = True
        if self.workspace_limit:
            fits = self._workspaces.setdefault(workspace, Window(self.workspace_limit)).admit(now)
        if fits and self.channel_limit:
            fits = self._channels.setdefault(channel, Window(self.channel_limit)).admit(now)
        if not fits:
            self.rejected[429] += 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        ts = f"{time.time():.6f}"
        self.posted[channel].append({"ts": ts, "metadata": call.args.get("metadata"), "type": "message"})
        self.first_post = self.first_post or now
        self.last_post = now
        return web.json_response({"ok": True, "channel": channel, "ts": ts})

    async def stats(self, _request: web.Request) -> web.Response:
        per_channel = self.posts_per_channel()
        return web.json_response(
            {
                "channels": len(per_channel),
                "posted": sum(per_channel.values()),
                "doubled": sum(1 for count in per_channel.values() if count > 1),
                "rejected": dict(self.rejected),
                "first_post": self.first_post,
                "last_post": self.last_post,
                "calls": dict(Counter(call.method for call in self.calls)),
            }
        )

    def _builtin(self, method: str, call: Call) -> dict[str, Any]:
        if method == "conversations.history":
            channel = str(call.args.get("channel"))
            return {"ok": True, "messages": list(reversed(self.posted.get(channel, []))), "has_more": False}
        return super()._builtin(method, call)


async def serve_forever(channel_limit: int, workspace_limit: int) -> None:
    fake = await LimitedSlack(channel_limit=channel_limit, workspace_limit=workspace_limit).start()
    print(fake.api_url, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    import sys

    limits = [int(arg) for arg in sys.argv[1:3]] + [1, 50][len(sys.argv[1:3]) :]
    asyncio.run(serve_forever(limits[0], limits[1]))
