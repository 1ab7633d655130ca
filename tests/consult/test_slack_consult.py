"""Consultations in Slack, at the wire: signed slash commands, a modal submission refused with view
errors, the thread root posted with `chat.postMessage`, a reply event in the thread, and the outcome.

Requests go to the real HTTP server (`adapters.web`); Slack's Web API is the local fake server.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from adapters.runtime import Runtime
from adapters.web import create_app
from bot.config import Settings
from bot.privacy import screen
from tests.slack.conftest import Wire
from tests.slack.fake_slack import Call, FakeSlack
from tests.slack.signing import SECRET, event_body

CHANNEL = "CCONSULT"
TEAM = "T0FAKE"


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    fake.users["UADMIN"] = {"is_admin": True, "real_name": "Practice Owner"}
    fake.users["U1"] = {"real_name": "Dana Reyes"}
    yield fake
    await fake.stop()


@pytest.fixture
def settings(tmp_path: Path, fake_slack: FakeSlack) -> Settings:
    """Overrides the shared `settings`, so the shared `runtime` fixture is wired for Slack."""
    return Settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'runtime.db'}",
        BOUNDARY_DATA_DIR=str(tmp_path),
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN="xoxb-single-token",
        SLACK_API_URL=fake_slack.api_url,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
async def wire(runtime: Runtime, fake_slack: FakeSlack) -> AsyncIterator[Wire]:
    server = TestServer(create_app(runtime), host="127.0.0.1", port=0)
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield Wire(server, session, fake_slack)
    await server.close()


def texts(node: Any) -> str:
    found: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            if isinstance(item.get("text"), str):
                found.append(item["text"])
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(node)
    return "\n".join(found)


def state(view: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """`view.state.values` as Slack sends it for the modal's inputs, filled with `values`."""
    filled: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        value = values.get(block["block_id"], "")
        if element["type"] == "static_select":
            option = next((o for o in element["options"] if o["value"] == value), None)
            filled[block["block_id"]] = {"value": {"type": "static_select", "selected_option": option}}
        elif element["type"] == "checkboxes":
            chosen = element["options"] if value == "true" else []
            filled[block["block_id"]] = {"value": {"type": "checkboxes", "selected_options": chosen}}
        else:
            filled[block["block_id"]] = {"value": {"type": "plain_text_input", "value": value}}
    return {"values": filled}


def submission(view: dict[str, Any], values: dict[str, str], user: str = "U1") -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "fakepractice"},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "AFAKE",
        "trigger_id": "tr-submit",
        "view": {**view, "id": "VCONSULT", "hash": "h1", "state": state(view, values)},
    }


VALUES = {
    "situation": "former-client",
    "platform": "instagram",
    "client_status": "former",
    "question": "Do I decline, or leave it unanswered?",
    "urgent": "false",
    "anonymous": "false",
}
CLEAN = "A former client followed my personal account about a year after we finished."


def posts_in(fake: FakeSlack, channel: str) -> list[Call]:
    return [call for call in fake.calls_to("chat.postMessage") if call.args.get("channel") == channel]


async def until(check: Any, timeout: float = 5.0) -> None:
    """Lazy listeners run after the ack: wait for their effect."""
    for _ in range(int(timeout / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out waiting for the follow-up")


async def open_form(wire: Wire) -> dict[str, Any]:
    channel_set = await wire.command(f"admin consult-channel <#{CHANNEL}|consult>", user="UADMIN")
    assert "Consultation channel set" in texts(await channel_set.json())
    opened = await wire.command("consult", user="U1", trigger="tr-consult")
    assert opened.status == 200
    [call] = await wire.fake.wait_for("views.open")
    assert call.args["trigger_id"] == "tr-consult"
    view: dict[str, Any] = call.args["view"]
    return view


async def test_modal_with_identifiers_gets_view_errors_and_nothing_is_posted(
    wire: Wire, runtime: Runtime
) -> None:
    view = await open_form(wire)
    assert {b["block_id"] for b in view["blocks"] if b["type"] == "input"} >= set(VALUES) | {"text"}
    assert "Mandated reporting duties still apply." in texts(view["blocks"])

    risky = "Jordan Ellis (@jordan.ellis92) followed me on Instagram on March 3, 2026."
    response = await wire.interact(submission(view, {**VALUES, "text": risky}))

    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "errors"
    error = answer["errors"]["text"]
    found = screen(risky).findings
    assert len(found) >= 3 and all(f'"{finding.text}"' in error for finding in found)
    assert "@jordan.ellis92" in error
    await asyncio.sleep(0.2)  # any wrongly posted message would show up by now
    assert posts_in(wire.fake, CHANNEL) == []
    listing = await wire.command("consult list", user="U1")
    assert "No consultations yet" in texts(await listing.json())


async def test_clean_modal_posts_the_thread_and_a_reply_answers_it(wire: Wire, runtime: Runtime) -> None:
    view = await open_form(wire)
    response = await wire.interact(submission(view, {**VALUES, "text": CLEAN}))
    assert response.status == 200

    [root] = posts_in(wire.fake, CHANNEL)
    shown = texts(root.args["blocks"])
    assert "C-2026-0001" in shown and CLEAN in shown and VALUES["question"] in shown
    assert "Mandated reporting duties still apply." in shown
    assert "/boundary former-client" in shown
    assert "thread_ts" not in root.args or not root.args["thread_ts"]
    # The confirmation reaches the requester privately, with the reference to cite.
    await until(lambda: any(c.args.get("channel") == "DU1" for c in wire.fake.calls_to("chat.postMessage")))
    [confirmation] = posts_in(wire.fake, "DU1")
    assert "Posted as C-2026-0001" in texts(confirmation.args["blocks"])

    thread = "1700000000.000001"
    assert root.args.get("channel") == CHANNEL
    consultation = runtime.extras["consultations"].find(
        runtime.practices.find("slack", TEAM).id,  # type: ignore[union-attr]
        "C-2026-0001",
    )
    assert consultation.thread == thread

    # The requester adds a detail in the thread: not an answer.
    own = {
        "type": "message",
        "channel": CHANNEL,
        "user": "U1",
        "text": "x",
        "ts": "1700000000.5",
        "thread_ts": thread,
    }
    await wire.post(json.dumps(event_body(own, event_id="EvOwn")), json_body=True)
    # A colleague replies: answered, and the requester is told privately (once, even if Slack retries).
    reply = {
        "type": "message",
        "channel": CHANNEL,
        "user": "U2",
        "text": "x",
        "ts": "1700000001.1",
        "thread_ts": thread,
    }
    body = json.dumps(event_body(reply, event_id="EvReply"))
    await wire.post(body, json_body=True)
    await wire.post(
        body, json_body=True, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    await until(lambda: len(posts_in(wire.fake, "DU1")) >= 2)
    await asyncio.sleep(0.2)
    dms = posts_in(wire.fake, "DU1")
    assert len(dms) == 2 and "A colleague answered C-2026-0001" in texts(dms[1].args["blocks"])
    listing = await wire.command("consult list", user="U1")
    assert "answered" in texts(await listing.json())

    # The requester records the outcome; it is screened and lands in the thread.
    # An outcome with a name opens the resolve form, the text kept and the finding quoted.
    await wire.command("consult resolve C-2026-0001 Told Dana Ellis no", user="U1", trigger="tr-resolve")
    resolve_form = (await wire.fake.wait_for("views.open", 2))[-1].args["view"]
    assert '"Dana Ellis"' in texts(resolve_form["blocks"])
    assert "Told Dana Ellis no" in json.dumps(resolve_form["blocks"])
    assert [c for c in posts_in(wire.fake, CHANNEL) if c.args.get("thread_ts")] == []
    done = await wire.command("consult resolve C-2026-0001 Declined and raised it in session", user="U1")
    assert "C-2026-0001 resolved" in texts(await done.json())
    [note] = [c for c in posts_in(wire.fake, CHANNEL) if c.args.get("thread_ts") == thread]
    assert "Declined and raised it in session" in texts(note.args["blocks"])


async def test_anonymous_post_names_nobody_and_step_aside_is_private(wire: Wire, runtime: Runtime) -> None:
    view = await open_form(wire)
    await wire.interact(submission(view, {**VALUES, "text": CLEAN, "anonymous": "true"}))
    [root] = posts_in(wire.fake, CHANNEL)
    posted = json.dumps(root.args)
    assert "Asked anonymously" in posted
    assert "U1" not in posted.replace("UADMIN", "") and "Dana" not in posted

    [step] = [
        e
        for b in root.args["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if "step aside" in e["text"]["text"].lower()
    ]
    click = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "fakepractice"},
        "user": {"id": "U3", "team_id": TEAM},
        "api_app_id": "AFAKE",
        "trigger_id": "tr-step",
        "actions": [step],
        "container": {"type": "message", "is_ephemeral": False},
        "channel": {"id": CHANNEL},
        "response_url": wire.fake.response_url("step"),
    }
    assert (await wire.interact(click)).status == 200
    [answer] = await wire.fake.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert "stepped aside from C-2026-0001" in texts(answer.args)
    assert len(posts_in(wire.fake, CHANNEL)) == 1
