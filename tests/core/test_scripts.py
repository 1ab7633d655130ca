"""Script answers: what a clinician gets back for a situation, a variant, or loose words."""

from __future__ import annotations

import pytest

from bot.content.catalogue import Catalogue
from bot.core import Core
from bot.messages import ChoiceStyle, Delivery, Inbound, Visibility


def inbound(text: str) -> Inbound:
    return Inbound(text=text, platform="test", practice_ref="T1", user_ref="U1")


@pytest.fixture(scope="module")
def core() -> Core:
    return Core(Catalogue.load())


async def test_friend_request_has_all_five_variants(core: Core) -> None:
    reply = await core.handle(inbound("/boundary friend-request"))
    assert reply.variants == ("written", "sensitive", "in-session", "avoid", "document")
    assert reply.visibility is Visibility.PRIVATE
    assert "ACA A.5.e" in reply.citations
    bodies = " ".join(section.body for section in reply.sections)
    written = core.catalogue.get("friend-request").variants["written"].text  # type: ignore[union-attr]
    assert core.catalogue.fill(written) in bodies
    assert "{" not in bodies, "placeholders must be filled"


@pytest.mark.parametrize(
    ("typed", "variant"),
    [
        ("friend-request sensitive", "sensitive"),
        ("friend-request in-session", "in-session"),
        ("friend-request in session", "in-session"),
        ("Friend-Request AVOID", "avoid"),
        ("friend-request document", "document"),
    ],
)
async def test_variants_are_chosen_by_their_name(core: Core, typed: str, variant: str) -> None:
    reply = await core.handle(inbound(typed))
    assert (reply.situation, reply.variant) == ("friend-request", variant)
    selected = [choice for choice in reply.choices if choice.selected]
    assert [choice.command for choice in selected] == [f"friend-request {variant}"]


async def test_missing_variant_falls_back_and_says_so(core: Core) -> None:
    reply = await core.handle(inbound("client-search sensitive"))
    assert reply.situation == "client-search"
    assert reply.variant == "steps"
    assert "no *sensitive* variant" in reply.sections[0].body


async def test_free_text_finds_the_situation(core: Core) -> None:
    reply = await core.handle(inbound("/boundary client followed me on instagram"))
    assert reply.situation == "friend-request"


async def test_gibberish_gets_suggestions_not_an_error(core: Core) -> None:
    reply = await core.handle(inbound("/boundary asdfgh"))
    assert reply.situation is None
    assert reply.suggestions, "suggest the closest situations"
    assert all(key in core.catalogue for key in reply.suggestions)
    assert [choice.command for choice in reply.choices] == list(reply.suggestions)


async def test_bare_command_shows_the_menu(core: Core) -> None:
    reply = await core.handle(inbound("/boundary"))
    assert reply.choice_style is ChoiceStyle.SELECT
    assert {choice.command for choice in reply.choices} == set(core.catalogue.keys())


async def test_list_has_one_line_per_situation(core: Core) -> None:
    reply = await core.handle(inbound("/boundary list"))
    lines = reply.sections[0].body.splitlines()
    assert len(lines) == len(core.catalogue) >= 13


async def test_send_me_a_copy_goes_to_a_direct_message(core: Core) -> None:
    reply = await core.handle(inbound("friend-request sensitive"))
    copy = next(action for action in reply.actions if action.id == "copy")
    assert copy.delivery is Delivery.DM
    assert copy.command == "friend-request sensitive"
