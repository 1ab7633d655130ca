"""Adaptive Card text: what a clinician reads in Teams."""

from __future__ import annotations

import json

from adapters.teams.cards import render_reply
from bot.messages import Reply, Section


def test_channel_and_person_references_read_as_words() -> None:
    reply = Reply(
        title="A colleague answered",
        sections=(
            Section("<@29:1abc> replied to C-2026-0004 in <#19:deadbeef@thread.tacv2>."),
            Section("<@29:2def|Dana> stepped aside; see <#19:x@thread.tacv2|consultations>."),
        ),
    )
    text = json.dumps(render_reply(reply))
    assert "a colleague replied to C-2026-0004 in the consultation channel." in text
    assert "Dana stepped aside; see #consultations." in text
    assert "<#" not in text and "<@" not in text
