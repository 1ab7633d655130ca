"""The Teams activity handler with botbuilder's TestAdapter: a 1:1 chat, no HTTP."""

from __future__ import annotations

from typing import Any

from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference

from adapters.runtime import Runtime
from adapters.teams.bot import BoundaryTeamsBot
from storage.repositories.teams import SqlConversationRefs
from tests.teams.conftest import TENANT
from tests.teams.test_wire import buttons, texts


def adapter_for(runtime: Runtime) -> tuple[TestAdapter, BoundaryTeamsBot]:
    bot = BoundaryTeamsBot(runtime, SqlConversationRefs(runtime.engine))
    template = ConversationReference(
        channel_id="msteams",
        service_url="https://test.invalid/",
        user=ChannelAccount(id="29:1-alice", name="Alice Moreno", aad_object_id="aad-alice"),
        bot=ChannelAccount(id="28:boundary", name="Boundary"),
        conversation=ConversationAccount(
            id="a:1-personal-alice", conversation_type="personal", tenant_id=TENANT
        ),
    )
    return TestAdapter(bot.on_turn, template), bot


def said(text: str = "", value: dict[str, Any] | None = None) -> Activity:
    """What Teams sends for a message in the 1:1 chat (the tenant travels in channelData)."""
    return Activity(
        type="message",
        text=text,
        value=value,
        channel_data={"tenant": {"id": TENANT}},
        from_property=ChannelAccount(id="29:1-alice", name="Alice Moreno", aad_object_id="aad-alice"),
        conversation=ConversationAccount(
            id="a:1-personal-alice", conversation_type="personal", tenant_id=TENANT
        ),
    )


def card_of(activity: Activity) -> dict[str, Any]:
    assert activity.attachments, "expected an Adaptive Card"
    content: dict[str, Any] = activity.attachments[0].content
    assert activity.attachments[0].content_type == "application/vnd.microsoft.card.adaptive"
    return content


async def test_script_answer_card_and_stored_reference(runtime: Runtime) -> None:
    adapter, bot = adapter_for(runtime)
    situation = runtime.catalogue.get("former-client")
    assert situation is not None

    def is_script(activity: Activity, description: str | None = None) -> None:
        card = card_of(activity)
        assert situation.title in texts(card)
        assert any("Send me a copy" in b["title"] for b in buttons(card))

    await (await adapter.send(said("boundary former-client"))).assert_reply(is_script)

    practice = runtime.practices.find("teams", TENANT)
    assert practice is not None
    member = runtime.members.find(practice.id, "aad-alice")
    assert member is not None
    stored = bot.references.get(practice.id, member.id)
    assert stored is not None and stored.conversation_id == "a:1-personal-alice"


async def test_help_and_unknown_words_answer_politely(runtime: Runtime) -> None:
    adapter, _bot = adapter_for(runtime)

    def mentions_help(activity: Activity, description: str | None = None) -> None:
        assert "help" in texts(card_of(activity)).lower()

    def suggests(activity: Activity, description: str | None = None) -> None:
        card = card_of(activity)
        assert "not sure" in texts(card).lower()

    await (await adapter.send(said("help"))).assert_reply(mentions_help)
    await (await adapter.send(said("boundary zzzz qqqq"))).assert_reply(suggests)


async def test_card_button_runs_its_command(runtime: Runtime) -> None:
    adapter, _bot = adapter_for(runtime)
    situation = runtime.catalogue.get("tagged")
    assert situation is not None
    press = said(value={"boundary": "command", "command": "tagged", "delivery": "new"})

    def is_tagged(activity: Activity, description: str | None = None) -> None:
        assert situation.title in texts(card_of(activity))

    await (await adapter.send(press)).assert_reply(is_tagged)
