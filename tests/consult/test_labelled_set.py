"""The privacy team's labelled texts, submitted as real consultations.

Every text labelled identifying must be refused (nothing stored, nothing posted, each finding quoted);
every text the screen passes must be posted verbatim. The form applies the screen, nothing looser.
"""

from __future__ import annotations

import json
from pathlib import Path

from adapters.runtime import Runtime
from bot.privacy import screen
from bot.records import Practice
from tests.consult.conftest import RecordingNotifier, clean_values, submit, text_of

LABELLED = Path(__file__).resolve().parents[1] / "privacy" / "data" / "phi_texts.jsonl"


def labelled() -> list[dict[str, object]]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


async def test_identifying_texts_never_reach_the_channel(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    items = labelled()
    assert len(items) > 100
    posted = 0
    for item in items:
        text = str(item["text"])[:2000]
        reply = await submit(runtime, clean_values(text=text))
        verdict = screen(text)
        if item["identifying"]:
            assert reply.form is not None and "text" in reply.form.errors, text
        if verdict.clean:
            assert reply.form is None, text
            posted += 1
            assert text in text_of(notifier.posts[-1].reply)
        else:
            assert reply.form is not None
            error = reply.form.errors["text"]
            assert all(f'"{finding.text}"' in error for finding in verdict.findings), text
            assert {f.id: f.value for f in reply.form.fields}["text"] == text  # nothing typed is lost
    assert len(notifier.posts) == posted
    for post in notifier.posts:
        assert screen(text_of(post.reply).split("What happened", 1)[1]).clean
