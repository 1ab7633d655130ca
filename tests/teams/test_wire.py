"""Teams through the real HTTP server: signed activities in, Adaptive Cards out at the fake connector."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.teams.conftest import APP_ID, OUTBOUND_TOKEN, message
from tests.teams.fake_connector import FakeConnector
from tests.teams.tokens import OpenIdServer


async def post(client: TestClient, openid: OpenIdServer, activity: dict[str, Any]) -> int:
    token = openid.token(audience=APP_ID, service_url=activity["serviceUrl"])
    response = await client.post("/api/messages", json=activity, headers={"Authorization": f"Bearer {token}"})
    return response.status


def texts(card: dict[str, Any]) -> str:
    """Every TextBlock's text in a card, in order (to read it like a person would)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(found)


async def test_personal_message_gets_the_script_as_an_adaptive_card(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector
) -> None:
    status = await post(client, openid, message("boundary friend-request", service_url=connector.url))

    assert status in (200, 201)
    assert len(connector.sent) == 1
    sent = connector.sent[0]
    assert sent.conversation_id == "a:1-personal-alice"
    assert sent.authorization == f"Bearer {OUTBOUND_TOKEN}"
    card = sent.card
    assert card is not None and card["version"] == "1.5"
    assert "friend request" in texts(card).lower()
