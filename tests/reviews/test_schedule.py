"""The review schedule with a fake clock: time zones, working hours, follow-ups, snooze, escalation,
new and departed members, a policy change, downtime. Each test drives the real runtime (SQLite) and
reads what members would receive from a notifier that keeps a DM history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.messages import MemberDeparted, MemberJoined
from bot.services.reviews import working_slot, zone
from tests.reviews.conftest import TEAM, Practice_, inbound, task_id

LA, BERLIN, TOKYO = "America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def test_first_review_reaches_each_member_at_nine_in_their_own_zone(reviews: Practice_) -> None:
    reviews.join("UANA", LA)
    reviews.join("UBEN", BERLIN)
    reviews.join("UCHI", TOKYO)
    # Monday 15:00 UTC: 16:00 in Berlin (working hours), 07:00 in LA, 00:00 Tuesday in Tokyo.
    assert await reviews.tick_at(utc(2026, 3, 2, 15, 0)) == ["UBEN"]
    assert await reviews.tick_at(utc(2026, 3, 2, 16, 59)) == []
    assert await reviews.tick_at(utc(2026, 3, 2, 17, 0)) == ["UANA"]  # 09:00 in Los Angeles
    assert await reviews.tick_at(utc(2026, 3, 3, 0, 0)) == ["UCHI"]  # 09:00 Tuesday in Tokyo
    assert await reviews.tick_at(utc(2026, 3, 3, 1, 0)) == []


async def test_yearly_review_date_opens_the_next_cycle_in_every_zone(reviews: Practice_) -> None:
    reviews.join("UANA", LA)
    reviews.join("UBEN", BERLIN)
    reviews.join("UCHI", TOKYO)
    answer = await reviews.say("admin review-date 03-01", "UBOSS", admin=True)
    assert answer.ok and "03-01" in answer.sections[0].body
    await reviews.tick_at(utc(2026, 3, 4, 18, 0))
    await reviews.tick_at(utc(2026, 3, 5, 18, 0))  # everyone's first review has come by now
    for user in ("UANA", "UBEN", "UCHI", "UBOSS"):
        first = reviews.notifier.to(user)[0]
        assert (await reviews.say(f"reviews done {task_id(first)}", user)).ok
    before = len(reviews.notifier.sent)
    # Nothing until the review date has begun somewhere; then each member at 09:00 local, Monday 1 March 2027.
    assert await reviews.tick_at(utc(2027, 2, 28, 9, 0)) == []
    assert await reviews.tick_at(utc(2027, 3, 1, 0, 0)) == ["UCHI"]
    assert await reviews.tick_at(utc(2027, 3, 1, 8, 0)) == ["UBEN"]  # 09:00 CET
    assert await reviews.tick_at(utc(2027, 3, 1, 9, 0)) == ["UBOSS"]  # no zone known: the practice's (UTC)
    assert await reviews.tick_at(utc(2027, 3, 1, 17, 0)) == ["UANA"]
    assert len(reviews.notifier.sent) == before + 4
    status = await reviews.say("admin reviews", "UBOSS", admin=True)
    assert "0 of 4 done" in status.title and "2027" in status.title


def test_working_hours_roll_evenings_and_weekends_to_the_next_working_morning() -> None:
    berlin = zone(BERLIN)
    friday_evening = datetime(2026, 3, 6, 18, 30, tzinfo=berlin)
    assert working_slot(friday_evening, berlin) == datetime(2026, 3, 9, 9, 0, tzinfo=berlin)
    saturday = datetime(2026, 3, 7, 11, 0, tzinfo=berlin)
    assert working_slot(saturday, berlin) == datetime(2026, 3, 9, 9, 0, tzinfo=berlin)
    tuesday_early = datetime(2026, 3, 3, 6, 0, tzinfo=berlin)
    assert working_slot(tuesday_early, berlin) == datetime(2026, 3, 3, 9, 0, tzinfo=berlin)
    inside = datetime(2026, 3, 3, 16, 59, tzinfo=berlin)
    assert working_slot(inside, berlin) == inside
    assert zone("Not/AZone", "Also/Wrong").key == "UTC"


async def test_dm_carries_policy_link_both_checklists_and_three_buttons(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    assert (
        await reviews.say(
            "admin policy-url <https://intranet.example.org/policy|policy>", "UBOSS", admin=True
        )
    ).ok
    await reviews.tick_at(utc(2026, 3, 2, 15, 0))
    dm = reviews.notifier.to("UBEN")[0]
    text = "\n".join(section.body for section in dm.sections)
    assert "https://intranet.example.org/policy" in text
    headings = [section.heading for section in dm.sections]
    assert "The practice's ten policy points" in headings and "Your personal privacy checks" in headings
    assert text.count("\n10. ") == 1
    assert [action.label for action in dm.actions] == ["Done", "Snooze a week", "Remind me tomorrow"]
    assert reviews.notifier.sent[0].metadata["delivery"].startswith("boundary-review-")


async def test_follow_ups_at_one_and_two_weeks_then_stop_when_done(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    reviews.join("UDAN", BERLIN)
    start = utc(2026, 3, 2, 15, 0)
    assert sorted(await reviews.tick_at(start)) == ["UBEN", "UDAN"]
    assert await reviews.tick_at(start + timedelta(days=6, hours=23)) == []
    assert sorted(await reviews.tick_at(start + timedelta(days=7))) == ["UBEN", "UDAN"]
    dan_task = task_id(reviews.notifier.to("UDAN")[0])
    done = await reviews.say(f"reviews done {dan_task}", "UDAN")
    assert done.ok and "never your answers" in done.sections[0].body
    assert await reviews.tick_at(start + timedelta(days=14)) == ["UBEN"]
    assert await reviews.tick_at(start + timedelta(days=30)) == []
    assert len(reviews.notifier.to("UBEN")) == 3 and len(reviews.notifier.to("UDAN")) == 2
    again = await reviews.say(f"reviews done {dan_task}", "UDAN")
    assert again.title == "Already done"


async def test_a_member_cannot_close_someone_elses_review(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    reviews.join("UDAN", BERLIN)
    await reviews.tick_at(utc(2026, 3, 2, 15, 0))
    ben_task = task_id(reviews.notifier.to("UBEN")[0])
    refused = await reviews.say(f"reviews done {ben_task}", "UDAN")
    assert not refused.ok
    assert not (await reviews.say("reviews done not-a-number", "UDAN")).ok
    assert await reviews.tick_at(utc(2026, 3, 9, 15, 0)) == ["UBEN", "UDAN"]


async def test_snooze_a_week_replaces_the_one_week_follow_up(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    start = utc(2026, 3, 2, 15, 0)
    await reviews.tick_at(start)
    reviews.clock.set(start + timedelta(minutes=30))  # 16:30 in Berlin
    snoozed = await reviews.say(f"reviews snooze {task_id(reviews.notifier.to('UBEN')[0])}", "UBEN")
    assert snoozed.ok and "9 Mar 2026" in snoozed.sections[0].body
    assert await reviews.tick_at(start + timedelta(days=7)) == []  # the fixed follow-up is skipped
    assert await reviews.tick_at(start + timedelta(days=7, hours=1)) == ["UBEN"]  # the snooze reminder
    assert await reviews.tick_at(start + timedelta(days=14)) == ["UBEN"]  # the two-week follow-up still comes
    assert len(reviews.notifier.to("UBEN")) == 3


async def test_remind_me_tomorrow_comes_next_working_day(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    friday = utc(2026, 3, 6, 14, 0)  # 15:00 in Berlin
    await reviews.tick_at(friday)
    reviews.clock.set(friday)
    answer = await reviews.say(f"reviews tomorrow {task_id(reviews.notifier.to('UBEN')[0])}", "UBEN")
    assert answer.ok
    assert await reviews.tick_at(utc(2026, 3, 7, 14, 0)) == []  # Saturday: no work nudges
    assert await reviews.tick_at(utc(2026, 3, 9, 8, 0)) == ["UBEN"]  # Monday 09:00 Berlin


async def test_three_weeks_in_admins_get_a_summary_of_who_is_pending(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    reviews.join("UDAN", BERLIN)
    reviews.join("UBOSS", BERLIN)
    assert (await reviews.say("admin add UBOSS", "UOWNER", admin=True)).ok
    start = utc(2026, 3, 2, 15, 0)
    await reviews.tick_at(start)
    await reviews.say(f"reviews done {task_id(reviews.notifier.to('UDAN')[0])}", "UDAN")
    await reviews.say(f"reviews done {task_id(reviews.notifier.to('UBOSS')[0])}", "UBOSS")
    await reviews.tick_at(start + timedelta(days=20))
    summary_time = utc(2026, 3, 23, 8, 0)  # three weeks after 2 March, 09:00 Berlin
    got = await reviews.tick_at(summary_time)
    assert "UBOSS" in got
    summary = reviews.notifier.to("UBOSS")[-1]
    text = "\n".join(section.body for section in summary.sections)
    assert "uben" in text and "udan" not in text
    assert "of 4 members" in text


async def test_new_member_gets_a_review_at_once_and_departed_member_gets_nothing(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    reviews.join("UEVE", BERLIN)
    start = utc(2026, 3, 2, 15, 0)
    await reviews.tick_at(start)
    await reviews.runtime.core.notify(MemberDeparted("slack", TEAM, "UEVE"))
    reviews.clock.set(start + timedelta(days=3))
    await reviews.runtime.core.notify(MemberJoined("slack", TEAM, "UFAY", "fay", BERLIN))
    assert await reviews.tick_at(start + timedelta(days=3)) == ["UFAY"]
    later = []
    for day in (10, 17, 30):
        later += await reviews.tick_at(start + timedelta(days=day))
    assert "UEVE" not in later
    assert reviews.notifier.users().count("UEVE") == 1
    assert reviews.notifier.users().count("UFAY") == 3  # initial and two follow-ups
    status = await reviews.say("admin reviews", "UBEN", admin=True)
    assert "eve" not in "\n".join(section.body for section in status.sections)


async def test_new_policy_version_opens_a_new_cycle_for_everyone(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    reviews.join("UDAN", BERLIN)
    start = utc(2026, 3, 2, 15, 0)
    await reviews.tick_at(start)
    await reviews.say(f"reviews done {task_id(reviews.notifier.to('UDAN')[0])}", "UDAN")
    old_ben_task = task_id(reviews.notifier.to("UBEN")[0])
    reviews.clock.set(start + timedelta(days=2))
    changed = await reviews.say("admin policy-version 2026.2", "UBOSS", admin=True)
    assert changed.ok and "new review" in changed.title.lower()
    got = await reviews.tick_at(start + timedelta(days=2))
    assert sorted(got) == ["UBEN", "UBOSS", "UDAN"]
    assert "version 2026.2" in reviews.notifier.to("UDAN")[-1].sections[0].body
    # The old cycle's reminders are gone: at +7 days only the new cycle's follow-ups (due +9 days) remain.
    assert await reviews.tick_at(start + timedelta(days=7)) == []
    closed = await reviews.say(f"reviews done {old_ben_task}", "UBEN")
    assert closed.title == "This review has closed"
    audit = reviews.runtime.audit.list_for_practice(reviews.practice().id)
    assert [entry.action for entry in audit][:1] == ["settings.policy_version"]
    same = await reviews.say("admin policy-version 2026.2", "UBOSS", admin=True)
    assert same.title == "No change"


async def test_after_downtime_a_member_gets_one_nudge_not_a_pile(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    start = utc(2026, 3, 2, 15, 0)
    await reviews.tick_at(start)
    # The service was down for three weeks: both follow-ups are overdue at once.
    assert await reviews.tick_at(start + timedelta(days=22)) == ["UBEN"]
    assert await reviews.tick_at(start + timedelta(days=22, minutes=1)) == []


async def test_one_members_failure_does_not_block_the_others_and_shows_in_status(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    reviews.join("UDAN", BERLIN)
    reviews.notifier.failing.add("UDAN")
    start = utc(2026, 3, 2, 15, 0)
    assert await reviews.tick_at(start) == ["UBEN"]
    status = await reviews.say("admin reviews", "UBOSS", admin=True)
    text = "\n".join(section.body for section in status.sections)
    assert "udan" in text and "delivery problem: ConnectionError" in text
    reviews.notifier.failing.clear()
    assert "UDAN" not in await reviews.tick_at(start + timedelta(seconds=30))  # backing off
    assert "UDAN" in await reviews.tick_at(start + timedelta(minutes=1))
    assert reviews.notifier.users().count("UDAN") == 1


async def test_member_sees_own_status_and_admin_commands_check_input(reviews: Practice_) -> None:
    reviews.join("UBEN", BERLIN)
    mine = await reviews.say("reviews", "UBEN")
    assert "Not done yet" in mine.sections[0].body and mine.actions[0].label == "Done"
    assert not (await reviews.say("admin review-date 13-40", "UBOSS", admin=True)).ok
    assert not (await reviews.say("admin policy-url not a link", "UBOSS", admin=True)).ok
    assert not (await reviews.say("admin policy-version", "UBOSS", admin=True)).ok
    refused = await reviews.say("admin review-date 03-01", "UBEN")
    assert not refused.ok
    assert (await reviews.say("admin review-date 02-29", "UBOSS", admin=True)).ok
    actions = [entry.action for entry in reviews.runtime.audit.list_for_practice(reviews.practice().id)]
    assert actions == ["settings.review_date"]
    home = reviews.runtime.extras["home_sections"]
    identity = reviews.runtime.directory.identify(inbound("help", "UBEN"))
    sections = [section for fn in home for section in await fn(identity)]
    assert any("Yearly review" in (section.heading or "") for section in sections)
