"""Forms in Teams: a card with inputs; a rejected submission comes back with its errors and every
typed value kept; an accepted one replaces the form with the confirmation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp.test_utils import TestClient

from adapters.runtime import Runtime
from bot.messages import FieldOption, Form, FormField, Reply, text_reply
from bot.router import Request
from tests.teams.conftest import message
from tests.teams.fake_connector import FakeConnector
from tests.teams.test_wire import buttons, post, texts
from tests.teams.tokens import OpenIdServer


def note_form(values: Mapping[str, str] | None = None, errors: dict[str, str] | None = None) -> Form:
    values = values or {}
    return Form(
        id="test-note",
        title="Leave a note",
        submit_label="Save",
        fields=(
            FormField(
                "topic",
                "Topic",
                "select",
                (FieldOption("a", "Alpha"), FieldOption("b", "Beta")),
                values.get("topic"),
            ),
            FormField("text", "What happened", "textarea", value=values.get("text"), max_length=500),
            FormField("urgent", "Urgent", "boolean", value=values.get("urgent"), required=False),
        ),
        errors=errors or {},
    )


def install_note_form(runtime: Runtime) -> list[dict[str, str]]:
    received: list[dict[str, str]] = []

    async def ask(_request: Request) -> Reply:
        return Reply(title="Leave a note", form=note_form())

    async def submit(_request: Request, values: Mapping[str, str]) -> Reply:
        received.append(dict(values))
        if len(values.get("text", "").split()) < 3:
            return Reply(
                title="Leave a note", form=note_form(values, {"text": "Please write a sentence or two."})
            )
        return text_reply("Note saved", "Thank you.")

    runtime.core.router.command("note", ask, summary="leave a note")
    runtime.core.form("test-note", submit)
    return received


def inputs(card: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    assert card is not None
    return {item["id"]: item for item in card["body"] if item.get("type", "").startswith("Input.")}


async def test_form_card_errors_keep_values_then_confirmation_replaces_it(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    received = install_note_form(teams_runtime)
    await post(client, openid, message("boundary note", service_url=connector.url))
    form_card = connector.sent[0].card
    fields = inputs(form_card)
    assert fields["topic"]["type"] == "Input.ChoiceSet" and [
        c["value"] for c in fields["topic"]["choices"]
    ] == ["a", "b"]
    assert fields["text"]["type"] == "Input.Text" and fields["text"]["isMultiline"] is True
    assert fields["urgent"]["type"] == "Input.Toggle"
    (save,) = buttons(form_card)

    # Teams merges the inputs into the button's data.
    await post(
        client,
        openid,
        message(
            "",
            service_url=connector.url,
            value={**save["data"], "topic": "b", "text": "hm", "urgent": "true"},
            reply_to_id="msg-1000",
        ),
    )
    again = connector.sent[-1]
    assert received[-1] == {"topic": "b", "text": "hm", "urgent": "true"}
    assert again.method == "PUT" and again.activity_id == "msg-1000"
    kept = inputs(again.card)
    assert (
        kept["topic"]["value"] == "b" and kept["text"]["value"] == "hm" and kept["urgent"]["value"] == "true"
    )
    assert "Please write a sentence or two." in texts(again.card)

    await post(
        client,
        openid,
        message(
            "",
            service_url=connector.url,
            value={**save["data"], "topic": "b", "text": "A client tagged me today", "urgent": "false"},
            reply_to_id="msg-1000",
        ),
    )
    assert connector.sent[-1].method == "PUT" and "Note saved" in texts(connector.sent[-1].card)


async def test_a_form_that_no_longer_exists_says_so(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector
) -> None:
    await post(
        client, openid, message("", service_url=connector.url, value={"boundary": "form", "form_id": "gone"})
    )
    assert "expired" in texts(connector.sent[-1].card)
