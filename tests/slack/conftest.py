"""Slack wire-test fixtures: the fake Slack Web API, a runtime configured for it, the real HTTP server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from adapters.runtime import Runtime
from adapters.web import create_app
from bot.config import Settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SECRET, command_body, payload_body, signed_headers


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.stop()


@pytest.fixture
def slack_env(fake_slack: FakeSlack) -> dict[str, str]:
    """Single-workspace mode against the fake server; tests add or override keys."""
    return {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-single-token",
        "SLACK_API_URL": fake_slack.api_url,
    }


@pytest.fixture
def settings(tmp_path: Path, slack_env: dict[str, str]) -> Settings:
    """Overrides the shared `settings`, so the shared `runtime` fixture is wired for Slack."""
    return Settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'runtime.db'}",
        BOUNDARY_DATA_DIR=str(tmp_path),
        _env_file=None,  # type: ignore[call-arg]
        **slack_env,
    )


class Wire:
    """Signed requests against the real HTTP server."""

    def __init__(self, server: TestServer, session: aiohttp.ClientSession, fake: FakeSlack) -> None:
        self.server = server
        self.session = session
        self.fake = fake

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def post(self, body: str, *, json_body: bool = False, **signing: Any) -> aiohttp.ClientResponse:
        extra = signing.pop("headers", None) or {}
        headers = {**signed_headers(body, json_body=json_body, **signing), **extra}
        response = await self.session.post(self.url("/slack/events"), data=body.encode(), headers=headers)
        await response.read()
        return response

    async def command(self, text: str, **kwargs: Any) -> aiohttp.ClientResponse:
        kwargs.setdefault("response_url", self.fake.response_url())
        return await self.post(command_body(text, **kwargs))

    async def interact(self, payload: dict[str, Any]) -> aiohttp.ClientResponse:
        return await self.post(payload_body(payload))


@pytest.fixture
async def wire(runtime: Runtime, fake_slack: FakeSlack) -> AsyncIterator[Wire]:
    app = create_app(runtime)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield Wire(server, session, fake_slack)
    await server.close()
