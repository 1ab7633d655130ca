"""The one aiohttp application: Slack, Teams, health, readiness and Prometheus metrics.

Middlewares give every request an id (in every log line and the `X-Request-Id` header) and count it
by route name, never by raw path, so `/metrics` stays small whatever people probe. An unexpected
error becomes a plain 500 without a traceback in the response; malformed requests get a 4xx from
the handler that understands them (Bolt, the Bot Framework adapter).
"""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import itertools
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable

from aiohttp import web
from multidict import istr
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from adapters import logs
from adapters.metrics import ERRORS, HTTP, REGISTRY
from adapters.runtime import Runtime
from storage.database import readiness, upgrade

log = logging.getLogger(__name__)

RUNTIME = web.AppKey("runtime", Runtime)
MIGRATION: web.AppKey[asyncio.Task[None]] = web.AppKey("migration")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Request ids made here: a random tag per process and a counter, unique across replicas without a
# system call per request (uuid4 reads the OS random source every time).
_PROCESS_TAG = uuid.uuid4().hex[:8]
_COUNTER = itertools.count(1)


def route_name(request: web.Request) -> str:
    """The route's pattern (`/slack/events`), or `unmatched` for anything without a route."""
    info = request.match_info
    if info.http_exception is not None:
        return "unmatched"
    resource = info.route.resource
    return resource.canonical if resource is not None else "unmatched"


# The header's name made case-insensitive once, not on every lookup and every response.
_X_REQUEST_ID = istr("X-Request-Id")


@web.middleware
async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Request id (given in `X-Request-Id` or made here) in every log line; count and time by route.

    One middleware rather than two: it runs on every request, and each aiohttp middleware layer
    costs a little on the script path.
    """
    given = request.headers.get(_X_REQUEST_ID, "")
    rid = given if given and _REQUEST_ID.match(given) else f"{_PROCESS_TAG}-{next(_COUNTER):x}"
    token = logs.request_id.set(rid)
    route = route_name(request)
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
    except web.HTTPException as exc:
        status = exc.status
        exc.headers[_X_REQUEST_ID] = rid
        raise
    except Exception as exc:
        ERRORS.labels(route).inc()
        log.error("request failed", extra={"route": route, "error": type(exc).__name__})
        response = web.json_response(
            {"error": "internal error; the request id is in the X-Request-Id header"}, status=500
        )
    finally:
        HTTP.record(route, status, time.perf_counter() - started)
        logs.request_id.reset(token)
    response.headers[_X_REQUEST_ID] = rid
    return response


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    # readiness() opens a connection; a slow database must not stall the event loop.
    ready, reason = await asyncio.to_thread(readiness, runtime.engine)
    if not ready:
        log.warning("not ready", extra={"reason": reason})
        return web.json_response({"status": "not ready", "reason": reason}, status=503)
    return web.json_response({"status": "ready"})


async def metrics(_request: web.Request) -> web.Response:
    body = generate_latest(REGISTRY)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def create_app(runtime: Runtime, *, slack: bool = True) -> web.Application:
    """Everything `boundary-bot serve` answers, on one application (tests call this directly)."""
    from adapters.slack import http as slack_http
    from adapters.teams import http as teams_http

    app = web.Application(middlewares=[observe])
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    if slack:
        slack_http.mount(app, runtime)
    else:

        async def slack_off(_request: web.Request) -> web.Response:
            return web.json_response({"error": "Slack is not configured on this server."}, status=503)

        app.router.add_post("/slack/events", slack_off)
    teams_http.mount(app, runtime)

    async def dispose(_app: web.Application) -> None:
        runtime.close()

    app.on_cleanup.append(dispose)
    return app


def migrate_in_background(app: web.Application, runtime: Runtime, *, retry_seconds: float = 5.0) -> None:
    """Apply migrations at start; while the database is unreachable, keep serving and keep trying.

    A replica whose database is down must still answer `/healthz` (the process is fine) and answer
    `/readyz` with 503 (so the load balancer sends it nothing) instead of crash-looping.
    """

    async def migrate(_app: web.Application) -> None:
        async def attempt() -> None:
            while True:
                try:
                    await asyncio.to_thread(upgrade, runtime.engine)
                    log.info("database migrated")
                    return
                except Exception as exc:  # any driver error: the reason goes to the log, then retry
                    log.error(
                        "database unreachable or migration failed; /readyz answers 503 until it works",
                        extra={"error": type(exc).__name__, "retry_seconds": retry_seconds},
                    )
                    await asyncio.sleep(retry_seconds)

        task = asyncio.create_task(attempt())
        app[MIGRATION] = task

    async def stop(_app: web.Application) -> None:
        task = _app.get(MIGRATION)
        if task is not None and not task.done():
            task.cancel()

    app.on_startup.append(migrate)
    app.on_cleanup.insert(0, stop)


def serve(runtime: Runtime, *, host: str = "0.0.0.0", port: int = 3000, scheduler: bool = True) -> None:
    """Run until SIGTERM/SIGINT; aiohttp's run_app drains requests, then on_cleanup disposes the engine.

    The scheduler module belongs to another feature: it is attached only when it exists, so the
    server works without it.
    """
    app = create_app(runtime)
    migrate_in_background(app, runtime)
    if scheduler and importlib.util.find_spec("adapters.scheduler") is not None:
        from adapters import scheduler as scheduler_module

        scheduler_module.attach(app, runtime)
    # Everything loaded so far (content, word lists, SDKs) lives as long as the process: move it out
    # of the collector's sight, so each collection walks only what requests allocate.
    gc.collect()
    gc.freeze()
    log.info("serving", extra={"host": host, "port": port})
    web.run_app(app, host=host, port=port, print=None, access_log=None, shutdown_timeout=10.0)
