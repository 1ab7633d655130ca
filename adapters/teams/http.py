"""Teams on the shared aiohttp app: `POST /api/messages` (filled in by the Teams work).

Until Teams is configured the route answers 503 with a message saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from adapters.runtime import Runtime


def mount(app: web.Application, runtime: Runtime) -> None:
    async def not_configured(_request: web.Request) -> web.Response:
        return web.json_response(
            {"error": "Microsoft Teams is not configured on this server (MICROSOFT_APP_ID is empty)."}, status=503
        )

    app.router.add_post("/api/messages", not_configured)
