"""Teams through the real HTTP server: signed activities in, Adaptive Cards out at the fake connector."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from adapters.runtime import Runtime
from adapters.teams.app import teams_app
from tests.teams.conftest import APP_ID, OUTBOUND_TOKEN, TENANT, bot_mention, message
from tests.teams.fake_connector import FakeConnector, Sent
from tests.teams.tokens import OpenIdServer

TEAM = {"id": "19:team-root@thread.tacv2", "name": "Riverside Group Practice"}


async def post(client: TestClient, openid: OpenIdServer, activity: dict[str, Any]) -> int:
    token = openid.token(audience=APP_ID, service_url=activity["serviceUrl"])
    response = await client.post("/api/messages", json=activity, headers={"Authorization": f"Bearer {token}"})
    return response.status


def texts(card: dict[str, Any] | None) -> str:
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


def buttons(card: dict[str, Any] | None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


def button(card: dict[str, Any] | None, title_part: str) -> dict[str, Any]:
    return next(b for b in buttons(card) if title_part.lower() in b["title"].lower())


async def test_personal_message_gets_the_script_as_an_adaptive_card(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    situation = teams_runtime.catalogue.get("friend-request")
    assert situation is not None
    first = situation.variants[situation.first_variant()]

    status = await post(client, openid, message("boundary friend-request", service_url=connector.url))

    assert status in (200, 201)
    assert len(connector.sent) == 1
    sent = connector.sent[0]
    assert sent.conversation_id == "a:1-personal-alice"
    assert sent.authorization == f"Bearer {OUTBOUND_TOKEN}"
    card = sent.card
    assert card is not None and card["version"] == "1.5" and card["type"] == "AdaptiveCard"
    shown = texts(card)
    assert situation.title in shown
    assert first.label in shown
    assert " ".join(first.text.split()[:6]) in " ".join(shown.split())
    variant_titles = [b["title"] for b in buttons(card) if b["data"].get("delivery") == "replace"]
    assert len(variant_titles) == len(situation.ordered_variants())


async def test_every_way_of_asking_reaches_the_same_script(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector
) -> None:
    for text in ("boundary friend-request", "/boundary friend-request", "friend-request"):
        await post(client, openid, message(text, service_url=connector.url))
    titles = {texts(sent.card).splitlines()[0] for sent in connector.sent}
    assert len(connector.sent) == 3 and len(titles) == 1


async def test_help_lists_commands(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector
) -> None:
    await post(client, openid, message("help", service_url=connector.url))
    assert "friend-request" in texts(connector.sent[0].card) or "list" in texts(connector.sent[0].card)


async def test_variant_button_updates_the_card_in_place(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    situation = teams_runtime.catalogue.get("friend-request")
    assert situation is not None
    await post(client, openid, message("boundary friend-request", service_url=connector.url))
    first_card = connector.sent[0].card
    card_id = "msg-1000"  # the id the fake connector gave the first card
    other = situation.variants["in-session"]
    pressed = button(first_card, other.label)

    await post(
        client,
        openid,
        message("", service_url=connector.url, value=pressed["data"], reply_to_id=card_id),
    )

    update = connector.sent[-1]
    assert update.method == "PUT" and update.activity_id == card_id
    assert other.label in texts(update.card)
    assert " ".join(other.text.split()[:5]) in " ".join(texts(update.card).split())


async def test_menu_is_a_card_with_a_dropdown_and_picking_shows_the_script(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    await post(client, openid, message("boundary", service_url=connector.url))
    menu = connector.sent[0].card
    assert menu is not None
    choice_sets = [item for item in menu["body"] if item.get("type") == "Input.ChoiceSet"]
    assert choice_sets and len(choice_sets[0]["choices"]) == len(list(teams_runtime.catalogue))
    show = buttons(menu)[0]

    await post(
        client,
        openid,
        message(
            "", service_url=connector.url, value={**show["data"], "choice": "tagged"}, reply_to_id="msg-1000"
        ),
    )

    tagged = teams_runtime.catalogue.get("tagged")
    assert tagged is not None
    assert connector.sent[-1].method == "PUT" and tagged.title in texts(connector.sent[-1].card)


async def test_channel_mention_sends_script_privately_and_only_a_note_in_the_channel(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    activity = message(
        "<at>Boundary</at> friend-request",
        service_url=connector.url,
        conversation_type="channel",
        conversation_id="19:general@thread.tacv2;messageid=1700000000001",
        entities=[bot_mention()],
        team=TEAM,
    )
    await post(client, openid, activity)

    assert connector.created and connector.created[0]["members"][0]["id"] == "29:1-alice"
    private = [s for s in connector.sent if s.conversation_id == "a:personal-29:1-alice"]
    channel = [s for s in connector.sent if s.conversation_id.startswith("19:general")]
    situation = teams_runtime.catalogue.get("friend-request")
    assert situation is not None
    assert len(private) == 1 and situation.title in texts(private[0].card)
    assert len(channel) == 1 and channel[0].card is None
    assert situation.title not in str(channel[0].body) and "private" in channel[0].body["text"]
    # The practice is the tenant, named after the team on first contact.
    practice = teams_runtime.practices.find("teams", TENANT)
    assert practice is not None and practice.name == TEAM["name"]

    # A second ask reuses the stored 1:1 chat instead of opening another.
    await post(client, openid, {**activity, "id": "1700000000002"})
    assert len(connector.created) == 1


async def test_conversation_reference_is_stored_on_message_and_used_proactively(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    await post(client, openid, message("help", service_url=connector.url))
    practice = teams_runtime.practices.find("teams", TENANT)
    assert practice is not None
    member = teams_runtime.members.find(practice.id, "aad-alice")
    assert member is not None and member.display_name == "Alice Moreno" and member.timezone == "Europe/Berlin"

    notifier = teams_runtime.notifiers.get("teams") or teams_app(teams_runtime).notifier
    reply = await teams_runtime.core.handle(
        __import__("bot.messages", fromlist=["Inbound"]).Inbound(
            "friend-request", "teams", TENANT, "aad-alice"
        )
    )
    sent = await notifier.send_direct(practice, member, reply)

    last: Sent = connector.sent[-1]
    assert last.conversation_id == "a:1-personal-alice" and sent.message_id
    assert reply.title in texts(last.card)


async def test_admin_settings_refused_to_a_member_and_given_to_an_added_admin(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    await post(client, openid, message("boundary admin settings", service_url=connector.url))
    assert "Only practice admins" in texts(connector.sent[-1].card)

    # Installing the app in a team makes the installer the first admin (team owners are not knowable).
    install = message("", service_url=connector.url, conversation_type="channel", team=TEAM)
    install.update({"type": "installationUpdate", "action": "add", "text": None})
    assert await post(client, openid, install) in (200, 201)
    teams_app(teams_runtime).runtime.directory.forget()

    await post(client, openid, message("boundary admin settings", service_url=connector.url))
    assert "Practice settings" in texts(connector.sent[-1].card)

    # admin add @Bob: the mention is resolved to Bob's AAD object id through the roster.
    connector.roster["29:1-bob"] = {"id": "29:1-bob", "name": "Bob Ito", "aadObjectId": "aad-bob"}
    mention = {
        "type": "mention",
        "text": "<at>Bob Ito</at>",
        "mentioned": {"id": "29:1-bob", "name": "Bob Ito"},
    }
    await post(
        client,
        openid,
        message("boundary admin add <at>Bob Ito</at>", service_url=connector.url, entities=[mention]),
    )
    assert "Admin added" in texts(connector.sent[-1].card)
    practice = teams_runtime.practices.find("teams", TENANT)
    assert practice is not None
    bob = teams_runtime.members.find(practice.id, "aad-bob")
    assert bob is not None and bob.role == "admin"
    actions = [entry.action for entry in teams_runtime.audit.list_for_practice(practice.id)]
    assert "admin.add" in actions and "admin.install" in actions

    await post(
        client,
        openid,
        message(
            "boundary admin settings",
            service_url=connector.url,
            user_id="29:1-bob",
            aad="aad-bob",
            name="Bob Ito",
            conversation_id="a:1-personal-bob",
        ),
    )
    assert "Practice settings" in texts(connector.sent[-1].card)


async def test_members_added_and_removed_become_platform_events(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    from bot.messages import MemberDeparted, MemberJoined

    seen: list[object] = []

    async def record(event: object) -> None:
        seen.append(event)

    teams_runtime.core.subscribe(MemberJoined, record)  # type: ignore[arg-type]
    teams_runtime.core.subscribe(MemberDeparted, record)  # type: ignore[arg-type]
    update = message("", service_url=connector.url, conversation_type="channel", team=TEAM)
    update.update(
        {
            "type": "conversationUpdate",
            "text": None,
            "membersAdded": [{"id": "29:1-carol", "aadObjectId": "aad-carol"}],
        }
    )
    await post(client, openid, update)
    update.pop("membersAdded")
    update["membersRemoved"] = [{"id": "29:1-dan", "aadObjectId": "aad-dan"}]
    await post(client, openid, update)

    assert seen == [
        MemberJoined("teams", TENANT, "aad-carol", None, None),
        MemberDeparted("teams", TENANT, "aad-dan"),
    ]


async def test_reply_in_a_channel_thread_is_reported_to_the_core(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    from bot.messages import ThreadReply

    seen: list[object] = []

    async def record(event: object) -> None:
        seen.append(event)

    teams_runtime.core.subscribe(ThreadReply, record)  # type: ignore[arg-type]
    reply = message(
        "I would raise it in session.",
        service_url=connector.url,
        conversation_type="channel",
        conversation_id="19:consult@thread.tacv2;messageid=1700000000555",
        team=TEAM,
    )
    await post(client, openid, reply)

    assert seen == [ThreadReply("teams", TENANT, "19:consult@thread.tacv2", "1700000000555", "aad-alice")]
    assert connector.sent == []  # a colleague's reply is not a command: Boundary stays quiet


async def test_malformed_requests_get_4xx(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector
) -> None:
    token = openid.token(audience=APP_ID, service_url=connector.url)
    headers = {"Authorization": f"Bearer {token}"}
    not_json = await client.post(
        "/api/messages", data="{nope", headers={**headers, "Content-Type": "application/json"}
    )
    no_type = await client.post("/api/messages", json={"text": "hi"}, headers=headers)
    text_plain = await client.post(
        "/api/messages", data="hi", headers={**headers, "Content-Type": "text/plain"}
    )
    assert (not_json.status, no_type.status, text_plain.status) == (400, 400, 415)
    assert "JSON" in (await not_json.json())["error"]


async def test_unknown_button_data_gets_a_clear_message(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector
) -> None:
    await post(client, openid, message("", service_url=connector.url, value={"something": "else"}))
    assert "no longer works" in texts(connector.sent[-1].card)
