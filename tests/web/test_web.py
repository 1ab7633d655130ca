"""The aiohttp application: health, readiness, metrics by route, request ids, Slack not configured."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from adapters.runtime import Runtime, build_runtime
from adapters.web import create_app
from bot.config import Settings
from storage.database import make_engine


@pytest.fixture
async def http(runtime: Runtime) -> AsyncIterator[tuple[TestServer, aiohttp.ClientSession]]:
    server = TestServer(create_app(runtime), host="127.0.0.1", port=0)
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield server, session
    await server.close()


async def test_health_and_ready(http: tuple[TestServer, aiohttp.ClientSession]) -> None:
    server, session = http
    health = await session.get(server.make_url("/healthz"))
    assert health.status == 200 and (await health.json())["status"] == "ok"
    ready = await session.get(server.make_url("/readyz"))
    assert ready.status == 200 and (await ready.json())["status"] == "ready"


async def test_slack_events_without_slack_settings_says_so(
    http: tuple[TestServer, aiohttp.ClientSession],
) -> None:
    server, session = http
    response = await session.post(server.make_url("/slack/events"), data=b"x")
    assert response.status == 503
    assert "Slack is not configured" in (await response.json())["error"]


async def test_metrics_count_by_route_never_by_raw_path(
    http: tuple[TestServer, aiohttp.ClientSession],
) -> None:
    server, session = http
    await session.get(server.make_url("/healthz"))
    missing = await session.get(server.make_url("/no/such/secret-path-123"))
    assert missing.status == 404
    text = await (await session.get(server.make_url("/metrics"))).text()
    assert 'boundary_http_requests_total{route="/healthz",status="200"}' in text
    assert 'route="unmatched",status="404"' in text
    assert "secret-path-123" not in text
    assert 'boundary_http_request_seconds_bucket{le="0.1",route="/healthz"}' in text


async def test_request_id_is_echoed_or_made(http: tuple[TestServer, aiohttp.ClientSession]) -> None:
    server, session = http
    given = await session.get(server.make_url("/healthz"), headers={"X-Request-Id": "abc-123"})
    assert given.headers["X-Request-Id"] == "abc-123"
    made = await session.get(server.make_url("/healthz"), headers={"X-Request-Id": "bad id\twith junk"})
    other = await session.get(server.make_url("/healthz"))
    ids = [made.headers["X-Request-Id"], other.headers["X-Request-Id"]]
    assert all(re.fullmatch(r"[A-Za-z0-9._-]{1,64}", rid) for rid in ids), "junk is replaced by a safe id"
    assert ids[0] != ids[1], "each request gets its own id"


async def test_not_ready_when_migrations_are_missing(tmp_path: Path, settings: Settings) -> None:
    runtime = build_runtime(settings)
    runtime.engine.dispose()
    runtime.engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # reachable but never migrated
    server = TestServer(create_app(runtime, slack=False), host="127.0.0.1", port=0)
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            response = await session.get(server.make_url("/readyz"))
            body = await response.json()
    finally:
        await server.close()
    assert response.status == 503
    assert body["status"] == "not ready" and "migrations pending" in body["reason"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_then_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOUNDARY_", "MICROSOFT_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "adapters.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-scheduler",
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
