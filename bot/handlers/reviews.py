"""`/boundary reviews` and the review admin commands; the buttons under a review nudge.

A member sees and closes their own review; admins set the review date, the policy link and version,
and see completion. Every admin change goes to the audit log as a fixed verb (`settings.review_date`)
with an id or a date as target, never free text. Nothing here records checklist answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.core import Core
from bot.messages import (
    Action,
    Delivery,
    MemberDeparted,
    MemberJoined,
    PlatformEvent,
    Reply,
    Section,
    text_reply,
)
from bot.ports import AuditLog, Clock
from bot.records import Identity, Member, Practice
from bot.router import Request
from bot.services.directory import Directory
from bot.services.reviews import (
    DONE,
    PENDING,
    ReviewService,
    ReviewTask,
    TaskStatus,
    member_name,
    member_zone,
    parse_review_date,
    review_date,
)

_URL = re.compile(r"^https?://[^\s<>|]+$", re.IGNORECASE)
_SLACK_LINK = re.compile(r"^<(https?://[^|>]+)(?:\|[^>]*)?>$", re.IGNORECASE)
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
STATUS_WORDS = {PENDING: "not done yet", DONE: "done", "superseded": "replaced by a newer cycle"}


def when(moment: datetime | None, member: Member, practice: Practice) -> str:
    """A moment in the reader's own time zone, e.g. 'Mon 2 Mar 2026, 09:00 (Europe/Paris)'."""
    if moment is None:
        return "-"
    tz = member_zone(member, practice)
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({tz.key})"


class ReviewHandlers:
    def __init__(self, service: ReviewService, directory: Directory, audit: AuditLog, clock: Clock) -> None:
        self.service = service
        self.directory = directory
        self.audit = audit
        self.clock = clock

    def register(self, core: Core) -> None:
        router = core.router
        router.command("reviews", self.mine, summary="your yearly policy and privacy review")
        router.command("reviews done", self.done, summary="mark your review done", hidden=True)
        router.command("reviews snooze", self.snooze_week, summary="snooze your review a week", hidden=True)
        router.command("reviews tomorrow", self.tomorrow, summary="remind me tomorrow", hidden=True)
        router.command(
            "admin review-date",
            self.set_review_date,
            summary="the yearly review date (month-day)",
            usage="admin review-date MM-DD",
            admin=True,
        )
        router.command(
            "admin policy-url",
            self.set_policy_url,
            summary="link to the practice's social-media policy",
            usage="admin policy-url URL",
            admin=True,
        )
        router.command(
            "admin policy-version",
            self.set_policy_version,
            summary="a new policy version: everyone reviews again",
            usage="admin policy-version V",
            admin=True,
        )
        router.command(
            "admin reviews", self.completion, summary="who has done this year's review", admin=True
        )
        core.subscribe(MemberJoined, self.on_event)
        core.subscribe(MemberDeparted, self.on_event)
        if core.directory is not None:
            # Someone first seen through any command is a member too: their first review starts now.
            core.directory.on_new_member.append(
                lambda practice, member: self.service.ensure_task(practice, member, self.clock.now())
            )
            # An admin added mid-cycle gets that cycle's summary of who is pending.
            core.directory.on_new_admin.append(
                lambda practice, member: self.service.note_admin(practice, member, self.clock.now())
            )

    async def on_event(self, event: PlatformEvent) -> None:
        if isinstance(event, MemberJoined):
            await self.service.joined(event, self.clock.now())
        elif isinstance(event, MemberDeparted):
            await self.service.departed(event)

    def audit_change(self, identity: Identity, action: str, target: str | None) -> None:
        self.audit.record(identity.practice.id, identity.member.id, action, target, self.clock.now())

    # -- members ----------------------------------------------------------------------------------

    async def mine(self, request: Request) -> Reply:
        identity = require(request)
        sections = tuple(await self.home_sections(identity))
        return Reply(
            title="Your policy and privacy review", sections=sections, actions=self._actions_for(identity)
        )

    def _actions_for(self, identity: Identity) -> tuple[Action, ...]:
        task = self.service.ensure_task(identity.practice, identity.member, self.clock.now())
        if task is None or task.status != PENDING:
            return ()
        return (
            Action("review-done", "Done", f"reviews done {task.id}", Delivery.REPLACE, primary=True),
            Action("review-snooze", "Snooze a week", f"reviews snooze {task.id}", Delivery.REPLACE),
            Action("review-tomorrow", "Remind me tomorrow", f"reviews tomorrow {task.id}", Delivery.REPLACE),
        )

    async def home_sections(self, identity: Identity) -> list[Section]:
        """The member's review status: for `/boundary reviews` and the Slack App Home."""
        practice, member = identity.practice, identity.member
        now = self.clock.now()
        task = self.service.ensure_task(practice, member, now)
        cycle = self.service.store.current_cycle(practice.id)
        link = (
            f"Policy: {practice.policy_url}" if practice.policy_url else "Policy: ask an admin for the link."
        )
        if task is None or cycle is None:
            return [Section("You have no review open.\n\n" + link, heading="Yearly review")]
        if task.status == DONE:
            body = f"Done on {when(task.completed_at, member, practice)}. Thank you."
        else:
            upcoming = [
                d.scheduled_at for d in self.service.store.deliveries(task.id) if d.state == "pending"
            ]
            nxt = min(upcoming) if upcoming else None
            body = f"Not done yet. Next reminder: {when(nxt, member, practice)}."
        next_date = review_date(
            practice, now.year if now.date() < review_date(practice, now.year) else now.year + 1
        )
        body += f"\n\nNext yearly review: {next_date:%d %B %Y}.\n{link}"
        return [Section(body, heading=f"Yearly review {cycle.year}")]

    def _task(self, request: Request) -> tuple[Identity, ReviewTask | None]:
        identity = require(request)
        arg = request.args.strip()
        task = None
        if arg.isdigit():
            task = self.service.own_task(identity.practice, identity.member, int(arg))
        return identity, task

    async def done(self, request: Request) -> Reply:
        identity, task = self._task(request)
        if task is None:
            return not_yours()
        if task.status == DONE:
            finished = when(task.completed_at, identity.member, identity.practice)
            return text_reply("Already done", f"You finished this review on {finished}. Nothing more to do.")
        if task.status != PENDING:
            return text_reply(
                "This review has closed", "A newer review replaced it; see `/boundary reviews`."
            )
        self.service.store.complete(identity.practice.id, task.id, self.clock.now())
        return text_reply(
            "Review done, thank you",
            "Recorded as done. Boundary keeps only that you finished and when, never your answers. "
            "No more reminders this cycle.",
        )

    async def snooze_week(self, request: Request) -> Reply:
        return await self._snooze(request, days=7)

    async def tomorrow(self, request: Request) -> Reply:
        return await self._snooze(request, days=1)

    async def _snooze(self, request: Request, *, days: int) -> Reply:
        identity, task = self._task(request)
        if task is None:
            return not_yours()
        if task.status != PENDING:
            return text_reply("Nothing to snooze", "This review is already closed; see `/boundary reviews`.")
        due = self.service.snooze(identity.practice, identity.member, task, self.clock.now(), days=days)
        return text_reply(
            "Snoozed" if days >= 7 else "See you tomorrow",
            f"I'll remind you {when(due, identity.member, identity.practice)}. "
            f"When you're ready sooner: `/boundary reviews done {task.id}`.",
        )

    # -- admins -----------------------------------------------------------------------------------

    async def set_review_date(self, request: Request) -> Reply:
        identity = self.directory.refresh(require(request))
        parsed = parse_review_date(request.args)
        if parsed is None:
            return text_reply(
                "Which date?",
                "Give a month and day as MM-DD, for example `/boundary admin review-date 03-01` for 1 March.",
                ok=False,
            )
        month, day = parsed
        practice = self.directory.practices.update_settings(
            identity.practice.id, review_month=month, review_day=day
        )
        self.directory.forget(practice.id)
        self.audit_change(identity, "settings.review_date", f"{month:02d}-{day:02d}")
        now = self.clock.now()
        year = now.year if now.date() < review_date(practice, now.year) else now.year + 1
        return text_reply(
            "Review date set",
            f"The yearly policy and privacy review now opens on {month:02d}-{day:02d} each year "
            f"(next: {review_date(practice, year):%d %B %Y}). Reviews already open keep their reminders.",
        )

    async def set_policy_url(self, request: Request) -> Reply:
        identity = require(request)
        raw = request.args.strip()
        slack = _SLACK_LINK.match(raw)
        url = slack.group(1) if slack else raw
        if not _URL.match(url) or len(url) > 500:
            return text_reply(
                "That doesn't look like a link",
                "Give the full address, starting with https://, for example "
                "`/boundary admin policy-url https://intranet.example.org/social-media-policy`.",
                ok=False,
            )
        self.directory.practices.update_settings(identity.practice.id, policy_url=url)
        self.directory.forget(identity.practice.id)
        self.audit_change(identity, "settings.policy_url", None)
        return text_reply(
            "Policy link saved",
            "Review nudges will link to it from now on. If the policy itself changed, also set a new version "
            "with `/boundary admin policy-version V` so everyone reviews it again.",
        )

    async def set_policy_version(self, request: Request) -> Reply:
        identity = self.directory.refresh(require(request))
        version = request.args.strip()
        if not _VERSION.match(version):
            return text_reply(
                "Which version?",
                "Give a short version label (letters, digits, dots or dashes), for example "
                "`/boundary admin policy-version 2026.2`.",
                ok=False,
            )
        if version == identity.practice.policy_version:
            return text_reply("No change", f"The policy is already at version {version}.")
        practice = self.directory.practices.update_settings(identity.practice.id, policy_version=version)
        self.directory.forget(practice.id)
        cycle, created = self.service.material_change(practice, self.clock.now())
        self.audit_change(identity, "settings.policy_version", f"cycle:{cycle.id}")
        if not created:
            return text_reply(
                "Version set", f"Version {version} already has a review cycle this year; it continues."
            )
        return text_reply(
            "New policy version: a new review for everyone",
            f"Version {version} is now current. Every active member gets the review at their next working "
            "hour, with the usual reminders; earlier open reviews are closed.",
        )

    async def completion(self, request: Request) -> Reply:
        identity = self.directory.refresh(require(request))
        practice = identity.practice
        now = self.clock.now()
        self.service.note_admin(practice, identity.member, now)
        cycle = self.service.store.current_cycle(practice.id)
        if cycle is None:
            return text_reply("No review yet", "No review cycle has opened for this practice yet.")
        rows = [
            row for row in self.service.store.status(practice.id, cycle.id) if row.task.status != "departed"
        ]
        return completion_reply(practice, cycle.year, cycle.policy_version, rows, identity.member)


def completion_reply(
    practice: Practice, year: int, version: str, rows: Sequence[TaskStatus], reader: Member
) -> Reply:
    done = [row for row in rows if row.task.status == DONE]
    pending = [row for row in rows if row.task.status == PENDING]
    label = f"{year}" + (f", policy version {version}" if version else "")
    done_lines = [f"- {member_name(r.member)}: {when(r.task.completed_at, reader, practice)}" for r in done]
    pending_lines = []
    for row in pending:
        note = f"{row.nudges_sent} reminder(s) sent"
        if row.last_error:
            note += f"; delivery problem: {row.last_error}"
        pending_lines.append(f"- {member_name(row.member)}: {note}")
    return Reply(
        title=f"Policy review {label}: {len(done)} of {len(done) + len(pending)} done",
        sections=(
            Section("\n".join(pending_lines) or "Nobody. Everyone is done.", heading="Not done yet"),
            Section("\n".join(done_lines) or "Nobody yet.", heading="Done"),
            Section("For an audit file: `boundary-bot reviews export --cycle YEAR` (CSV)."),
        ),
    )


def not_yours() -> Reply:
    return text_reply(
        "That review isn't open for you",
        "This button belongs to a review that is not yours or no longer exists. "
        "`/boundary reviews` shows yours.",
        ok=False,
    )


def require(request: Request) -> Identity:
    if request.identity is None:
        raise RuntimeError("review command without an identity")
    return request.identity
