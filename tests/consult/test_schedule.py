"""Time-driven consultation work with the fake clock: the unanswered bump and the retention purge."""

from __future__ import annotations

from adapters.runtime import Runtime
from bot.messages import ThreadReply
from bot.records import Practice
from bot.services.consultation import ConsultationService
from tests.consult.conftest import CHANNEL, TEAM, RecordingNotifier, clean_values, inbound, submit, text_of
from tests.fakes import FakeClock


async def make_admin(runtime: Runtime, user: str) -> None:
    reply = await runtime.core.handle(inbound(f"/boundary admin add <@{user}>", "U0ADMIN", admin=True))
    assert reply.ok


async def test_unanswered_consultation_is_bumped_once_after_24_hours_and_admins_told(
    runtime: Runtime,
    channel_set: Practice,
    notifier: RecordingNotifier,
    service: ConsultationService,
    clock: FakeClock,
) -> None:
    await make_admin(runtime, "U0LEAD")
    await make_admin(runtime, "U0SHARES")
    await submit(runtime, clean_values())
    thread = notifier.roots()[0].message_id
    await runtime.core.handle(inbound("/boundary consult step-aside C-2026-0001", "U0SHARES"))

    clock.advance(hours=23, minutes=59)
    assert (await service.tick()).bumped == 0
    assert notifier.in_thread(thread) == []

    clock.advance(minutes=1)
    assert (await service.tick()).bumped == 1
    [bump] = notifier.in_thread(thread)
    assert "C-2026-0001" in bump.reply.title and "24 hours" in text_of(bump.reply)
    [note] = notifier.directs_to("U0LEAD")
    assert "C-2026-0001" in text_of(note) and "24 hours" in text_of(note)
    assert notifier.directs_to("U0SHARES") == []  # stepped aside: no reminders about it
    assert notifier.directs_to("U0ASKER") == []

    clock.advance(hours=30)
    assert (await service.tick()).bumped == 0
    assert len(notifier.in_thread(thread)) == 1


async def test_urgent_consultations_are_bumped_after_4_hours(
    runtime: Runtime,
    channel_set: Practice,
    notifier: RecordingNotifier,
    service: ConsultationService,
    clock: FakeClock,
) -> None:
    await submit(runtime, clean_values(urgent="true"))
    await submit(runtime, clean_values())
    urgent_thread, normal_thread = (post.message_id for post in notifier.roots())

    clock.advance(hours=4)
    assert (await service.tick()).bumped == 1
    assert len(notifier.in_thread(urgent_thread)) == 1
    assert notifier.in_thread(normal_thread) == []


async def test_answered_or_resolved_consultations_are_not_bumped(
    runtime: Runtime,
    channel_set: Practice,
    notifier: RecordingNotifier,
    service: ConsultationService,
    clock: FakeClock,
) -> None:
    await submit(runtime, clean_values())
    await submit(runtime, clean_values())
    answered, _resolved = (post.message_id for post in notifier.roots())
    await runtime.core.notify(ThreadReply("slack", TEAM, CHANNEL, answered, "U0COLLEAGUE"))
    await runtime.core.handle(inbound("/boundary consult resolve C-2026-0002 Declined politely"))
    posts_before = len(notifier.posts)

    clock.advance(days=3)
    assert (await service.tick()).bumped == 0
    assert len(notifier.posts) == posts_before


async def test_the_practice_limits_are_an_admin_setting(
    runtime: Runtime,
    channel_set: Practice,
    notifier: RecordingNotifier,
    service: ConsultationService,
    clock: FakeClock,
) -> None:
    shown = await runtime.core.handle(inbound("/boundary admin consult-limits", "U0ADMIN", admin=True))
    assert "24 hours (4 when urgent)" in text_of(shown)
    bad = await runtime.core.handle(inbound("/boundary admin consult-limits 2 8", "U0ADMIN", admin=True))
    assert not bad.ok
    done = await runtime.core.handle(inbound("/boundary admin consult-limits 8 2", "U0ADMIN", admin=True))
    assert done.ok

    await submit(runtime, clean_values())
    clock.advance(hours=8)
    assert (await service.tick()).bumped == 1


async def test_a_failed_bump_is_retried_on_the_next_tick(
    runtime: Runtime,
    channel_set: Practice,
    notifier: RecordingNotifier,
    service: ConsultationService,
    clock: FakeClock,
) -> None:
    await submit(runtime, clean_values())
    clock.advance(hours=25)
    notifier.fail_channel = True
    assert (await service.tick()).bumped == 0
    notifier.fail_channel = False
    clock.advance(minutes=1)
    assert (await service.tick()).bumped == 1


async def test_text_is_purged_after_the_retention_period_keeping_reference_and_counts(
    runtime: Runtime,
    channel_set: Practice,
    notifier: RecordingNotifier,
    service: ConsultationService,
    clock: FakeClock,
) -> None:
    await submit(runtime, clean_values(situation="tagged"))
    await runtime.core.handle(inbound("/boundary consult resolve C-2026-0001 Raised it in session"))
    clock.advance(days=60)
    await submit(runtime, clean_values())

    clock.advance(days=30, seconds=1)  # the first is now just over 90 days old
    assert (await service.tick()).purged == 1
    first = service.find(channel_set.id, "C-2026-0001")
    second = service.find(channel_set.id, "C-2026-0002")
    assert first is not None and second is not None
    assert (first.text, first.question, first.outcome) == (None, None, None)
    assert (first.reference, first.situation, first.status) == ("C-2026-0001", "tagged", "resolved")
    assert first.opened_at is not None and first.resolved_at is not None and first.purged_at == clock.now()
    assert second.text == clean_values()["text"]

    listing = await runtime.core.handle(inbound("/boundary consult list"))
    assert "C-2026-0001" in text_of(listing) and "Raised it in session" not in text_of(listing)
    counts = await runtime.core.handle(inbound("/boundary admin consultations", "U0ADMIN", admin=True))
    assert "2 in all" in text_of(counts)
    assert (await service.tick()).purged == 0


async def test_a_shorter_retention_period_purges_sooner(
    runtime: Runtime,
    channel_set: Practice,
    notifier: RecordingNotifier,
    service: ConsultationService,
    clock: FakeClock,
) -> None:
    runtime.practices.update_settings(channel_set.id, retention_days=30)
    await submit(runtime, clean_values())
    clock.advance(days=31)
    assert (await service.tick()).purged == 1


async def test_the_scheduler_tick_runs_the_consultation_work(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    from adapters.scheduler import tick

    await submit(runtime, clean_values())
    thread = notifier.roots()[0].message_id
    await tick(runtime, clock.advance(hours=24))
    assert len(notifier.in_thread(thread)) == 1
