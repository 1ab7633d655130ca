"""Consultations in Microsoft Teams, at the wire: signed activities posted to `/api/messages`, the
Adaptive Card form submitted, the thread root posted to the channel and the requester's DM captured at
a local fake Bot Connector."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.runtime import Runtime, build_runtime
from tests.fakes import FakeClock
from tests.teams.conftest import APP_ID, TENANT, message, serve, teams_settings, wire
from tests.teams.fake_connector import FakeConnector, Sent
from tests.teams.tokens import OpenIdServer

CONSULT_CHANNEL = "19:consult@thread.tacv2"
TEAM = {"id": "19:team-root@thread.tacv2", "name": "Riverside Group Practice"}


class NumericIdConnector(FakeConnector):
    """Teams gives channel messages numeric ids (a thread is `<channel>;messageid=<digits>`)."""

    async def _send(self, request: web.Request) -> web.Response:
        response = await super()._send(request)
        if response.status != 201 or response.body is None:
            return response
        body = json.loads(bytes(response.body))  # type: ignore[arg-type]
        return web.json_response({"id": "1700000" + body["id"].removeprefix("msg-")}, status=201)


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    fake = NumericIdConnector().start()
    yield fake
    fake.stop()


@pytest.fixture
def openid() -> Iterator[OpenIdServer]:
    server = OpenIdServer().start()
    yield server
    server.stop()


@pytest.fixture
def teams_runtime(tmp_path: Path, clock: FakeClock, openid: OpenIdServer) -> Iterator[Runtime]:
    runtime = wire(build_runtime(teams_settings(tmp_path), clock=clock), openid)
    yield runtime
    runtime.close()


@pytest.fixture
async def client(teams_runtime: Runtime) -> AsyncIterator[TestClient]:
    test_client = await serve(teams_runtime)
    yield test_client
    await test_client.close()


async def post(client: TestClient, openid: OpenIdServer, activity: dict[str, Any]) -> int:
    token = openid.token(audience=APP_ID, service_url=activity["serviceUrl"])
    response = await client.post("/api/messages", json=activity, headers={"Authorization": f"Bearer {token}"})
    return response.status


def walk(node: Any, kind: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == kind:
            found.append(node)
        for value in node.values():
            found.extend(walk(value, kind))
    elif isinstance(node, list):
        for item in node:
            found.extend(walk(item, kind))
    return found


def texts(card: dict[str, Any] | None) -> str:
    return "\n".join(block["text"] for block in walk(card, "TextBlock"))


def _inputs(card: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [
        node
        for kind in ("Input.Text", "Input.ChoiceSet", "Input.Toggle")
        for node in walk(card, kind)
        if "id" in node
    ]


def submit_data(card: dict[str, Any] | None) -> dict[str, Any]:
    [action] = [a for a in walk(card, "Action.Submit") if a.get("data", {}).get("form_id")]
    data: dict[str, Any] = action["data"]
    return data


def channel_posts(connector: FakeConnector) -> list[Sent]:
    return [s for s in connector.sent if s.conversation_id.startswith(CONSULT_CHANNEL)]


FILLED = {
    "situation": "former-client",
    "platform": "linkedin",
    "client_status": "former",
    "question": "Is it fine to accept, or should I decline?",
    "urgent": "false",
    "anonymous": "true",
}


async def start_consult(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, runtime: Runtime
) -> str:
    """Alice talks to Boundary, an admin points consultations at the channel, Alice opens the form."""
    await post(client, openid, message("help", service_url=connector.url))
    practice = runtime.practices.find("teams", TENANT)
    assert practice is not None
    runtime.practices.update_settings(practice.id, consult_channel=CONSULT_CHANNEL)
    runtime.directory.forget()
    await post(client, openid, message("boundary consult", service_url=connector.url))
    return "1700000" + str(999 + len(connector.sent))  # the id the connector gave the form card


async def test_card_form_rejects_identifiers_then_posts_and_tracks_the_thread(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    form_card_id = await start_consult(client, openid, connector, teams_runtime)
    form = connector.sent[-1].card
    fields = _inputs(form)
    assert {f["id"] for f in fields} >= {
        "situation",
        "platform",
        "client_status",
        "text",
        "question",
        "anonymous",
    }
    data = submit_data(form)

    # Identifiers: the card comes back in place with the error, the text kept, nothing in the channel.
    risky = "Maria Lopez (maria.lopez@example.com) asked to connect on LinkedIn last week."
    status = await post(
        client,
        openid,
        message(
            "", service_url=connector.url, value={**data, **FILLED, "text": risky}, reply_to_id=form_card_id
        ),
    )
    assert status in (200, 201)
    update = connector.sent[-1]
    assert update.method == "PUT" and update.activity_id == form_card_id
    assert "maria.lopez@example.com" in texts(update.card)
    kept = {f["id"]: f.get("value") for f in _inputs(update.card)}
    assert kept["text"] == risky and kept["situation"] == "former-client"
    assert channel_posts(connector) == []

    # Clean: the thread root goes to the consultation channel with its reference number.
    clean = "A former client asked to connect on LinkedIn; therapy ended about two years ago."
    await post(
        client,
        openid,
        message(
            "", service_url=connector.url, value={**data, **FILLED, "text": clean}, reply_to_id=form_card_id
        ),
    )
    [root] = channel_posts(connector)
    shown = texts(root.card)
    assert root.conversation_id == CONSULT_CHANNEL and root.method == "POST"
    assert "C-2026-0001" in shown and clean in shown and "Mandated reporting duties still apply." in shown
    assert "Alice" not in json.dumps(root.body)  # anonymous: no requester anywhere in the post
    confirmation = connector.sent[-1]
    assert confirmation.method == "PUT" and "Posted as C-2026-0001" in texts(confirmation.card)

    consultation = teams_runtime.extras["consultations"].find(
        teams_runtime.practices.find("teams", TENANT).id,
        "C-2026-0001",  # type: ignore[union-attr]
    )
    thread = consultation.thread
    assert thread and thread.isdigit()

    # Bob replies in the thread: the consultation is answered and Alice hears about it privately.
    sent_before = len(connector.sent)
    reply = message(
        "I would decline warmly and note it.",
        service_url=connector.url,
        conversation_type="channel",
        conversation_id=f"{CONSULT_CHANNEL};messageid={thread}",
        user_id="29:1-bob",
        aad="aad-bob",
        name="Bob Ito",
        team=TEAM,
    )
    await post(client, openid, reply)
    new = connector.sent[sent_before:]
    [dm] = [s for s in new if s.conversation_id == "a:1-personal-alice"]
    assert "A colleague answered C-2026-0001" in texts(dm.card)
    assert [
        s for s in new if s.conversation_id.startswith(CONSULT_CHANNEL)
    ] == []  # the bot stays quiet there

    # Alice resolves from her chat; the outcome lands in the thread.
    await post(
        client,
        openid,
        message("boundary consult resolve C-2026-0001 Declined and noted it", service_url=connector.url),
    )
    assert "C-2026-0001 resolved" in texts(connector.sent[-1].card)
    in_thread = [s for s in connector.sent if s.conversation_id == f"{CONSULT_CHANNEL};messageid={thread}"]
    assert len(in_thread) == 1 and "Declined and noted it" in texts(in_thread[0].card)


async def test_step_aside_button_in_the_channel_answers_privately(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    form_card_id = await start_consult(client, openid, connector, teams_runtime)
    data = submit_data(connector.sent[-1].card)
    clean = "A former client asked to connect on LinkedIn after therapy ended."
    await post(
        client,
        openid,
        message(
            "", service_url=connector.url, value={**data, **FILLED, "text": clean}, reply_to_id=form_card_id
        ),
    )
    [root] = channel_posts(connector)
    [step] = [a for a in walk(root.card, "Action.Submit") if "step aside" in a["title"].lower()]

    pressed = message(
        "",
        service_url=connector.url,
        conversation_type="channel",
        conversation_id=CONSULT_CHANNEL,
        user_id="29:1-bob",
        aad="aad-bob",
        name="Bob Ito",
        value=step["data"],
        team=TEAM,
    )
    await post(client, openid, pressed)

    private = [s for s in connector.sent if s.conversation_id == "a:personal-29:1-bob"]
    assert len(private) == 1 and "stepped aside from C-2026-0001" in texts(private[0].card)
    assert len(channel_posts(connector)) == 1  # nothing about who stepped aside in the channel
