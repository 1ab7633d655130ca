"""Clicks, the menu, "Send me a copy", the Home tab, the shortcut and events, through the real server.

Follow-ups run after the ack (Bolt lazy listeners), so tests wait for the call at the fake Slack.
"""

from __future__ import annotations

import json
from typing import Any

from adapters.runtime import Runtime
from bot.messages import MemberDeparted, MemberJoined, PlatformEvent, Section, ThreadReply
from bot.records import Identity
from tests.slack.conftest import Wire
from tests.slack.fake_slack import settle
from tests.slack.signing import block_action, event_body
from tests.slack.test_command import elements, texts


def variant_button(blocks: list[dict[str, Any]], variant: str) -> dict[str, Any]:
    return next(b for b in elements(blocks, "button") if b["value"].endswith(f" {variant}"))


async def test_variant_button_replaces_the_answer_in_place(wire: Wire, runtime: Runtime) -> None:
    answer = await (await wire.command("friend-request")).json()
    situation = runtime.catalogue.get("friend-request")
    assert situation is not None
    other = next(v for v in situation.ordered_variants() if v != situation.first_variant())
    button = variant_button(answer["blocks"], other)
    response = await wire.interact(block_action(button, response_url=wire.fake.response_url("click")))
    assert response.status == 200
    [sent] = await wire.fake.wait_for("response_url")
    assert sent.path.endswith("/click")
    assert sent.args["replace_original"] is True
    assert sent.args["response_type"] == "ephemeral"
    assert situation.variants[other].label in texts(sent.args["blocks"])
    assert variant_button(sent.args["blocks"], other).get("style") == "primary"


async def test_picking_from_the_menu_shows_that_script(wire: Wire, runtime: Runtime) -> None:
    menu = await (await wire.command("")).json()
    select = elements(menu["blocks"], "static_select")[0]
    picked = {**select, "selected_option": next(o for o in select["options"] if o["value"] == "tagged")}
    await wire.interact(block_action(picked, response_url=wire.fake.response_url()))
    [sent] = await wire.fake.wait_for("response_url")
    tagged = runtime.catalogue.get("tagged")
    assert tagged is not None
    assert sent.args["replace_original"] is True
    assert sent.args["blocks"][0]["text"]["text"] == tagged.title


async def test_send_me_a_copy_arrives_as_a_direct_message(wire: Wire) -> None:
    answer = await (await wire.command("friend-request", user="U7")).json()
    copy = next(b for b in elements(answer["blocks"], "button") if b["text"]["text"] == "Send me a copy")
    await wire.interact(block_action(copy, user="U7", response_url=wire.fake.response_url()))
    [posted] = await wire.fake.wait_for("chat.postMessage")
    assert wire.fake.calls_to("conversations.open")[0].args["users"] == "U7"
    assert posted.args["channel"] == "DU7"
    assert posted.args["blocks"][0] == answer["blocks"][0]
    assert "Send me a copy" not in texts(posted.args["blocks"])
    [note] = await wire.fake.wait_for("response_url")
    assert "direct messages" in note.args["text"] and note.args["replace_original"] is False


async def test_home_tab_lists_situations_and_feature_sections(wire: Wire, runtime: Runtime) -> None:
    async def review_status(identity: Identity) -> list[Section]:
        return [Section(f"Review due for member {identity.member.id}", heading="Your policy review")]

    runtime.extras.setdefault("home_sections", []).append(review_status)
    event = {"type": "app_home_opened", "user": "U3", "channel": "DU3", "tab": "home"}
    response = await wire.post(json.dumps(event_body(event, event_id="EvHome")), json_body=True)
    assert response.status == 200
    [published] = await wire.fake.wait_for("views.publish")
    assert published.args["user_id"] == "U3"
    view = published.args["view"]
    assert view["type"] == "home"
    buttons = elements(view["blocks"], "button")
    assert {s.key for s in runtime.catalogue} <= {b["value"] for b in buttons}
    assert "Your policy review" in texts(view["blocks"])
    assert len(view["blocks"]) <= 100


async def test_situation_button_on_home_opens_the_script_in_a_modal(wire: Wire) -> None:
    home = {"id": "VHOME", "type": "home", "hash": "h"}
    action = {"type": "button", "action_id": "boundary.new.h0", "value": "friend-request"}
    await wire.interact(block_action(action, view=home))
    [opened] = await wire.fake.wait_for("views.open")
    assert opened.args["trigger_id"] == "tr-action"
    assert opened.args["view"]["type"] == "modal"
    assert len(opened.args["view"]["title"]["text"]) <= 24


async def test_event_retried_three_times_takes_effect_once(wire: Wire, runtime: Runtime) -> None:
    joined: list[PlatformEvent] = []

    async def record(event: PlatformEvent) -> None:
        joined.append(event)

    runtime.core.subscribe(MemberJoined, record)
    event = {
        "type": "team_join",
        "user": {"id": "UNEW", "real_name": "New Clinician", "tz": "America/Chicago"},
    }
    body = json.dumps(event_body(event, event_id="EvJoin"))
    home = json.dumps(event_body({"type": "app_home_opened", "user": "U3", "tab": "home"}, event_id="EvH2"))
    for attempt in range(4):
        retry = {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"} if attempt else {}
        assert (await wire.post(body, json_body=True, headers=retry)).status == 200
        assert (await wire.post(home, json_body=True, headers=retry)).status == 200
    await wire.fake.wait_for("views.publish")
    await settle(wire.fake)  # give any wrongly repeated follow-up time to show itself
    assert len(wire.fake.calls_to("views.publish")) == 1
    assert joined == [
        MemberJoined("slack", "T0FAKE", "UNEW", user_name="New Clinician", timezone="America/Chicago")
    ]


async def test_thread_replies_and_departures_reach_the_core(wire: Wire, runtime: Runtime) -> None:
    seen: list[PlatformEvent] = []

    async def record(event: PlatformEvent) -> None:
        seen.append(event)

    runtime.core.subscribe(ThreadReply, record)
    runtime.core.subscribe(MemberDeparted, record)
    reply = {
        "type": "message",
        "channel": "CCONSULT",
        "user": "U5",
        "text": "x",
        "ts": "2.0",
        "thread_ts": "1.0",
    }
    top = {"type": "message", "channel": "CCONSULT", "user": "U5", "text": "x", "ts": "3.0"}
    bot = {**reply, "ts": "4.0", "bot_id": "BOTHER"}
    gone = {"type": "user_change", "user": {"id": "U9", "deleted": True}}
    for n, event in enumerate([reply, top, bot, gone]):
        assert (
            await wire.post(json.dumps(event_body(event, event_id=f"EvT{n}")), json_body=True)
        ).status == 200
    await settle(wire.fake)
    assert ThreadReply("slack", "T0FAKE", "CCONSULT", "1.0", "U5") in seen
    assert MemberDeparted("slack", "T0FAKE", "U9") in seen
    assert len(seen) == 2


async def test_shortcut_opens_the_picker_and_a_pick_updates_the_modal(wire: Wire, runtime: Runtime) -> None:
    shortcut = {
        "type": "shortcut",
        "callback_id": "boundary_find",
        "trigger_id": "tr-shortcut",
        "team": {"id": "T0FAKE", "domain": "fakepractice"},
        "user": {"id": "U1", "team_id": "T0FAKE"},
    }
    assert (await wire.interact(shortcut)).status == 200
    [opened] = await wire.fake.wait_for("views.open")
    assert opened.args["trigger_id"] == "tr-shortcut"
    view = opened.args["view"]
    select = elements(view["blocks"], "static_select")[0]
    assert len(select["options"]) == len(list(runtime.catalogue))
    modal = {**view, "id": "VMODAL", "hash": "h1"}
    picked = {**select, "selected_option": next(o for o in select["options"] if o["value"] == "invitation")}
    await wire.interact(block_action(picked, view=modal))
    [updated] = await wire.fake.wait_for("views.update")
    invitation = runtime.catalogue.get("invitation")
    assert invitation is not None
    assert updated.args["view_id"] == "VMODAL"
    assert updated.args["view"]["blocks"][0]["text"]["text"] == invitation.title
