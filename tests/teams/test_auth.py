"""Inbound authentication, offline but real: tokens signed with a test key published by a local
OpenID metadata server, checked by the SDK's own validation (as configured in production)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from adapters.runtime import build_runtime
from tests.fakes import FakeClock
from tests.teams.conftest import APP_ID, message, serve, teams_settings, wire
from tests.teams.fake_connector import FakeConnector
from tests.teams.tokens import OpenIdServer, new_key


async def send(client: TestClient, connector: FakeConnector, authorization: str | None) -> int:
    headers = {"Authorization": authorization} if authorization is not None else {}
    activity = message("boundary friend-request", service_url=connector.url)
    response = await client.post("/api/messages", json=activity, headers=headers)
    return response.status


async def test_valid_token_passes(client: TestClient, openid: OpenIdServer, connector: FakeConnector) -> None:
    token = openid.token(audience=APP_ID, service_url=connector.url)
    assert await send(client, connector, f"Bearer {token}") in (200, 201)
    assert len(connector.sent) == 1


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "not-bearer",
        "garbage",
        "forged",
        "expired",
        "wrong-audience",
        "wrong-service-url",
        "wrong-issuer",
    ],
)
async def test_bad_tokens_get_401_and_nothing_is_sent(
    case: str, client: TestClient, openid: OpenIdServer, connector: FakeConnector
) -> None:
    good = {"audience": APP_ID, "service_url": connector.url}
    header: str | None
    if case == "missing":
        header = None
    elif case == "not-bearer":
        header = "Basic " + openid.token(**good)
    elif case == "garbage":
        header = "Bearer not.a.jwt"
    elif case == "forged":
        header = "Bearer " + openid.token(**good, key=new_key())
    elif case == "expired":
        header = "Bearer " + openid.token(**good, lifetime=-3600)
    elif case == "wrong-audience":
        header = "Bearer " + openid.token(audience="another-bots-app-id", service_url=connector.url)
    elif case == "wrong-service-url":
        header = "Bearer " + openid.token(audience=APP_ID, service_url="https://smba.example.invalid/")
    else:
        header = "Bearer " + openid.token(**good, issuer="https://attacker.example")

    assert await send(client, connector, header) == 401
    assert connector.sent == []


async def test_without_app_id_teams_answers_503_and_says_why(
    tmp_path: Path, clock: FakeClock, openid: OpenIdServer, connector: FakeConnector
) -> None:
    runtime = wire(build_runtime(teams_settings(tmp_path, MICROSOFT_APP_ID=""), clock=clock), openid)
    client = await serve(runtime)
    try:
        response = await client.post("/api/messages", json=message("help", service_url=connector.url))
        assert response.status == 503
        assert "not configured" in (await response.json())["error"]
        assert connector.sent == []
    finally:
        await client.close()
        runtime.close()


async def test_single_tenant_without_tenant_id_is_reported_at_start(
    tmp_path: Path, clock: FakeClock, openid: OpenIdServer, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = wire(build_runtime(teams_settings(tmp_path, MICROSOFT_APP_TENANT_ID=""), clock=clock), openid)
    with caplog.at_level(logging.ERROR):
        client = await serve(runtime)
    try:
        assert "MICROSOFT_APP_TENANT_ID" in caplog.text
        response = await client.post("/api/messages", json={"type": "message"})
        assert response.status == 503 and "MICROSOFT_APP_TENANT_ID" in (await response.json())["error"]
    finally:
        await client.close()
        runtime.close()


async def test_dev_mode_is_refused_on_a_public_address(
    tmp_path: Path, clock: FakeClock, openid: OpenIdServer, connector: FakeConnector
) -> None:
    settings = teams_settings(tmp_path, MICROSOFT_APP_ID="", BOUNDARY_TEAMS_DEV="1")
    runtime = wire(build_runtime(settings, clock=clock), openid)
    runtime.extras["serve_host"] = "0.0.0.0"
    client = await serve(runtime)
    try:
        response = await client.post("/api/messages", json=message("help", service_url=connector.url))
        assert response.status == 503 and "loopback" in (await response.json())["error"]
    finally:
        await client.close()
        runtime.close()


async def test_dev_mode_on_loopback_works_without_a_token_and_warns(
    tmp_path: Path,
    clock: FakeClock,
    openid: OpenIdServer,
    connector: FakeConnector,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = teams_settings(
        tmp_path, MICROSOFT_APP_ID="", MICROSOFT_APP_PASSWORD="", BOUNDARY_TEAMS_DEV="1"
    )
    runtime = wire(build_runtime(settings, clock=clock), openid)
    runtime.extras.pop("teams_credentials_factory")  # the Emulator needs no outbound token either
    with caplog.at_level(logging.WARNING):
        client = await serve(runtime)
    try:
        assert "NOT authenticated" in caplog.text
        response = await client.post("/api/messages", json=message("help", service_url=connector.url))
        assert response.status in (200, 201)
        assert len(connector.sent) == 1 and connector.sent[0].authorization is None
    finally:
        await client.close()
        runtime.close()


async def test_emulator_without_tenant_is_one_local_practice(
    tmp_path: Path, clock: FakeClock, openid: OpenIdServer, connector: FakeConnector
) -> None:
    settings = teams_settings(
        tmp_path, MICROSOFT_APP_ID="", MICROSOFT_APP_PASSWORD="", BOUNDARY_TEAMS_DEV="1"
    )
    runtime = wire(build_runtime(settings, clock=clock), openid)
    runtime.extras.pop("teams_credentials_factory")
    client = await serve(runtime)
    try:
        activity = message("friend-request", service_url=connector.url)
        activity.update({"channelId": "emulator", "channelData": {}})
        activity["conversation"].pop("tenantId")
        activity["from"].pop("aadObjectId")
        assert (await client.post("/api/messages", json=activity)).status in (200, 201)
        situation = runtime.catalogue.get("friend-request")
        assert situation is not None and situation.title in str(connector.sent[0].card)
        assert runtime.practices.find("teams", "emulator") is not None
    finally:
        await client.close()
        runtime.close()
