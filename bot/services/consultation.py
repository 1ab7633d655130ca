"""Peer consultation: a clinician's grey-area question, de-identified, posted as a tracked thread.

The lifecycle is open -> answered (a colleague's first reply) -> resolved (the requester records the
outcome). Every piece of free text passes the identifier screen before it is stored or posted; if the
screen finds anything, nothing is stored and nothing is posted. Text is purged after the practice's
retention period, while the reference, situation, status and timestamps stay for the yearly counts the
practice's policy review uses.

Modelled on the professional associations' ethics-consultation lines: a reference number the clinician
can cite in their own notes, the asker's name kept out of the channel when they ask, colleagues who
share the client stepping aside, and a reminder that mandated reporting duties still apply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.content.catalogue import Catalogue
from bot.messages import Action, Reply, Section, Visibility
from bot.ports import Clock, MemberRepository, Notifier, PracticeRepository
from bot.privacy import Finding, screen
from bot.records import Member, Practice

log = logging.getLogger(__name__)

OPEN = "open"
ANSWERED = "answered"
RESOLVED = "resolved"

OTHER_SITUATION = "other"
DEFAULT_ANSWER_HOURS = 24
DEFAULT_URGENT_ANSWER_HOURS = 4

#: Where the contact happened. A fixed list, so this part of a consultation is never free text.
PLATFORMS: tuple[tuple[str, str], ...] = (
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("linkedin", "LinkedIn"),
    ("tiktok", "TikTok"),
    ("x", "X (Twitter)"),
    ("messaging", "Text or messaging app"),
    ("email", "Personal email"),
    ("reviews", "A review site"),
    ("in-person", "In person"),
    ("other", "Another platform, or not applicable"),
)

#: The client's relation to the clinician, the way ethics codes distinguish them.
CLIENT_STATUSES: tuple[tuple[str, str], ...] = (
    ("current", "Current client"),
    ("former", "Former client"),
    ("prospective", "Prospective client"),
    ("family", "Family member of a client"),
)

TEXT_LIMIT = 2000
QUESTION_LIMIT = 500
OUTCOME_LIMIT = 300

MANDATED_REPORTING = "Mandated reporting duties still apply."


@dataclass(frozen=True)
class Consultation:
    """One consultation as the core sees it. `text`, `question` and `outcome` are None once purged."""

    id: int
    practice_id: int
    reference: str
    year: int
    number: int
    situation: str
    platform_label: str
    client_status: str
    text: str | None
    question: str | None
    outcome: str | None
    urgent: bool
    anonymous: bool
    requester_id: int | None
    channel: str | None
    thread: str | None
    status: str
    opened_at: datetime
    answered_at: datetime | None = None
    resolved_at: datetime | None = None
    bumped_at: datetime | None = None
    purged_at: datetime | None = None


@dataclass(frozen=True)
class NewConsultation:
    """What a clean submission stores; the repository adds the reference number."""

    practice_id: int
    year: int
    situation: str
    platform_label: str
    client_status: str
    text: str
    question: str
    urgent: bool
    anonymous: bool
    requester_id: int
    channel: str
    opened_at: datetime


@dataclass(frozen=True)
class AnswerLimits:
    """How long a consultation may wait for a first reply before it is bumped."""

    hours: int = DEFAULT_ANSWER_HOURS
    urgent_hours: int = DEFAULT_URGENT_ANSWER_HOURS


class ConsultationRepository(Protocol):
    def create(self, draft: NewConsultation) -> Consultation:
        """Store a consultation with the next reference number of its practice and year."""
        ...

    def delete(self, practice_id: int, consultation_id: int) -> None: ...

    def get(self, practice_id: int, reference: str) -> Consultation | None: ...

    def find_by_thread(self, practice_id: int, channel: str, thread: str) -> Consultation | None: ...

    def set_thread(self, practice_id: int, consultation_id: int, thread: str | None) -> None: ...

    def mark_answered(self, practice_id: int, consultation_id: int, at: datetime) -> bool:
        """open -> answered; True only for the call that made the change."""
        ...

    def resolve(self, practice_id: int, consultation_id: int, outcome: str, at: datetime) -> bool: ...

    def list_for_requester(
        self, practice_id: int, member_id: int, limit: int = 20
    ) -> Sequence[Consultation]: ...

    def unanswered(self, practice_id: int, opened_before: datetime) -> Sequence[Consultation]:
        """Open, never bumped, posted, and opened before the given moment."""
        ...

    def claim_bump(self, practice_id: int, consultation_id: int, at: datetime) -> bool:
        """Mark as bumped; True only for the one process that made the change."""
        ...

    def release_bump(self, practice_id: int, consultation_id: int) -> None: ...

    def purge(self, practice_id: int, opened_before: datetime, at: datetime) -> int: ...

    def count_by_situation(self, practice_id: int, year: int) -> Mapping[str, int]: ...

    def step_aside(self, practice_id: int, consultation_id: int, member_id: int, at: datetime) -> bool: ...

    def stepped_aside(self, practice_id: int, consultation_id: int) -> frozenset[int]: ...

    def answer_limits(self, practice_id: int) -> AnswerLimits: ...

    def set_answer_limits(self, practice_id: int, limits: AnswerLimits) -> None: ...


@dataclass(frozen=True)
class Draft:
    """What the clinician typed and picked in the form, before screening."""

    situation: str
    platform: str
    client_status: str
    text: str
    question: str
    urgent: bool
    anonymous: bool


@dataclass(frozen=True)
class Rejected:
    """The screen (or a check) refused the submission: messages per form field; nothing was stored."""

    errors: dict[str, str]


@dataclass(frozen=True)
class Opened:
    consultation: Consultation


@dataclass(frozen=True)
class TickResult:
    bumped: int = 0
    purged: int = 0


EventCounter = Callable[[str], None]


def findings_message(findings: Sequence[Finding]) -> str:
    """The inline error for a field: each finding quoted, then how to say it without identifying anyone."""
    quoted = "; ".join(f.describe() for f in findings)
    return (
        f"This could identify the client: {quoted}. Describe them in general terms instead "
        '("a former client", "last month", "a nearby town") and submit again. Nothing was shared.'
    )


def reference_code(year: int, number: int) -> str:
    return f"C-{year}-{number:04d}"


def normalise_reference(text: str) -> str:
    """'c-2026-42' and 'C-2026-0042' name the same consultation."""
    parts = text.strip().upper().split("-")
    if len(parts) == 3 and parts[0] == "C" and parts[1].isdigit() and parts[2].isdigit():
        return reference_code(int(parts[1]), int(parts[2]))
    return text.strip().upper()


def practice_year(practice: Practice, now: datetime) -> int:
    """The year in the practice's own time zone: a consultation on New Year's Eve gets that year's number."""
    try:
        return now.astimezone(ZoneInfo(practice.timezone)).year
    except (ZoneInfoNotFoundError, ValueError):
        return now.year


def label(options: tuple[tuple[str, str], ...], value: str) -> str:
    return dict(options).get(value, value)


class ConsultationService:
    def __init__(
        self,
        consultations: ConsultationRepository,
        practices: PracticeRepository,
        members: MemberRepository,
        notifiers: Mapping[str, Notifier],
        catalogue: Catalogue,
        clock: Clock,
        *,
        on_event: EventCounter | None = None,
    ) -> None:
        self.consultations = consultations
        self.practices = practices
        self.members = members
        # The runtime's registry itself, not a copy: platform notifiers registered later are seen.
        self.notifiers = notifiers
        self.catalogue = catalogue
        self.clock = clock
        self._on_event = on_event

    # -- opening ---------------------------------------------------------------------------------

    def validate(self, draft: Draft) -> dict[str, str]:
        """Field errors for a draft: missing answers, over-long text, and every identifier found."""
        errors: dict[str, str] = {}
        if draft.situation != OTHER_SITUATION and self.catalogue.get(draft.situation) is None:
            errors["situation"] = "Pick the situation from the list (or Other)."
        if draft.platform not in dict(PLATFORMS):
            errors["platform"] = "Pick where it happened from the list."
        if draft.client_status not in dict(CLIENT_STATUSES):
            errors["client_status"] = "Pick the client's status from the list."
        for field, value, limit, what in (
            ("text", draft.text, TEXT_LIMIT, "what happened"),
            ("question", draft.question, QUESTION_LIMIT, "your question"),
        ):
            if not value.strip():
                errors[field] = f"Please describe {what}."
            elif len(value) > limit:
                errors[field] = f"Please keep {what} under {limit} characters (it has {len(value)})."
            else:
                result = screen(value)
                if not result.clean:
                    errors[field] = findings_message(result.findings)
        return errors

    async def open(self, practice: Practice, requester: Member, draft: Draft) -> Rejected | Opened:
        """Screen, store, post. Nothing is stored or posted unless every field is clean."""
        errors = self.validate(draft)
        if errors:
            self._count("rejected")
            return Rejected(errors)
        practice = self.practices.get(practice.id) or practice
        if not practice.consult_channel:
            return Rejected({"question": no_channel_text()})
        notifier = self.notifiers.get(practice.platform)
        if notifier is None:
            return Rejected(
                {"question": "Boundary cannot post on this platform right now; nothing was shared."}
            )
        now = self.clock.now()
        consultation = self.consultations.create(
            NewConsultation(
                practice_id=practice.id,
                year=practice_year(practice, now),
                situation=draft.situation,
                platform_label=draft.platform,
                client_status=draft.client_status,
                text=draft.text.strip(),
                question=draft.question.strip(),
                urgent=draft.urgent,
                anonymous=draft.anonymous,
                requester_id=requester.id,
                channel=practice.consult_channel,
                opened_at=now,
            )
        )
        try:
            sent = await notifier.send_channel(
                practice, practice.consult_channel, self.thread_root(consultation, requester)
            )
        except Exception as exc:
            # A half-made consultation (stored, never posted) would be bumped and counted: remove it.
            # Only the error's type is logged: a platform's error body can echo what was sent.
            log.warning(
                "consultation post failed: %s", type(exc).__name__, extra={"practice_id": practice.id}
            )
            self.consultations.delete(practice.id, consultation.id)
            self._count("post_failed")
            return Rejected(
                {
                    "question": "Boundary could not post to the consultation channel just now. "
                    "Your text is kept here: submit again in a minute, or ask an admin to check that "
                    "Boundary is a member of the channel."
                }
            )
        # Channel posts are replied to in their own thread: the root message's id is the thread id.
        self.consultations.set_thread(practice.id, consultation.id, sent.message_id)
        self._count("opened")
        log.info(
            "consultation opened", extra={"practice_id": practice.id, "reference": consultation.reference}
        )
        return Opened(replace(consultation, thread=sent.message_id))

    def thread_root(self, consultation: Consultation, requester: Member | None) -> Reply:
        """The structured post that starts the thread. Anonymous requests never name the requester."""
        situation = self.catalogue.get(consultation.situation)
        facts = [
            f"- Situation: {situation.title if situation else 'Other'}",
            f"- Where: {label(PLATFORMS, consultation.platform_label)}",
            f"- Client: {label(CLIENT_STATUSES, consultation.client_status)}",
        ]
        if consultation.urgent:
            facts.append("- Urgent: the clinician sees this client within 48 hours")
        sections = [
            Section("\n".join(facts)),
            Section(consultation.text or "", heading="What happened"),
            Section(consultation.question or "", heading="The question"),
        ]
        if situation is not None:
            sections.append(
                Section(f"*{situation.title}*: `/boundary {situation.key}`", heading="Related script")
            )
        sections.append(Section(MANDATED_REPORTING))
        asked = (
            "Asked anonymously."
            if consultation.anonymous or requester is None
            else (f"Asked by {member_name(requester)}.")
        )
        return Reply(
            title=f"Consultation {consultation.reference}" + (" (urgent)" if consultation.urgent else ""),
            sections=tuple(section for section in sections if section.body),
            actions=(
                Action("step-aside", "I'll step aside", f"consult step-aside {consultation.reference}"),
            ),
            visibility=Visibility.CHANNEL,
            footer=f"{asked} Reply in this thread with your view; if you share this client, step aside.",
        )

    # -- the thread ------------------------------------------------------------------------------

    async def thread_reply(self, practice: Practice, channel: str, thread: str, user_ref: str) -> bool:
        """Someone replied in a thread. The first colleague's reply answers the consultation.

        The requester's own replies (a clarification) do not count. Returns True when this reply made
        the consultation answered; the requester is then told privately.
        """
        consultation = self.consultations.find_by_thread(practice.id, channel, thread)
        if consultation is None or consultation.status != OPEN:
            return False
        requester = self._member(practice.id, consultation.requester_id)
        if requester is not None and requester.external_id == user_ref:
            return False
        if not self.consultations.mark_answered(practice.id, consultation.id, self.clock.now()):
            return False  # another instance (or a retried event) got there first
        self._count("answered")
        if requester is not None:
            await self._send_direct(practice, requester, self.answered_note(practice, consultation))
        return True

    def answered_note(self, practice: Practice, consultation: Consultation) -> Reply:
        return Reply(
            title=f"A colleague answered {consultation.reference}",
            sections=(
                Section(
                    f"Someone replied to your consultation {consultation.reference} in "
                    f"{channel_mention(practice)}. Open the thread to read it."
                ),
                Section(
                    "When you have decided what to do, record the outcome in one line: "
                    f"`/boundary consult resolve {consultation.reference} <what you decided>`."
                ),
            ),
        )

    # -- resolving and stepping aside ------------------------------------------------------------

    def find(self, practice_id: int, reference: str) -> Consultation | None:
        return self.consultations.get(practice_id, normalise_reference(reference))

    async def resolve(
        self, practice: Practice, requester: Member, reference: str, outcome: str
    ) -> str | None:
        """Record the outcome (screened) and close the consultation. Returns an error, or None when done."""
        consultation = self.find(practice.id, reference)
        if consultation is None or consultation.requester_id != requester.id:
            return (
                f"You have no consultation {normalise_reference(reference) or 'with that number'}. "
                "`/boundary consult list` shows yours."
            )
        if consultation.status == RESOLVED:
            return f"{consultation.reference} is already resolved."
        outcome = " ".join(outcome.split())
        if not outcome:
            return "Write the outcome in one line: what you decided, without identifying the client."
        if len(outcome) > OUTCOME_LIMIT:
            return f"Please keep the outcome to one line, under {OUTCOME_LIMIT} characters."
        result = screen(outcome)
        if not result.clean:
            self._count("rejected")
            return findings_message(result.findings)
        if not self.consultations.resolve(practice.id, consultation.id, outcome, self.clock.now()):
            return f"{consultation.reference} is already resolved."
        self._count("resolved")
        notifier = self.notifiers.get(practice.platform)
        if notifier is not None and consultation.channel and consultation.thread:
            note = Reply(
                title=f"{consultation.reference} resolved",
                sections=(Section(f"Outcome: {outcome}"), Section("Thank you to everyone who weighed in.")),
                visibility=Visibility.CHANNEL,
            )
            try:
                await notifier.send_channel(practice, consultation.channel, note, thread=consultation.thread)
            except Exception as exc:
                log.warning(
                    "resolution note failed: %s", type(exc).__name__, extra={"practice_id": practice.id}
                )
        return None

    def step_aside(self, practice: Practice, member: Member, reference: str) -> str:
        """A colleague who shares the client stays out of it. Returns the private answer."""
        consultation = self.find(practice.id, reference)
        if consultation is None:
            return f"There is no consultation {normalise_reference(reference)} in this practice."
        if consultation.requester_id == member.id:
            return "This is your own consultation, so there is nothing to step aside from."
        if not self.consultations.step_aside(practice.id, consultation.id, member.id, self.clock.now()):
            return f"You have already stepped aside from {consultation.reference}."
        self._count("stepped_aside")
        return (
            f"Noted: you have stepped aside from {consultation.reference} because you share the client. "
            "Please don't reply in its thread; you won't get reminders about it. "
            "Nobody else is told who stepped aside."
        )

    # -- lists and counts ------------------------------------------------------------------------

    def mine(self, practice_id: int, member_id: int) -> Sequence[Consultation]:
        return self.consultations.list_for_requester(practice_id, member_id)

    def yearly_counts(self, practice_id: int, year: int) -> Mapping[str, int]:
        return self.consultations.count_by_situation(practice_id, year)

    def limits(self, practice_id: int) -> AnswerLimits:
        return self.consultations.answer_limits(practice_id)

    def set_limits(self, practice_id: int, limits: AnswerLimits) -> None:
        self.consultations.set_answer_limits(practice_id, limits)

    # -- scheduled work --------------------------------------------------------------------------

    async def tick(self, now: datetime | None = None) -> TickResult:
        """The scheduler's entry point: bump unanswered consultations, then purge expired text."""
        now = now or self.clock.now()
        bumped = purged = 0
        for practice in self.practices.list_all():
            try:
                bumped += await self.bump_unanswered(practice, now)
                purged += self.purge_expired(practice, now)
            except Exception as exc:
                # One practice's failure (a revoked token, say) must not stop the others.
                log.warning(
                    "consultation tick failed: %s", type(exc).__name__, extra={"practice_id": practice.id}
                )
        return TickResult(bumped=bumped, purged=purged)

    async def bump_unanswered(self, practice: Practice, now: datetime) -> int:
        """Bump, once, each consultation with no reply after the practice's limit, and tell the admins."""
        limits = self.consultations.answer_limits(practice.id)
        shortest = min(limits.hours, limits.urgent_hours)
        candidates = self.consultations.unanswered(practice.id, now - timedelta(hours=shortest))
        notifier = self.notifiers.get(practice.platform)
        if notifier is None:
            return 0
        done = 0
        for consultation in candidates:
            hours = limits.urgent_hours if consultation.urgent else limits.hours
            if consultation.opened_at > now - timedelta(hours=hours):
                continue
            if not self.consultations.claim_bump(practice.id, consultation.id, now):
                continue  # another process is bumping it
            try:
                assert consultation.channel is not None
                await notifier.send_channel(
                    practice,
                    consultation.channel,
                    self.bump_note(consultation, hours),
                    thread=consultation.thread,
                )
            except Exception as exc:
                log.warning(
                    "consultation bump failed: %s", type(exc).__name__, extra={"practice_id": practice.id}
                )
                self.consultations.release_bump(practice.id, consultation.id)  # the next tick retries
                continue
            done += 1
            self._count("bumped")
            await self._tell_admins(practice, consultation, hours)
        return done

    def bump_note(self, consultation: Consultation, hours: int) -> Reply:
        return Reply(
            title=f"{consultation.reference} is still waiting",
            sections=(
                Section(
                    f"No colleague has replied in {hours} hours"
                    + (" and the clinician sees this client soon" if consultation.urgent else "")
                    + ". If you can offer a view, please reply in this thread; "
                    "if you share the client, step aside."
                ),
            ),
            visibility=Visibility.CHANNEL,
        )

    async def _tell_admins(self, practice: Practice, consultation: Consultation, hours: int) -> None:
        """A private note to each added admin, except the requester and anyone who stepped aside."""
        skip = set(self.consultations.stepped_aside(practice.id, consultation.id))
        if consultation.requester_id is not None:
            skip.add(consultation.requester_id)
        situation = self.catalogue.get(consultation.situation)
        note = Reply(
            title=f"Unanswered consultation {consultation.reference}",
            sections=(
                Section(
                    f"{consultation.reference} ({situation.title if situation else 'other situation'}"
                    f"{', urgent' if consultation.urgent else ''}) has had no reply in "
                    f"{channel_mention(practice)} for {hours} hours. It has been bumped in its thread; "
                    "you may want to ask a colleague to look at it."
                ),
            ),
        )
        for admin in self.members.list_for_practice(practice.id):
            if admin.role == "admin" and admin.id not in skip:
                await self._send_direct(practice, admin, note)

    def purge_expired(self, practice: Practice, now: datetime) -> int:
        """Empty the text of consultations older than the practice's retention period."""
        cutoff = now - timedelta(days=practice.retention_days)
        purged = self.consultations.purge(practice.id, cutoff, now)
        if purged:
            for _ in range(purged):
                self._count("purged")
            log.info("consultation text purged", extra={"practice_id": practice.id, "count": purged})
        return purged

    # -- helpers ---------------------------------------------------------------------------------

    def _member(self, practice_id: int, member_id: int | None) -> Member | None:
        return self.members.get(practice_id, member_id) if member_id is not None else None

    async def _send_direct(self, practice: Practice, member: Member, reply: Reply) -> None:
        notifier = self.notifiers.get(practice.platform)
        if notifier is None:
            return
        try:
            await notifier.send_direct(practice, member, reply)
        except Exception as exc:
            log.warning(
                "consultation direct message failed: %s",
                type(exc).__name__,
                extra={"practice_id": practice.id},
            )

    def _count(self, event: str) -> None:
        if self._on_event is not None:
            self._on_event(event)


def member_name(member: Member) -> str:
    return member.display_name or f"<@{member.external_id}>"


def channel_mention(practice: Practice) -> str:
    """`<#C123>` for chat platforms (their renderers turn it into a link); the console has plain names."""
    if not practice.consult_channel:
        return "the consultation channel"
    if practice.platform == "console":
        return f"#{practice.consult_channel}"
    return f"<#{practice.consult_channel}>"


def no_channel_text() -> str:
    return (
        "Your practice has no consultation channel yet, so there is nowhere to post this. "
        "A practice admin sets one with `/boundary admin consult-channel #channel` "
        "(invite Boundary to that channel first)."
    )
