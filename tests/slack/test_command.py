"""/boundary through the real HTTP server: signed like Slack, answered in the ack's own response."""

from __future__ import annotations

import time
from typing import Any

from adapters.runtime import Runtime
from tests.slack.conftest import Wire
from tests.slack.signing import SECRET, command_body


def texts(blocks: list[dict[str, Any]]) -> str:
    """All visible text of a Block Kit message, for assertions on what a clinician reads."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return "\n".join(found)


def elements(blocks: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == kind]


async def test_friend_request_answers_privately_with_the_script(wire: Wire, runtime: Runtime) -> None:
    response = await wire.command("friend-request")
    assert response.status == 200
    answer = await response.json()
    assert answer["response_type"] == "ephemeral"
    blocks = answer["blocks"]
    situation = runtime.catalogue.get("friend-request")
    assert situation is not None
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": situation.title, "emoji": True},
    }
    shown = texts(blocks)
    first = situation.variants[situation.first_variant()]
    assert runtime.catalogue.fill(first.text).split("\n")[0][:60] in shown.replace("&amp;", "&")
    # Variant buttons, the current one highlighted; "Send me a copy"; the code basis in the context line.
    buttons = elements(blocks, "button")
    labels = [b["text"]["text"] for b in buttons]
    for key in situation.ordered_variants():
        assert situation.variants[key].label[:75] in labels
    highlighted = next(b["value"] for b in buttons if b.get("style") == "primary")
    assert highlighted == f"friend-request {situation.first_variant()}"
    assert "Send me a copy" in labels
    context = [b for b in blocks if b["type"] == "context"][-1]
    assert all(code in texts([context]) for code in situation.citations)
    # The clinician and the workspace are registered on first contact.
    practice = runtime.practices.find("slack", "T0FAKE")
    assert practice is not None
    member = runtime.members.find(practice.id, "U1")
    assert member is not None and member.display_name == "Clinician U1"


async def test_bare_command_shows_a_menu_of_every_situation(wire: Wire, runtime: Runtime) -> None:
    answer = await (await wire.command("")).json()
    selects = elements(answer["blocks"], "static_select")
    assert len(selects) == 1
    assert [o["value"] for o in selects[0]["options"]] == [s.key for s in runtime.catalogue]


async def test_unknown_text_offers_suggestions_as_buttons(wire: Wire, runtime: Runtime) -> None:
    answer = await (await wire.command("something with a client online")).json()
    assert answer["response_type"] == "ephemeral"
    suggested = [
        b for b in elements(answer["blocks"], "button") if b["action_id"].startswith("boundary.replace.")
    ]
    assert suggested, "suggestions should be clickable"
    assert all(runtime.catalogue.get(b["value"]) is not None for b in suggested)
    assert "not sure" in answer["blocks"][0]["text"]["text"]


async def test_bad_missing_or_stale_signatures_get_401_and_change_nothing(
    wire: Wire, runtime: Runtime
) -> None:
    body = command_body("friend-request", response_url=wire.fake.response_url())
    url = wire.url("/slack/events")
    now = int(time.time())
    attempts = [
        {"X-Slack-Request-Timestamp": str(now), "X-Slack-Signature": "v0=" + "0" * 64},
        {"X-Slack-Request-Timestamp": str(now)},
        {},
    ]
    for headers in attempts:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = await wire.session.post(url, data=body, headers=headers)
        assert response.status == 401
    stale = await wire.post(body, timestamp=now - 301)
    assert stale.status == 401
    wrong_secret = await wire.post(body, secret=SECRET + "x")
    assert wrong_secret.status == 401
    assert runtime.practices.find("slack", "T0FAKE") is None
    assert wire.fake.calls == []


async def test_admin_settings_refused_politely_to_a_non_admin(wire: Wire) -> None:
    answer = await (await wire.command("admin settings", user="U2")).json()
    assert "Only practice admins can do that" in texts(answer["blocks"])


async def test_workspace_admin_sees_settings_and_can_add_an_admin(wire: Wire, runtime: Runtime) -> None:
    wire.fake.users["UADMIN"] = {"is_admin": True}
    settings = await (await wire.command("admin settings", user="UADMIN")).json()
    assert "Practice settings" in texts(settings["blocks"])
    added = await (await wire.command("admin add <@U2|colleague>", user="UADMIN")).json()
    assert "Admin added" in texts(added["blocks"])
    practice = runtime.practices.find("slack", "T0FAKE")
    assert practice is not None
    colleague = runtime.members.find(practice.id, "U2")
    assert colleague is not None and colleague.role == "admin"
    entries = runtime.audit.list_for_practice(practice.id)
    assert [(e.action, e.target) for e in entries] == [("admin.add", f"member:{colleague.id}")]
