"""Every Slack client retries a 429 after Retry-After, and server errors, without blocking the loop."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.runtime import Runtime
from bot.messages import text_reply
from bot.records import Member, Practice
from tests.slack.fake_slack import FakeSlack


async def test_rate_limited_dm_is_sent_after_the_wait(runtime: Runtime, fake_slack: FakeSlack) -> None:
    fake_slack.program(
        "chat.postMessage", {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
    )
    notifier = runtime.notifiers["slack"]
    now = datetime(2026, 3, 2, tzinfo=UTC)
    practice = Practice(1, "slack", "T0FAKE", "Fake", now)
    member = Member(1, 1, "U1", "Clinician", None, "member", True, now)
    sent = await notifier.send_direct(
        practice, member, text_reply("Your yearly review", "It is time."), metadata={"task": "t-1"}
    )
    first, second = fake_slack.calls_to("chat.postMessage")
    assert second.at - first.at >= 0.95
    assert sent.message_id is not None
    assert second.args["metadata"] == {"event_type": "boundary_delivery", "event_payload": {"task": "t-1"}}


async def test_server_error_is_retried(runtime: Runtime, fake_slack: FakeSlack) -> None:
    fake_slack.program("chat.postMessage", {"ok": False, "error": "fatal_error"}, status=503)
    now = datetime(2026, 3, 2, tzinfo=UTC)
    practice = Practice(1, "slack", "T0FAKE", "Fake", now)
    sent = await runtime.notifiers["slack"].send_channel(
        practice, "CCONSULT", text_reply("Consultation", "x"), thread="1.0"
    )
    assert len(fake_slack.calls_to("chat.postMessage")) == 2
    assert sent.message_id is not None


async def test_find_direct_recognises_an_earlier_nudge(runtime: Runtime, fake_slack: FakeSlack) -> None:
    fake_slack.answer(
        "conversations.history",
        {
            "ok": True,
            "messages": [
                {"ts": "9.0", "text": "other"},
                {
                    "ts": "8.0",
                    "metadata": {"event_type": "boundary_delivery", "event_payload": {"task": "t-7"}},
                },
            ],
        },
    )
    now = datetime(2026, 3, 2, tzinfo=UTC)
    practice = Practice(1, "slack", "T0FAKE", "Fake", now)
    member = Member(1, 1, "U1", "Clinician", None, "member", True, now)
    notifier = runtime.notifiers["slack"]
    found = await notifier.find_direct(practice, member, "t-7")
    assert found is not None and found.message_id == "8.0"
    assert await notifier.find_direct(practice, member, "t-8") is None
    assert fake_slack.calls_to("conversations.history")[0].args["include_all_metadata"] in (True, "1", "true")


async def test_a_dm_channel_is_opened_once_per_person(runtime: Runtime, fake_slack: FakeSlack) -> None:
    """conversations.open is rate-limited far tighter than posting: nudges reuse the DM channel."""
    now = datetime(2026, 3, 2, tzinfo=UTC)
    practice = Practice(1, "slack", "T0FAKE", "Fake", now)
    alice = Member(1, 1, "U1", "Alice", None, "member", True, now)
    bo = Member(2, 1, "U2", "Bo", None, "member", True, now)
    notifier = runtime.notifiers["slack"]
    for member in (alice, bo, alice, alice):
        await notifier.send_direct(practice, member, text_reply("Your yearly review", "It is time."))
    opened = [call.args["users"] for call in fake_slack.calls_to("conversations.open")]
    assert sorted(opened) == ["U1", "U2"]
    posted = [call.args["channel"] for call in fake_slack.calls_to("chat.postMessage")]
    assert posted == ["DU1", "DU2", "DU1", "DU1"]
