"""Forms as modals: opened from a command or a button, errors keep the modal open, success confirms by DM.

A small test feature stands in for consultation, so these tests pin the Slack side only.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

import pytest

from adapters.runtime import Runtime
from adapters.slack import listeners
from bot.core import Core
from bot.messages import FieldOption, Form, FormField, Reply, text_reply
from bot.router import Request
from tests.slack.conftest import Wire
from tests.slack.signing import block_action

FIELDS = (
    FormField("question", "What would you like colleagues to weigh in on?", kind="textarea", max_length=2000),
    FormField("category", "Kind of situation", kind="select", options=(FieldOption("dm", "Direct message"),)),
    FormField("anonymous", "Post without my name", kind="boolean", required=False),
    FormField("title", "Short title", hint="A few words, no client details"),
)


class AskFeature:
    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []

    def register(self, core: Core) -> None:
        core.router.command("ask-test", self.open, summary="test form")
        core.form("ask-test", self.submit)

    async def open(self, request: Request) -> Reply:
        return Reply(title="Ask", form=Form("ask-test", "Ask colleagues about a dilemma", "Post it", FIELDS))

    async def submit(self, request: Request, values: Mapping[str, str]) -> Reply:
        self.received.append(dict(values))
        if not values.get("question", "").strip():
            fields = tuple(
                FormField(f.id, f.label, f.kind, f.options, values.get(f.id), f.required) for f in FIELDS
            )
            return Reply(
                title="Ask",
                form=Form(
                    "ask-test", "Ask", "Post it", fields, errors={"question": "Please describe the dilemma."}
                ),
            )
        return text_reply("Posted", "Your question is in the consultation channel as C-0042.")


@pytest.fixture
def feature(runtime: Runtime) -> AskFeature:
    feature = AskFeature()
    runtime.core.install(feature)
    return feature


def submission(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": "T0FAKE", "domain": "fakepractice"},
        "user": {"id": "U1", "team_id": "T0FAKE"},
        "trigger_id": "tr-submit",
        "view": {**view, "id": "VFORM", "state": {"values": values}},
    }


def typed(question: str) -> dict[str, Any]:
    return {
        "question": {"value": {"type": "plain_text_input", "value": question}},
        "category": {"value": {"type": "static_select", "selected_option": {"value": "dm"}}},
        "anonymous": {"value": {"type": "checkboxes", "selected_options": [{"value": "true"}]}},
        "title": {"value": {"type": "plain_text_input", "value": "Follow request"}},
    }


async def test_command_with_a_form_opens_a_modal(wire: Wire, feature: AskFeature) -> None:
    response = await wire.command("ask-test", channel="C42", trigger="tr-cmd")
    assert response.status == 200
    assert await response.read() == b""  # nothing posted in the channel: the modal is the answer
    [opened] = await wire.fake.wait_for("views.open")
    view = opened.args["view"]
    assert opened.args["trigger_id"] == "tr-cmd"
    assert view["type"] == "modal" and len(view["title"]["text"]) <= 24 and len(view["submit"]["text"]) <= 24
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    assert kinds == {
        "question": "plain_text_input",
        "category": "static_select",
        "anonymous": "checkboxes",
        "title": "plain_text_input",
    }
    question = next(b for b in view["blocks"] if b.get("block_id") == "question")
    assert question["element"]["multiline"] is True and question["element"]["max_length"] == 2000
    assert json.loads(view["private_metadata"]) == {"form": "ask-test", "channel": "C42"}


async def test_ask_colleagues_button_opens_the_form(wire: Wire, feature: AskFeature) -> None:
    button = {"type": "button", "action_id": "boundary.form.a1", "value": "ask-test"}
    await wire.interact(block_action(button, response_url=wire.fake.response_url()))
    [opened] = await wire.fake.wait_for("views.open")
    assert opened.args["view"]["callback_id"] == "boundary.form"


async def test_rejected_submission_keeps_the_modal_open_with_the_error(
    wire: Wire, feature: AskFeature
) -> None:
    await wire.command("ask-test")
    [opened] = await wire.fake.wait_for("views.open")
    response = await wire.interact(submission(opened.args["view"], typed("   ")))
    assert response.status == 200
    assert await response.json() == {
        "response_action": "errors",
        "errors": {"question": "Please describe the dilemma."},
    }
    assert wire.fake.calls_to("chat.postMessage") == []


async def test_accepted_submission_closes_and_confirms_by_dm(wire: Wire, feature: AskFeature) -> None:
    await wire.command("ask-test", channel="C42")
    [opened] = await wire.fake.wait_for("views.open")
    response = await wire.interact(
        submission(opened.args["view"], typed("Former client sent a follow request"))
    )
    assert response.status == 200 and await response.read() == b""
    assert feature.received[-1] == {
        "question": "Former client sent a follow request",
        "category": "dm",
        "anonymous": "true",
        "title": "Follow request",
    }
    [posted] = await wire.fake.wait_for("chat.postMessage")
    assert posted.args["channel"] == "DU1"
    assert "C-0042" in json.dumps(posted.args["blocks"])



class SlowFeature(AskFeature):
    """Like the ask form, but posting takes longer than Slack lets a view submission wait."""

    def register(self, core: Core) -> None:
        core.router.command("slow-test", self.open_slow, summary="slow test form")
        core.form("slow-test", self.submit_slowly)

    async def open_slow(self, request: Request) -> Reply:
        return Reply(title="Ask", form=Form("slow-test", "Ask colleagues", "Post it", FIELDS))

    finished = False

    async def submit_slowly(self, request: Request, values: Mapping[str, str]) -> Reply:
        await asyncio.sleep(1.0)  # e.g. a rate-limited channel post
        self.finished = True
        return await self.submit(request, values)


async def test_slow_submission_answers_slack_in_time_and_confirms_by_dm(
    wire: Wire, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack drops a view submission after 3 s: a slow post closes the modal at once, then confirms."""
    monkeypatch.setattr(listeners, "FORM_ACK_BUDGET", 0.2)
    slow = SlowFeature()
    runtime.core.install(slow)
    await wire.command("slow-test", channel="C42")
    [opened] = await wire.fake.wait_for("views.open")
    typed_in = typed("Former client sent a follow request")
    response = await wire.interact(submission(opened.args["view"], typed_in))
    assert response.status == 200 and await response.read() == b""
    assert not slow.finished, "Slack got its answer before the slow work was done"
    [posted] = await wire.fake.wait_for("chat.postMessage", timeout=5)
    assert posted.args["channel"] == "DU1"
    assert "C-0042" in json.dumps(posted.args["blocks"])
