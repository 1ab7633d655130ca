"""Teams on the shared aiohttp app: `POST /api/messages`.

A plain converter in the style of Bolt's aiohttp adapter: read and check the HTTP request, hand the
activity and its `Authorization` header to the CloudAdapter (which validates the JWT), and turn the
result into a response. Malformed requests get 4xx, failed authentication 401, and a server without
a usable Teams configuration 503 with the reason.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.schema import Activity

from adapters.teams.app import teams_app

if TYPE_CHECKING:
    from adapters.runtime import Runtime

log = logging.getLogger(__name__)


def _error(message: str, status: int) -> web.Response:
    return web.json_response({"error": message}, status=status)


def mount(app: web.Application, runtime: Runtime) -> None:
    teams = teams_app(runtime)
    problem = teams.problem()
    settings = runtime.settings
    if problem and (settings.microsoft_app_id or settings.teams_dev):
        log.error("Teams is switched off: %s", problem)
    elif problem:
        log.info("Teams is not configured; /api/messages answers 503")
    elif not settings.microsoft_app_id:
        log.warning(
            "BOUNDARY_TEAMS_DEV=1: Teams requests are NOT authenticated "
            "(local Bot Framework Emulator use only)"
        )

    async def messages(request: web.Request) -> web.Response:
        if problem:
            return _error(problem, 503)
        if request.content_type != "application/json":
            return _error("Expected a Bot Framework activity as application/json.", 415)
        try:
            body = json.loads(await request.text())
        except (ValueError, UnicodeDecodeError):
            return _error("The request body is not valid JSON.", 400)
        if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
            return _error("The request body is not a Bot Framework activity (no type).", 400)
        try:
            activity = Activity().deserialize(body)
        except Exception:
            return _error("The request body is not a Bot Framework activity.", 400)
        # Authenticate first, explicitly: the SDK reads only None (not "") as "no token" (local Emulator
        # mode), and `process_activity` would take None for an already authenticated result.
        auth_header = request.headers.get("Authorization") or None
        adapter = teams.adapter
        try:
            authenticated = await adapter.bot_framework_authentication.authenticate_request(
                activity, auth_header
            )
        except PermissionError as exc:
            log.info("teams request refused: %s", exc)
            return _error("Unauthorized: the Bot Framework token is missing or not valid for this bot.", 401)
        invoke = await adapter.process_activity(authenticated, activity, teams.bot.on_turn)
        if invoke:
            return web.json_response(serializer_helper(invoke.body), status=invoke.status)
        return web.Response(status=201)

    app.router.add_post("/api/messages", messages)
