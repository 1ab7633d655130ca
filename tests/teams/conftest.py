"""Fixtures for the Teams tests: a fake Bot Connector, an OpenID key server, a configured runtime,
and an HTTP client on the aiohttp app that serves `/api/messages`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import AppCredentials, PasswordServiceClientCredentialFactory

from adapters.runtime import Runtime, build_runtime
from adapters.teams.auth import Endpoints
from adapters.web import create_app
from bot.config import Settings
from tests.fakes import FakeClock
from tests.teams.fake_connector import FakeConnector
from tests.teams.tokens import OpenIdServer

APP_ID = "3f1c1d52-6a2b-4c33-9a0e-0d5b8e8c6a11"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OUTBOUND_TOKEN = "outbound-token-from-fake-entra"


class _FakeEntraCredentials(AppCredentials):  # type: ignore[misc]
    """Outbound credentials whose token comes from a fake Entra ID instead of login.microsoftonline.com."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return OUTBOUND_TOKEN


class LocalCredentialsFactory(PasswordServiceClientCredentialFactory):  # type: ignore[misc]
    """The SDK's password factory (so the app id check on inbound tokens is the real one), with only
    outbound token acquisition replaced: there is no internet in tests."""

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        if not await self.is_valid_app_id(app_id):
            raise PermissionError("Invalid app_id")
        return _FakeEntraCredentials(app_id, self.tenant_id, oauth_scope)


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    fake = FakeConnector().start()
    yield fake
    fake.stop()


@pytest.fixture
def openid() -> Iterator[OpenIdServer]:
    server = OpenIdServer().start()
    yield server
    server.stop()


def teams_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'teams.db'}",
        "BOUNDARY_DATA_DIR": str(tmp_path),
        "MICROSOFT_APP_ID": APP_ID,
        "MICROSOFT_APP_PASSWORD": "not-a-real-secret",
        "MICROSOFT_APP_TENANT_ID": TENANT,
        "MICROSOFT_APP_TYPE": "SingleTenant",
    }
    values.update(overrides)
    return Settings(**values, _env_file=None)  # type: ignore[call-arg]


def wire(runtime: Runtime, openid: OpenIdServer) -> Runtime:
    runtime.extras["serve_host"] = "127.0.0.1"
    runtime.extras["teams_endpoints"] = Endpoints(openid_metadata_url=openid.metadata_url)
    runtime.extras["teams_credentials_factory"] = LocalCredentialsFactory(
        runtime.settings.microsoft_app_id, runtime.settings.microsoft_app_password, TENANT
    )
    return runtime


@pytest.fixture
def teams_runtime(tmp_path: Path, clock: FakeClock, openid: OpenIdServer) -> Iterator[Runtime]:
    runtime = wire(build_runtime(teams_settings(tmp_path), clock=clock), openid)
    yield runtime
    runtime.close()


async def serve(runtime: Runtime) -> TestClient:
    """The real server application (`boundary-bot serve`'s), with Slack left unconfigured."""
    app = create_app(runtime, slack=False)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.fixture
async def client(teams_runtime: Runtime) -> AsyncIterator[TestClient]:
    test_client = await serve(teams_runtime)
    yield test_client
    await test_client.close()


def message(
    text: str,
    *,
    service_url: str,
    conversation_type: str = "personal",
    conversation_id: str | None = None,
    user_id: str = "29:1-alice",
    aad: str = "aad-alice",
    name: str = "Alice Moreno",
    entities: list[dict[str, Any]] | None = None,
    value: dict[str, Any] | None = None,
    reply_to_id: str | None = None,
    team: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message activity as Teams posts it to /api/messages."""
    if conversation_id is None:
        conversation_id = (
            "a:1-personal-alice" if conversation_type == "personal" else "19:general@thread.tacv2"
        )
    data: dict[str, Any] = {"tenant": {"id": TENANT}}
    if team:
        data["team"] = team
        data["channel"] = {"id": conversation_id.split(";")[0]}
    activity: dict[str, Any] = {
        "type": "message",
        "id": f"1{uuid.uuid4().int % 10**12}",
        "timestamp": "2026-03-02T15:00:00.000Z",
        "localTimestamp": "2026-03-02T16:00:00.000+01:00",
        "localTimezone": "Europe/Berlin",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user_id, "name": name, "aadObjectId": aad},
        "conversation": {
            "id": conversation_id,
            "conversationType": conversation_type,
            "tenantId": TENANT,
            "isGroup": conversation_type != "personal",
        },
        "recipient": {"id": f"28:{APP_ID}", "name": "Boundary"},
        "text": text,
        "textFormat": "plain",
        "entities": entities or [],
        "channelData": data,
        "locale": "en-US",
    }
    if value is not None:
        activity["value"] = value
    if reply_to_id is not None:
        activity["replyToId"] = reply_to_id
    return activity


def bot_mention() -> dict[str, Any]:
    return {
        "type": "mention",
        "text": "<at>Boundary</at>",
        "mentioned": {"id": f"28:{APP_ID}", "name": "Boundary"},
    }
