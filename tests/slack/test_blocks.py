"""The Block Kit renderer keeps within Slack's limits whatever the reply, and every shipped script fits."""

from __future__ import annotations

import json

from adapters.runtime import Runtime
from adapters.slack.blocks import (
    ACTIONS_PER_BLOCK,
    MESSAGE_BLOCKS,
    SECTION_TEXT,
    SELECT_OPTIONS,
    TRUNCATED_NOTE,
    form_errors,
    form_view,
    mrkdwn,
    reply_blocks,
    split_text,
)
from bot.messages import Action, Choice, ChoiceStyle, Delivery, Form, FormField, Reply, Section


def check_limits(blocks: list[dict], limit: int = MESSAGE_BLOCKS) -> None:
    assert len(blocks) <= limit
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SECTION_TEXT
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "actions":
            assert len(block["elements"]) <= ACTIONS_PER_BLOCK
            for element in block["elements"]:
                if element["type"] == "button":
                    assert len(element["text"]["text"]) <= 75 and len(element["value"]) <= 2000
                if element["type"] == "static_select":
                    assert len(element["options"]) <= SELECT_OPTIONS
    ids = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(ids) == len(set(ids)), "action ids must be unique within a message"


def test_long_text_is_split_at_paragraphs_without_losing_words() -> None:
    paragraphs = [f"Paragraph {n}. " + "words " * 120 for n in range(20)]
    text = "\n\n".join(paragraphs)
    pieces = split_text(text)
    assert all(len(piece) <= SECTION_TEXT for piece in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())
    one_huge_word = "x" * 7000
    assert [len(p) for p in split_text(one_huge_word)] == [3000, 3000, 1000]


def test_a_reply_too_long_for_one_message_is_shortened_but_keeps_its_buttons() -> None:
    reply = Reply(
        title="T" * 200,
        sections=tuple(Section("line\n" * 400, heading=f"Part {n}") for n in range(60)),
        choices=tuple(Choice(f"Variant {n} " + "v" * 80, f"friend-request v{n}") for n in range(30)),
        actions=(Action("copy", "Send me a copy", "friend-request", Delivery.DM),),
        citations=("ACA A.5.e",),
        footer="Only you can see this.",
    )
    blocks = reply_blocks(reply)
    check_limits(blocks)
    assert TRUNCATED_NOTE in json.dumps(blocks)
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(buttons) == 31 and buttons[-1]["text"]["text"] == "Send me a copy"
    assert blocks[-1]["type"] == "context" and "ACA A.5.e" in json.dumps(blocks[-1])


def test_many_choices_as_a_select_are_split_into_menus_of_100() -> None:
    reply = Reply(
        title="Pick",
        choices=tuple(Choice(f"Situation {n}", f"s{n}", selected=n == 150) for n in range(250)),
        choice_style=ChoiceStyle.SELECT,
    )
    blocks = reply_blocks(reply)
    check_limits(blocks)
    selects = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [len(s["options"]) for s in selects] == [100, 100, 50]
    assert selects[1]["initial_option"]["value"] == "s150"


def test_every_shipped_script_and_variant_fits_in_a_message(runtime: Runtime) -> None:
    for situation in runtime.catalogue:
        for variant in situation.ordered_variants():
            check_limits(reply_blocks(runtime.core.scripts.script(situation.key, variant)))
    check_limits(reply_blocks(runtime.core.scripts.menu()))


def test_markup_bullets_and_escaping() -> None:
    assert (
        mrkdwn("- one\n- two & <three>\n<@U1> said hi") == "• one\n• two &amp; &lt;three&gt;\n<@U1> said hi"
    )


def test_form_modal_limits_and_error_mapping() -> None:
    form = Form(
        "f",
        "A very long title for a modal dialog",
        "Submit this consultation now",
        (
            FormField("question", "Q", kind="textarea"),
            FormField("anon", "Anonymous", kind="boolean", value="true"),
        ),
        errors={"question": "Too short.", "identifiers": "Remove the client's name."},
    )
    view = form_view(form, channel="C1")
    assert len(view["title"]["text"]) <= 24 and len(view["submit"]["text"]) <= 24
    anon = next(b for b in view["blocks"] if b["block_id"] == "anon")
    assert anon["optional"] is True and anon["element"]["initial_options"][0]["value"] == "true"
    assert form_errors(form) == {"question": "Too short. Remove the client's name."}
