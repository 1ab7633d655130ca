"""Slack on the shared aiohttp app: /slack/events, and /slack/install + /slack/oauth_redirect in OAuth mode.

Two plain converters (Bolt's `to_bolt_request` / `to_aiohttp_response`) and Bolt's dispatcher do
the work; Bolt verifies every signature and timestamp and answers 401 itself. Socket Mode connects
on start-up and disconnects on clean-up, on the same event loop.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

from adapters.slack.app import SlackApp, build_slack_app

if TYPE_CHECKING:
    from adapters.runtime import Runtime

log = logging.getLogger(__name__)

SLACK_APP = web.AppKey("slack_app", SlackApp)


def _unavailable(message: str, status: int = 503) -> web.Response:
    return web.json_response({"error": message}, status=status)


def mount(app: web.Application, runtime: Runtime, slack: SlackApp | None = None) -> SlackApp | None:
    """Add the Slack routes; without Slack settings they answer 503 saying so."""
    slack = slack or build_slack_app(runtime)
    if slack is None:

        async def not_configured(_request: web.Request) -> web.Response:
            return _unavailable("Slack is not configured on this server (see docs/slack.md).")

        app.router.add_post("/slack/events", not_configured)
        return None

    app[SLACK_APP] = slack
    bolt = slack.bolt

    async def events(request: web.Request) -> web.Response:
        if not slack.serves_http:
            return _unavailable("Slack is connected through Socket Mode on this server.")
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app.router.add_post("/slack/events", events)

    async def install(request: web.Request) -> web.Response:
        flow = bolt.oauth_flow
        if flow is None:
            return _unavailable("Multi-workspace install is not enabled on this server.", 404)
        return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

    async def oauth_redirect(request: web.Request) -> web.Response:
        flow = bolt.oauth_flow
        if flow is None:
            return _unavailable("Multi-workspace install is not enabled on this server.", 404)
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    app.router.add_get("/slack/install", install)
    app.router.add_get("/slack/oauth_redirect", oauth_redirect)

    listeners = slack.listeners
    if listeners is not None:

        async def drain(_app: web.Application) -> None:
            await listeners.drain()

        app.on_shutdown.append(drain)

    if slack.socket is not None:
        socket = slack.socket

        async def connect(_app: web.Application) -> None:
            await socket.connect_async()
            log.info("slack socket mode connected")

        async def disconnect(_app: web.Application) -> None:
            await socket.close_async()

        app.on_startup.append(connect)
        app.on_cleanup.append(disconnect)
    return slack
