"""People who arrive mid-cycle: a clinician first seen through any command, an admin added later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.reviews.conftest import Practice_, inbound, task_id

BERLIN = "Europe/Berlin"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def test_clinician_first_seen_through_a_script_gets_a_review_at_once(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    start = utc(2026, 3, 2, 15, 0)  # a Monday, 16:00 in Berlin
    assert await reviews.tick_at(start) == ["UBEN"]
    # Two days later someone new asks for a script: no join event ever arrived for them.
    reviews.clock.set(start + timedelta(days=2))
    reply = await reviews.runtime.core.handle(inbound("friend-request", "UNEW", tz=BERLIN))
    assert reply.situation == "friend-request"
    assert await reviews.tick_at(start + timedelta(days=2, minutes=1)) == ["UNEW"], "within working hours"
    nudge = reviews.notifier.to("UNEW")[0]
    assert task_id(nudge), "the nudge carries its Done button"


async def test_admin_added_mid_cycle_gets_the_pending_summary(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    reviews.join("UDAN", BERLIN)
    start = utc(2026, 3, 2, 15, 0)
    await reviews.tick_at(start)  # the cycle opens with no added admin
    await reviews.say(f"reviews done {task_id(reviews.notifier.to('UDAN')[0])}", "UDAN")
    reviews.clock.set(start + timedelta(days=5))
    assert (await reviews.say("admin add UDAN", "UOWNER", admin=True)).ok
    await reviews.tick_at(start + timedelta(days=20))
    got = await reviews.tick_at(utc(2026, 3, 23, 8, 0))  # three weeks on, 09:00 Berlin
    assert "UDAN" in got
    summary = "\n".join(section.body for section in reviews.notifier.to("UDAN")[-1].sections)
    assert "uben" in summary and "udan" not in summary


async def test_workspace_admin_who_only_asks_for_scripts_still_gets_the_summary(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    start = utc(2026, 3, 2, 15, 0)
    await reviews.tick_at(start)
    reviews.clock.set(start + timedelta(days=1))
    owner = inbound("friend-request", "UOWNER", tz=BERLIN, admin=True)
    assert (await reviews.runtime.core.handle(owner)).situation == "friend-request"
    got = await reviews.tick_at(utc(2026, 3, 23, 8, 0))  # three weeks on, 09:00 Berlin
    assert "UOWNER" in got
    summary = "\n".join(section.body for section in reviews.notifier.to("UOWNER")[-1].sections)
    assert "uben" in summary
