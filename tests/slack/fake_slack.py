"""A local fake of the Slack Web API (aiohttp on 127.0.0.1, an ephemeral port) that records calls.

Point `SLACK_API_URL` at `fake.api_url`. Any method answers: a programmed answer first (`program`,
used once or a given number of times: a 429 with Retry-After, an error), then a per-method default
(`answer`), then a built-in sensible answer for common methods, then `{"ok": true}`. Response URLs
(`fake.response_url()`) are served too and recorded as method `response_url`.

Reusable by every feature's wire tests: nothing here knows about Boundary.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    at: float
    path: str = ""

    @property
    def token(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else self.args.get("token")


@dataclass
class Programmed:
    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1  # None: every time


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.team_id = "T0FAKE"
        self.bot_user_id = "UBOT"
        self._programmed: dict[str, list[Programmed]] = {}
        self._defaults: dict[str, dict[str, Any]] = {}
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()
        self.base_url = ""

    # -- lifecycle ---------------------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base_url}/response/{name}"

    # -- programming -------------------------------------------------------------------------------

    def program(
        self,
        method: str,
        body: dict[str, Any],
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer `method` with this, `times` times (None: always), before the defaults."""
        self._programmed.setdefault(method, []).append(Programmed(body, status, headers or {}, times))

    def answer(self, method: str, body: dict[str, Any]) -> None:
        """The default answer for `method` from now on."""
        self._defaults[method] = body

    # -- inspection --------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until `method` was called `count` times (lazy listeners run after the ack)."""

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.calls_to(method)) >= count)

        await asyncio.wait_for(enough(), timeout)
        return self.calls_to(method)

    # -- serving -----------------------------------------------------------------------------------

    async def _record(self, request: web.Request, method: str) -> Call:
        raw = await request.text()
        args: dict[str, Any] = dict(request.query)
        if raw:
            if request.content_type == "application/json":
                args.update(json.loads(raw))
            else:
                args.update(dict(parse_qsl(raw, keep_blank_values=True)))
        for key in ("blocks", "view", "metadata"):
            if isinstance(args.get(key), str):
                with contextlib.suppress(ValueError):
                    args[key] = json.loads(args[key])
        call = Call(method, args, dict(request.headers), time.monotonic(), request.path)
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return call

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = await self._record(request, method)
        queue = self._programmed.get(method) or []
        if queue:
            programmed = queue[0]
            if programmed.times is not None:
                programmed.times -= 1
                if programmed.times <= 0:
                    queue.pop(0)
            return web.json_response(programmed.body, status=programmed.status, headers=programmed.headers)
        if method in self._defaults:
            return web.json_response(self._defaults[method])
        return web.json_response(self._builtin(method, call))

    async def _response_url(self, request: web.Request) -> web.Response:
        await self._record(request, "response_url")
        return web.Response(text="ok")

    def _builtin(self, method: str, call: Call) -> dict[str, Any]:
        args = call.args
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.com/",
                "team": "Fake Practice",
                "team_id": self.team_id,
                "user_id": self.bot_user_id,
                "bot_id": "BFAKE",
                "user": "boundary",
            }
        if method == "users.info":
            user_id = str(args.get("user"))
            user = {"id": user_id, "name": user_id.lower(), "real_name": f"Clinician {user_id}", "tz": "UTC"}
            user.update(self.users.get(user_id, {}))
            return {"ok": True, "user": user}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "X"))}}
        if method in {"chat.postMessage", "chat.postEphemeral"}:
            return {"ok": True, "channel": args.get("channel"), "ts": f"1700000000.{next(self._ts):06d}"}
        if method.startswith("views."):
            view = args.get("view") if isinstance(args.get("view"), dict) else {}
            return {"ok": True, "view": {"id": "VFAKE", "hash": "h1", **view}}
        if method == "conversations.history":
            return {"ok": True, "messages": [], "has_more": False}
        if method == "oauth.v2.access":
            return {
                "ok": True,
                "app_id": "AFAKE",
                "authed_user": {"id": "UINSTALLER"},
                "scope": "commands,chat:write",
                "token_type": "bot",
                "access_token": "xoxb-installed-token",
                "bot_user_id": self.bot_user_id,
                "team": {"id": self.team_id, "name": "Fake Practice"},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        return {"ok": True}


async def settle(fake: FakeSlack, quiet: float = 0.3, timeout: float = 5.0) -> None:
    """Wait until no call came for `quiet` seconds (before asserting that something did NOT happen)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = len(fake.calls)
        await asyncio.sleep(quiet)
        if len(fake.calls) == count:
            return
