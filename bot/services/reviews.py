"""The yearly policy and privacy review: cycles, tasks and when each nudge is due.

A practice has one review cycle a year (on its review date; by default the anniversary of
installation) and a new one whenever the policy version changes (a material change). Each active
member has a task in the current cycle. A task owns its deliveries, one row per step:

- `initial`: the review date, at the member's next working-hours slot in their own time zone;
- `followup-7`, `followup-14`: while not done, a week and two weeks later;
- `escalation`: on an admin's task, three weeks in: a summary of who is still pending;
- `snooze-N`, `tomorrow-N`: extra reminders the member asked for; fixed follow-ups that fall
  before such a reminder are skipped, so snoozing really quietens the nudges.

Only completed / not completed is stored, never the checklist answers. The rules here are pure;
the delivery engine (`bot.services.delivery`) sends what is due.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.messages import Action, Delivery, MemberDeparted, MemberJoined, Reply, Section
from bot.ports import MemberRepository, PracticeRepository
from bot.records import Member, Practice
from bot.services import checklist

WORKDAY_START = time(9, 0)
WORKDAY_END = time(17, 0)
FOLLOWUPS: tuple[tuple[str, int], ...] = (("followup-7", 7), ("followup-14", 14))
ESCALATION_DAYS = 21
ESCALATION = "escalation"
INITIAL = "initial"
#: Steps a member sees; an escalation goes to an admin about others.
NUDGE_PREFIXES = (INITIAL, "followup-", "snooze-", "tomorrow-")
#: The earliest time zone is UTC+14: a cycle opens when its review date has begun anywhere.
EARLIEST_OFFSET = timedelta(hours=14)

PENDING, DONE, SUPERSEDED, DEPARTED = "pending", "done", "superseded", "departed"


@dataclass(frozen=True)
class ReviewCycle:
    id: int
    practice_id: int
    year: int
    policy_version: str
    #: The review date (midnight UTC of that date): nudges are due on it in each member's zone.
    opens_at: datetime


@dataclass(frozen=True)
class ReviewTask:
    """One member's review in one cycle. `status`: pending, done, superseded, departed."""

    id: int
    practice_id: int
    cycle_id: int
    member_id: int
    status: str
    created_at: datetime
    completed_at: datetime | None = None
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class DeliveryRecord:
    """One nudge. `state`: pending, claimed, sent, skipped, failed, cancelled."""

    id: int
    task_id: int
    step: str
    recipient_id: int
    scheduled_at: datetime
    state: str
    attempts: int = 0
    last_error: str | None = None
    message_id: str | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class PlannedDelivery:
    step: str
    due_at: datetime
    recipient_id: int


@dataclass(frozen=True)
class PlannedTask:
    member_id: int
    deliveries: tuple[PlannedDelivery, ...]


@dataclass(frozen=True)
class TaskStatus:
    """A row of `reviews status` and the export: no answers, only progress."""

    task: ReviewTask
    member: Member
    followups_sent: int
    nudges_sent: int
    failed: int
    last_error: str | None
    next_due: datetime | None


@dataclass(frozen=True)
class PracticeCycle:
    practice_id: int
    cycle: ReviewCycle | None


class ReviewStore(Protocol):
    """Durable review state (storage implements it; the scheduler keeps none)."""

    def latest_cycles(self) -> Mapping[int, ReviewCycle]: ...

    def current_cycle(self, practice_id: int) -> ReviewCycle | None: ...

    def cycles_in_year(self, year: int) -> Sequence[ReviewCycle]: ...

    def open_cycle(
        self, practice_id: int, year: int, policy_version: str, opens_at: datetime
    ) -> tuple[ReviewCycle, bool]: ...

    def supersede_before(self, practice_id: int, cycle_id: int) -> int: ...

    def add_tasks(
        self, practice_id: int, cycle_id: int, plans: Sequence[PlannedTask], now: datetime
    ) -> int: ...

    def task_for(self, cycle_id: int, member_id: int) -> ReviewTask | None: ...

    def get_task(self, practice_id: int, task_id: int) -> ReviewTask | None: ...

    def add_delivery(self, task_id: int, planned: PlannedDelivery) -> bool: ...

    def deliveries(self, task_id: int) -> Sequence[DeliveryRecord]: ...

    def complete(self, practice_id: int, task_id: int, now: datetime) -> bool: ...

    def snooze(self, practice_id: int, task_id: int, until: datetime, planned: PlannedDelivery) -> bool: ...

    def depart(self, practice_id: int, member_id: int) -> int: ...

    def status(self, practice_id: int, cycle_id: int) -> Sequence[TaskStatus]: ...


def zone(name: str | None, fallback: str | None = None) -> ZoneInfo:
    """The member's zone, else the practice's, else UTC; an unknown name never breaks a nudge."""
    for candidate in (name, fallback):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def member_zone(member: Member, practice: Practice) -> ZoneInfo:
    return zone(member.timezone, practice.timezone)


def working_slot(moment: datetime, tz: ZoneInfo) -> datetime:
    """The first moment at or after `moment` inside working hours (Mon-Fri 09:00-17:00 local)."""
    local = moment.astimezone(tz)
    day = local.date()
    for _ in range(8):
        if day.weekday() < 5:
            start = datetime.combine(day, WORKDAY_START, tzinfo=tz)
            end = datetime.combine(day, WORKDAY_END, tzinfo=tz)
            if local < start:
                return start.astimezone(UTC)
            if local < end:
                return local.astimezone(UTC)
        day += timedelta(days=1)
        local = datetime.combine(day, time(0), tzinfo=tz)
    raise AssertionError("a week always has a working day")


def morning_of(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, WORKDAY_START, tzinfo=tz).astimezone(UTC)


def review_date(practice: Practice, year: int) -> date:
    """The practice's review date in `year` (29 February becomes the 28th in other years)."""
    month = practice.review_month or practice.created_at.month
    day = practice.review_day or practice.created_at.day
    while day > 28:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1
    return date(year, month, day)


def parse_review_date(text: str) -> tuple[int, int] | None:
    """'03-01' -> (3, 1); also '3-1' and '03/01'. Any day that exists in a leap year is allowed."""
    parts = text.strip().replace("/", "-").split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return None
    month, day = int(parts[0]), int(parts[1])
    try:
        date(2028, month, day)
    except ValueError:
        return None
    return month, day


def initial_plan(
    member: Member, practice: Practice, cycle: ReviewCycle, now: datetime, admin_ids: frozenset[int]
) -> PlannedTask:
    """The initial nudge, the two follow-ups and (for admins) the escalation summary."""
    tz = member_zone(member, practice)
    base = cycle.opens_at.date()
    first = working_slot(max(now, morning_of(base, tz)), tz)
    deliveries = [PlannedDelivery(INITIAL, first, member.id)]
    deliveries += [
        PlannedDelivery(step, working_slot(first + timedelta(days=days), tz), member.id)
        for step, days in FOLLOWUPS
    ]
    if member.id in admin_ids:
        escalate = working_slot(max(now, morning_of(base + timedelta(days=ESCALATION_DAYS), tz)), tz)
        deliveries.append(PlannedDelivery(ESCALATION, escalate, member.id))
    return PlannedTask(member.id, tuple(deliveries))


def is_nudge(step: str) -> bool:
    return step.startswith(NUDGE_PREFIXES)


def next_numbered_step(prefix: str, existing: Sequence[DeliveryRecord]) -> str:
    used = [d.step for d in existing if d.step.startswith(prefix + "-")]
    return f"{prefix}-{len(used) + 1}"


@dataclass
class ReviewService:
    """Opens cycles, plans tasks, and applies a member's Done / Snooze / Tomorrow."""

    store: ReviewStore
    practices: PracticeRepository
    members: MemberRepository
    #: Known admins beyond `role == "admin"` (workspace admins seen using admin commands).
    extra_admins: dict[int, set[int]] = field(default_factory=dict)

    def admin_ids(self, practice_id: int) -> frozenset[int]:
        stored = {m.id for m in self.members.list_for_practice(practice_id) if m.role == "admin"}
        return frozenset(stored | self.extra_admins.get(practice_id, set()))

    # -- cycles ---------------------------------------------------------------------------------

    def plan(self, now: datetime) -> list[ReviewCycle]:
        """Open every cycle that is due (first contact, the yearly review date). Cheap when none is."""
        latest = self.store.latest_cycles()
        opened: list[ReviewCycle] = []
        for practice in self.practices.list_all():
            cycle = latest.get(practice.id)
            year = now.year
            if cycle is not None:
                if cycle.year >= year:
                    continue
                opens = datetime.combine(review_date(practice, year), time(0), tzinfo=UTC)
                if now < opens - EARLIEST_OFFSET:
                    continue
                opened.append(self.open(practice, year, opens, now))
            else:
                # A practice's first cycle opens at once: everyone is a new member.
                opened.append(self.open(practice, year, now, now))
        return opened

    def open(self, practice: Practice, year: int, opens_at: datetime, now: datetime) -> ReviewCycle:
        version = practice.policy_version or ""
        cycle, created = self.store.open_cycle(practice.id, year, version, opens_at)
        if created:
            self.store.supersede_before(practice.id, cycle.id)
        self.fill(practice, cycle, now)
        return cycle

    def material_change(self, practice: Practice, now: datetime) -> tuple[ReviewCycle, bool]:
        """A new policy version: a new cycle for everyone, starting now."""
        version = practice.policy_version or ""
        cycle, created = self.store.open_cycle(practice.id, now.year, version, now)
        if created:
            self.store.supersede_before(practice.id, cycle.id)
            self.fill(practice, cycle, now)
        return cycle, created

    def fill(self, practice: Practice, cycle: ReviewCycle, now: datetime) -> int:
        """A task for every active member who has none in this cycle (safe to repeat)."""
        admins = self.admin_ids(practice.id)
        plans = [
            initial_plan(member, practice, cycle, now, admins)
            for member in self.members.list_for_practice(practice.id)
        ]
        return self.store.add_tasks(practice.id, cycle.id, plans, now)

    # -- members --------------------------------------------------------------------------------

    def ensure_task(self, practice: Practice, member: Member, now: datetime) -> ReviewTask | None:
        """A member's task in the current cycle, created (due at the next working slot) if missing."""
        cycle = self.store.current_cycle(practice.id)
        if cycle is None:
            cycle = self.open(practice, now.year, now, now)
        task = self.store.task_for(cycle.id, member.id)
        if task is None and member.active:
            plan = initial_plan(member, practice, cycle, now, self.admin_ids(practice.id))
            self.store.add_tasks(practice.id, cycle.id, [plan], now)
            task = self.store.task_for(cycle.id, member.id)
        return task

    def note_admin(self, practice: Practice, member: Member, now: datetime) -> None:
        """A workspace admin used an admin command: make sure they get this cycle's summary."""
        self.extra_admins.setdefault(practice.id, set()).add(member.id)
        task = self.ensure_task(practice, member, now)
        cycle = self.store.current_cycle(practice.id)
        if task is None or cycle is None:
            return
        tz = member_zone(member, practice)
        due = working_slot(
            max(now, morning_of(cycle.opens_at.date() + timedelta(days=ESCALATION_DAYS), tz)), tz
        )
        self.store.add_delivery(task.id, PlannedDelivery(ESCALATION, due, member.id))

    async def joined(self, event: MemberJoined, now: datetime) -> None:
        practice = self.practices.find(event.platform, event.practice_ref)
        if practice is None:
            practice = self.practices.get_or_create(event.platform, event.practice_ref, None, now)
        member = self.members.get_or_create(practice.id, event.user_ref, event.user_name, event.timezone, now)
        if not member.active:
            member = self.members.set_active(practice.id, member.id, True)
        if event.timezone and event.timezone != member.timezone:
            member = self.members.update_profile(
                practice.id, member.id, display_name=member.display_name, timezone=event.timezone
            )
        self.ensure_task(practice, member, now)

    async def departed(self, event: MemberDeparted) -> None:
        practice = self.practices.find(event.platform, event.practice_ref)
        if practice is None:
            return
        member = self.members.find(practice.id, event.user_ref)
        if member is None:
            return
        if member.active:
            self.members.set_active(practice.id, member.id, False)
        self.store.depart(practice.id, member.id)

    # -- a member's answers ---------------------------------------------------------------------

    def own_task(self, practice: Practice, member: Member, task_id: int) -> ReviewTask | None:
        task = self.store.get_task(practice.id, task_id)
        return task if task is not None and task.member_id == member.id else None

    def snooze(
        self, practice: Practice, member: Member, task: ReviewTask, now: datetime, *, days: int
    ) -> datetime:
        """Snooze a week (`days=7`) or remind tomorrow (`days=1`); returns when the next nudge comes."""
        tz = member_zone(member, practice)
        prefix = "snooze" if days >= 7 else "tomorrow"
        for _ in range(3):
            step = next_numbered_step(prefix, self.store.deliveries(task.id))
            due = working_slot(now + timedelta(days=days), tz)
            if self.store.snooze(practice.id, task.id, due, PlannedDelivery(step, due, member.id)):
                return due
        return due


# -- what the member and the admins read -------------------------------------------------------


def nudge_reply(practice: Practice, cycle: ReviewCycle, task_id: int, step: str) -> Reply:
    """The DM: a short note, the policy link, the two-part checklist and three buttons."""
    opening = {
        INITIAL: "It is time for the practice's yearly look at our social-media policy and your own "
        "privacy settings. It takes about ten minutes.",
        "followup-7": "A gentle reminder: your yearly policy and privacy review is still open.",
        "followup-14": "Your yearly policy and privacy review is still open; two weeks have passed.",
    }.get(step, "Here is the policy and privacy review you asked to be reminded about.")
    if cycle.policy_version and step == INITIAL:
        opening += f" The policy is now at version {cycle.policy_version}."
    link = (
        f"Read the current policy: {practice.policy_url}"
        if practice.policy_url
        else "Your practice has not shared a policy link yet; ask an admin for the current copy."
    )
    sections = (
        Section(f"{opening}\n\n{link}"),
        Section(checklist.numbered(checklist.POLICY_POINTS), heading="The practice's ten policy points"),
        Section(checklist.bulleted(checklist.PRIVACY_CHECKS), heading="Your personal privacy checks"),
        Section(checklist.WHY),
    )
    actions = (
        Action("review-done", "Done", f"reviews done {task_id}", Delivery.REPLACE, primary=True),
        Action("review-snooze", "Snooze a week", f"reviews snooze {task_id}", Delivery.REPLACE),
        Action("review-tomorrow", "Remind me tomorrow", f"reviews tomorrow {task_id}", Delivery.REPLACE),
    )
    return Reply(title="Your yearly policy and privacy review", sections=sections, actions=actions)


def member_name(member: Member) -> str:
    return member.display_name or f"<@{member.external_id}>"


def escalation_reply(cycle: ReviewCycle, pending: Sequence[TaskStatus], total: int) -> Reply:
    names = "\n".join(f"- {member_name(row.member)}" for row in pending)
    return Reply(
        title="Policy review: three weeks in",
        sections=(
            Section(
                f"{total - len(pending)} of {total} members have finished the {cycle.year} policy and "
                "privacy review. Still pending after two reminders each:"
            ),
            Section(names or "- nobody"),
            Section(
                "A friendly word in person usually helps. `/boundary admin reviews` shows the full list."
            ),
        ),
    )
