"""A local Bot Connector: records what the bot sends to Teams and answers like the real service.

Routes follow the Bot Connector REST API v3: send to a conversation, reply to an activity, update an
activity, create a conversation, read one member. `fail_next(status, times, retry_after)` makes the
next sends answer with an error (429 and friends) to exercise retries.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.teams.servers import ThreadedServer


@dataclass
class Sent:
    method: str
    conversation_id: str
    activity_id: str | None
    body: dict[str, Any]
    authorization: str | None

    @property
    def card(self) -> dict[str, Any] | None:
        for item in self.body.get("attachments") or []:
            if item.get("contentType") == "application/vnd.microsoft.card.adaptive":
                content: dict[str, Any] = item["content"]
                return content
        return None


@dataclass
class FakeConnector:
    sent: list[Sent] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    #: Teams user id -> member object returned by GET .../members/{id}
    roster: dict[str, dict[str, Any]] = field(default_factory=dict)
    _failures: list[tuple[int, str | None]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadedServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url + "/"

    def fail_next(self, status: int, times: int = 1, retry_after: str | None = None) -> None:
        with self._lock:
            self._failures.extend([(status, retry_after)] * times)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        return app

    def start(self) -> FakeConnector:
        self.server = ThreadedServer(self.app).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def _failure(self) -> web.Response | None:
        with self._lock:
            if not self._failures:
                return None
            status, retry_after = self._failures.pop(0)
            self.refused.append(status)
        headers = {"Retry-After": retry_after} if retry_after else {}
        return web.json_response(
            {"error": {"code": "Throttled", "message": "slow down"}}, status=status, headers=headers
        )

    async def _send(self, request: web.Request) -> web.Response:
        failure = self._failure()
        if failure is not None:
            return failure
        body = await request.json()
        new_id = f"msg-{next(self._ids)}"
        self.sent.append(
            Sent(
                "POST",
                request.match_info["conversation"],
                request.match_info.get("activity"),
                body,
                request.headers.get("Authorization"),
            )
        )
        return web.json_response({"id": new_id}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        body = await request.json()
        activity_id = request.match_info["activity"]
        self.sent.append(
            Sent(
                "PUT",
                request.match_info["conversation"],
                activity_id,
                body,
                request.headers.get("Authorization"),
            )
        )
        return web.json_response({"id": activity_id})

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.created.append(body)
        member = (body.get("members") or [{}])[0].get("id", "someone")
        return web.json_response({"id": f"a:personal-{member}", "serviceUrl": self.url}, status=201)

    async def _member(self, request: web.Request) -> web.Response:
        member = self.roster.get(request.match_info["member"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(member)
