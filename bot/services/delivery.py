"""The delivery engine: send every review nudge that is due, exactly once, and record the outcome.

Our own delivery table is the only durable state; a scheduler (or cron, or a test) just calls
`run_due(now)`. Each round claims a batch of due rows with a lease (PostgreSQL: `FOR UPDATE SKIP
LOCKED`, so concurrent processes take disjoint rows; SQLite: one immediate transaction), sends them,
and records each outcome guarded by the claim's attempt number, so a slow process whose lease
expired cannot overwrite a newer claim.

Why a nudge is never doubled: the (task, step) unique key allows one row per nudge, a claimed row is
invisible to others until its lease expires, and a row re-claimed after an expired lease (its first
sender may have crashed after sending but before recording) is first looked up on the platform by
the delivery key carried in the message metadata; if it is there it is recorded, not re-sent.
Why none is lost: rows stay due until recorded as sent (or given up after `max_attempts`, visible in
`reviews status`); a crashed claim becomes due again when its lease runs out; a run after downtime
sees everything whose time has passed, and sends one nudge per task, once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.ports import Notifier, PracticeRepository
from bot.records import Member, Practice
from bot.services.pacing import Pacer
from bot.services.reviews import (
    ESCALATION,
    PENDING,
    DeliveryRecord,
    ReviewCycle,
    ReviewTask,
    TaskStatus,
    escalation_reply,
    is_nudge,
    nudge_reply,
)

log = logging.getLogger(__name__)

SENT, SKIPPED, RETRY, FAILED, RECOVERED = "sent", "skipped", "retry", "failed", "recovered"


@dataclass(frozen=True)
class Claim:
    """A due delivery this process now holds, with what is needed to send it."""

    delivery: DeliveryRecord
    task: ReviewTask
    cycle: ReviewCycle
    recipient: Member
    #: The row was claimed before and its lease ran out: the message may already be out.
    recovering: bool


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    attempt: int
    outcome: str  # sent, recovered, skipped, retry, failed
    at: datetime
    message_id: str | None = None
    error: str | None = None
    retry_at: datetime | None = None


class DeliveryStore(Protocol):
    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> Sequence[Claim]: ...

    def record(self, outcomes: Sequence[Outcome]) -> int: ...

    def status(self, practice_id: int, cycle_id: int) -> Sequence[TaskStatus]: ...


def delivery_key(delivery_id: int) -> str:
    """What travels in the message metadata so a later process can recognise the message."""
    return f"boundary-review-{delivery_id}"


def backoff(attempt: int) -> timedelta:
    """1, 2, 4 ... minutes, at most six hours: a platform outage does not turn into a retry storm."""
    return timedelta(minutes=min(2 ** max(attempt - 1, 0), 360))


def describe(exc: BaseException) -> str:
    """A short error for the status view: the exception type and the platform's error code, no text."""
    code = getattr(getattr(exc, "response", None), "status_code", None)
    data = getattr(getattr(exc, "response", None), "data", None)
    error = data.get("error") if isinstance(data, dict) else None
    parts = [type(exc).__name__]
    if code:
        parts.append(str(code))
    if isinstance(error, str):
        parts.append(error[:60])
    return " ".join(parts)


class DeliveryEngine:
    def __init__(
        self,
        store: DeliveryStore,
        practices: PracticeRepository,
        notifiers: Mapping[str, Notifier],
        *,
        pacer: Pacer | None = None,
        batch_size: int = 200,
        lease: timedelta = timedelta(minutes=5),
        max_attempts: int = 8,
        concurrency: int = 64,
        max_rounds: int = 1000,
    ) -> None:
        self.store = store
        self.practices = practices
        self.notifiers = notifiers
        self.pacer = pacer or Pacer()
        self.batch_size = batch_size
        self.lease = lease
        self.max_attempts = max_attempts
        self.concurrency = concurrency
        self.max_rounds = max_rounds

    async def run_due(self, now: datetime) -> Counter[str]:
        """Deliver everything due at `now`; returns the count of each outcome."""
        totals: Counter[str] = Counter()
        practices: dict[int, Practice | None] = {}
        for _ in range(self.max_rounds):
            claims = await asyncio.to_thread(self.store.claim_due, now, now + self.lease, self.batch_size)
            if not claims:
                break
            for claim in claims:
                pid = claim.task.practice_id
                if pid not in practices:
                    practices[pid] = await asyncio.to_thread(self.practices.get, pid)
            outcomes = await self.deliver(claims, practices, now)
            await asyncio.to_thread(self.store.record, outcomes)
            totals.update(outcome.outcome for outcome in outcomes)
        if totals:
            log.info("review deliveries: %s", dict(totals))
        self.pacer.forget_idle()
        return totals

    async def deliver(
        self, claims: Sequence[Claim], practices: Mapping[int, Practice | None], now: datetime
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        live: list[Claim] = []
        for claim, superseded in caught_up(claims):
            if superseded:
                outcomes.append(self.skip(claim, now, "caught up by a later reminder"))
            else:
                live.append(claim)
        gate = asyncio.Semaphore(self.concurrency)
        statuses: dict[int, Sequence[TaskStatus]] = {}

        async def one(claim: Claim) -> Outcome:
            try:
                return await self.send(claim, practices.get(claim.task.practice_id), now, statuses, gate)
            except Exception as exc:  # one member's failure never blocks the others
                return self.failure(claim, now, describe(exc))

        outcomes += await asyncio.gather(*(one(claim) for claim in interleaved(live)))
        return outcomes

    async def send(
        self,
        claim: Claim,
        practice: Practice | None,
        now: datetime,
        statuses: dict[int, Sequence[TaskStatus]],
        gate: asyncio.Semaphore,
    ) -> Outcome:
        """Send one claim. The gate bounds requests in flight; it is taken only around platform
        calls, after the pacer, so a workspace waiting for its window never holds up the others."""
        delivery, task = claim.delivery, claim.task
        if practice is None:
            return self.skip(claim, now, "practice removed")
        if not claim.recipient.active:
            return self.skip(claim, now, "member departed")
        if delivery.step == ESCALATION:
            if claim.cycle.id not in statuses:
                statuses[claim.cycle.id] = await asyncio.to_thread(
                    self.store.status, practice.id, claim.cycle.id
                )
            rows = statuses[claim.cycle.id]
            pending = [row for row in rows if row.task.status == PENDING and row.member.active]
            if not pending:
                return self.skip(claim, now, "nobody pending")
            reply = escalation_reply(claim.cycle, pending, len(rows))
        else:
            if task.status != PENDING:
                return self.skip(claim, now, f"review {task.status}")
            fixed = is_nudge(delivery.step) and delivery.step.startswith(("initial", "followup-"))
            if fixed and task.snoozed_until and delivery.scheduled_at < task.snoozed_until:
                return self.skip(claim, now, "snoozed")
            reply = nudge_reply(practice, claim.cycle, task.id, delivery.step)
        notifier = self.notifiers.get(practice.platform)
        if notifier is None:
            return self.failure(claim, now, f"no sender for {practice.platform}")
        key = delivery_key(delivery.id)
        if claim.recovering:
            async with gate:
                found = await notifier.find_direct(practice, claim.recipient, key)
            if found is not None:
                return Outcome(delivery.id, delivery.attempts, RECOVERED, now, message_id=found.message_id)
        workspace = f"{practice.platform}:{practice.external_id}"
        async with self.pacer.slot(workspace, claim.recipient.external_id), gate:
            sent = await notifier.send_direct(practice, claim.recipient, reply, metadata={"delivery": key})
        return Outcome(delivery.id, delivery.attempts, SENT, now, message_id=sent.message_id)

    def skip(self, claim: Claim, now: datetime, reason: str) -> Outcome:
        return Outcome(claim.delivery.id, claim.delivery.attempts, SKIPPED, now, error=reason)

    def failure(self, claim: Claim, now: datetime, error: str) -> Outcome:
        attempt = claim.delivery.attempts
        if attempt >= self.max_attempts:
            log.warning("review delivery %s failed for good after %s attempts", claim.delivery.id, attempt)
            return Outcome(claim.delivery.id, attempt, FAILED, now, error=error)
        return Outcome(claim.delivery.id, attempt, RETRY, now, error=error, retry_at=now + backoff(attempt))


def interleaved(claims: Sequence[Claim]) -> list[Claim]:
    """Round-robin across practices, so every workspace starts sending at once."""
    queues: dict[int, list[Claim]] = {}
    for claim in claims:
        queues.setdefault(claim.task.practice_id, []).append(claim)
    ordered: list[Claim] = []
    for position in range(max((len(queue) for queue in queues.values()), default=0)):
        ordered += [queue[position] for queue in queues.values() if position < len(queue)]
    return ordered


def caught_up(claims: Sequence[Claim]) -> list[tuple[Claim, bool]]:
    """After downtime a task may have several nudges due at once: send one (the earliest), skip the rest."""
    latest: dict[int, DeliveryRecord] = {}
    for claim in claims:
        if is_nudge(claim.delivery.step):
            best = latest.get(claim.task.id)
            if best is None or claim.delivery.scheduled_at < best.scheduled_at:
                latest[claim.task.id] = claim.delivery
    return [
        (claim, is_nudge(claim.delivery.step) and latest[claim.task.id].id != claim.delivery.id)
        for claim in claims
    ]
