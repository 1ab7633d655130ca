"""The App Home tab: the situations as buttons, how to ask colleagues, and feature sections.

Other features add sections without touching this file: each callable in
`runtime.extras["home_sections"]` takes the viewer's `Identity` and returns `Section`s (the policy
review status, for one). A failing section is left out, never the whole tab.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from adapters.slack.blocks import VIEW_BLOCKS, Block, actions_blocks, button, plain, section_blocks
from bot.core import Core
from bot.messages import Section
from bot.records import Identity

log = logging.getLogger(__name__)

HomeSection = Callable[[Identity], Awaitable[list[Section]]]


def situation_buttons(core: Core) -> list[Block]:
    return [
        button(situation.title, f"boundary.new.h{n}", situation.key)
        for n, situation in enumerate(core.catalogue)
    ]


async def home_view(
    core: Core, identity: Identity, extra_sections: Sequence[HomeSection] = ()
) -> dict[str, Any]:
    blocks: list[Block] = [
        {"type": "header", "text": plain("Boundary", 150)},
        *section_blocks(
            [
                Section(
                    "Warm, firm words for digital boundary moments with clients, privately. "
                    "Pick a situation, or type `/boundary` and describe it in your own words anywhere."
                )
            ]
        ),
        {"type": "divider"},
        *section_blocks([Section("", heading="What happened?")]),
        *actions_blocks(situation_buttons(core), "boundary-home-situations-"),
        {"type": "divider"},
    ]
    if core.has_command("consult"):
        blocks += section_blocks(
            [
                Section(
                    "Describe a grey-area case without anything that could identify the client; Boundary "
                    "screens it, posts it to the practice's consultation channel and gives you a reference "
                    "number for your notes.",
                    heading="Ask colleagues",
                )
            ]
        )
        blocks += actions_blocks(
            [button("Ask colleagues", "boundary.form.home", "consult")], "boundary-home-consult-"
        )
    else:
        blocks += section_blocks(
            [
                Section(
                    "For a grey-area case, ask a colleague or your supervisor, and keep names, handles, "
                    "dates and places out of anything you write down.",
                    heading="Ask colleagues",
                )
            ]
        )
    for make in extra_sections:
        try:
            sections = await make(identity)
        except Exception as exc:  # one feature's failure must not blank the whole tab
            log.warning("a home section failed", extra={"error": type(exc).__name__})
            continue
        if sections:
            blocks += [{"type": "divider"}, *section_blocks(sections)]
    blocks.append(
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "Only you see this tab. `/boundary help` lists everything."}
            ],
        }
    )
    return {"type": "home", "blocks": blocks[:VIEW_BLOCKS]}
