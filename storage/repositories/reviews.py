"""Review cycles, tasks and deliveries on SQL: the claims that make each nudge go out once.

Claiming due deliveries is one statement on PostgreSQL (`UPDATE ... FROM (SELECT ... FOR UPDATE
SKIP LOCKED)`), so concurrent processes take disjoint rows without waiting for each other; on SQLite
it is one `BEGIN IMMEDIATE` transaction, which serialises claimers on the database's write lock.
Recording an outcome is guarded by the claim's attempt number: a process whose lease ran out and
whose row was claimed again cannot overwrite the newer claim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, and_, bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.records import Member
from bot.services.delivery import FAILED, RECOVERED, RETRY, SENT, SKIPPED, Claim, Outcome
from bot.services.reviews import (
    DONE,
    ESCALATION,
    PENDING,
    SUPERSEDED,
    DeliveryRecord,
    PlannedDelivery,
    PlannedTask,
    ReviewCycle,
    ReviewTask,
    TaskStatus,
)
from storage.repositories.core import to_member
from storage.tables.core import MemberRow
from storage.tables.reviews import WAITING, ReviewCycleRow, ReviewDeliveryRow, ReviewTaskRow

CYCLES: Table = ReviewCycleRow.__table__  # type: ignore[attr-defined]
TASKS: Table = ReviewTaskRow.__table__  # type: ignore[attr-defined]
DELIVERIES: Table = ReviewDeliveryRow.__table__  # type: ignore[attr-defined]
MEMBERS: Table = MemberRow.__table__  # type: ignore[attr-defined]

CANCELLED = "cancelled"
DEPARTED = "departed"


def to_cycle(row: Any) -> ReviewCycle:
    return ReviewCycle(row.id, row.practice_id, row.year, row.policy_version, row.opens_at)


def to_task(row: Any) -> ReviewTask:
    return ReviewTask(
        id=row.id,
        practice_id=row.practice_id,
        cycle_id=row.cycle_id,
        member_id=row.member_id,
        status=row.status,
        created_at=row.created_at,
        completed_at=row.completed_at,
        snoozed_until=row.snoozed_until,
    )


def to_delivery(row: Any) -> DeliveryRecord:
    return DeliveryRecord(
        id=row.id,
        task_id=row.task_id,
        step=row.step,
        recipient_id=row.recipient_id,
        scheduled_at=row.scheduled_at,
        state=row.state,
        attempts=row.attempts,
        last_error=row.last_error,
        message_id=row.message_id,
        sent_at=row.sent_at,
    )


class SqlReviewStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    def _insert_ignore(self, table: Table) -> Any:
        """INSERT ... ON CONFLICT DO NOTHING: a row another process added first is simply kept."""
        module = postgresql if self.dialect == "postgresql" else sqlite
        return module.insert(table).on_conflict_do_nothing()

    # -- cycles -----------------------------------------------------------------------------------

    def latest_cycles(self) -> Mapping[int, ReviewCycle]:
        latest = select(func.max(CYCLES.c.id)).group_by(CYCLES.c.practice_id).scalar_subquery()
        with self.engine.connect() as conn:
            rows = conn.execute(select(CYCLES).where(CYCLES.c.id.in_(latest))).all()
        return {row.practice_id: to_cycle(row) for row in rows}

    def current_cycle(self, practice_id: int) -> ReviewCycle | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(CYCLES)
                .where(CYCLES.c.practice_id == practice_id)
                .order_by(CYCLES.c.id.desc())
                .limit(1)
            ).first()
        return to_cycle(row) if row else None

    def cycles_in_year(self, year: int) -> Sequence[ReviewCycle]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(CYCLES).where(CYCLES.c.year == year).order_by(CYCLES.c.id)).all()
        return [to_cycle(row) for row in rows]

    def open_cycle(
        self, practice_id: int, year: int, policy_version: str, opens_at: datetime
    ) -> tuple[ReviewCycle, bool]:
        values = {
            "practice_id": practice_id,
            "year": year,
            "policy_version": policy_version,
            "opens_at": opens_at,
        }
        with self.engine.begin() as conn:
            inserted = self._insert_ignore(CYCLES).values(**values).returning(CYCLES.c.id)
            created = conn.execute(inserted).first() is not None
            row = conn.execute(
                select(CYCLES).where(
                    CYCLES.c.practice_id == practice_id,
                    CYCLES.c.year == year,
                    CYCLES.c.policy_version == policy_version,
                )
            ).one()
        return to_cycle(row), created

    def supersede_before(self, practice_id: int, cycle_id: int) -> int:
        """Older cycles' open tasks give way to the new cycle; their waiting nudges are cancelled."""
        with self.engine.begin() as conn:
            old = select(TASKS.c.id).where(
                TASKS.c.practice_id == practice_id, TASKS.c.cycle_id != cycle_id, TASKS.c.status == PENDING
            )
            ids = [row.id for row in conn.execute(old)]
            if not ids:
                return 0
            conn.execute(update(TASKS).where(TASKS.c.id.in_(ids)).values(status=SUPERSEDED))
            conn.execute(
                update(DELIVERIES)
                .where(DELIVERIES.c.task_id.in_(ids), DELIVERIES.c.state == "pending")
                .values(state=CANCELLED)
            )
            return len(ids)

    # -- tasks ------------------------------------------------------------------------------------

    def add_tasks(self, practice_id: int, cycle_id: int, plans: Sequence[PlannedTask], now: datetime) -> int:
        """Tasks and their deliveries for members who have none in this cycle; repeats add nothing."""
        if not plans:
            return 0
        with self.engine.begin() as conn:
            existing = {
                row.member_id
                for row in conn.execute(select(TASKS.c.member_id).where(TASKS.c.cycle_id == cycle_id))
            }
            fresh = [plan for plan in plans if plan.member_id not in existing]
            if not fresh:
                return 0
            conn.execute(
                self._insert_ignore(TASKS),
                [
                    {
                        "practice_id": practice_id,
                        "cycle_id": cycle_id,
                        "member_id": plan.member_id,
                        "status": PENDING,
                        "created_at": now,
                    }
                    for plan in fresh
                ],
            )
            ids = {
                row.member_id: row.id
                for row in conn.execute(
                    select(TASKS.c.id, TASKS.c.member_id).where(
                        TASKS.c.cycle_id == cycle_id, TASKS.c.member_id.in_([p.member_id for p in fresh])
                    )
                )
            }
            rows = [
                {
                    "task_id": ids[plan.member_id],
                    "recipient_id": planned.recipient_id,
                    "step": planned.step,
                    "scheduled_at": planned.due_at,
                    "due_at": planned.due_at,
                    "state": "pending",
                    "attempts": 0,
                }
                for plan in fresh
                for planned in plan.deliveries
            ]
            if rows:
                conn.execute(self._insert_ignore(DELIVERIES), rows)
        return len(fresh)

    def task_for(self, cycle_id: int, member_id: int) -> ReviewTask | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(TASKS).where(TASKS.c.cycle_id == cycle_id, TASKS.c.member_id == member_id)
            ).first()
        return to_task(row) if row else None

    def get_task(self, practice_id: int, task_id: int) -> ReviewTask | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(TASKS).where(TASKS.c.id == task_id, TASKS.c.practice_id == practice_id)
            ).first()
        return to_task(row) if row else None

    def add_delivery(self, task_id: int, planned: PlannedDelivery) -> bool:
        row = {
            "task_id": task_id,
            "recipient_id": planned.recipient_id,
            "step": planned.step,
            "scheduled_at": planned.due_at,
            "due_at": planned.due_at,
            "state": "pending",
            "attempts": 0,
        }
        with self.engine.begin() as conn:
            inserted = self._insert_ignore(DELIVERIES).values(**row).returning(DELIVERIES.c.id)
            return conn.execute(inserted).first() is not None

    def deliveries(self, task_id: int) -> Sequence[DeliveryRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(DELIVERIES).where(DELIVERIES.c.task_id == task_id).order_by(DELIVERIES.c.scheduled_at)
            ).all()
        return [to_delivery(row) for row in rows]

    def complete(self, practice_id: int, task_id: int, now: datetime) -> bool:
        """Done: the task is closed (once) and its waiting reminders are cancelled."""
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(TASKS)
                .where(TASKS.c.id == task_id, TASKS.c.practice_id == practice_id, TASKS.c.status == PENDING)
                .values(status=DONE, completed_at=now)
            ).rowcount
            if changed:
                conn.execute(
                    update(DELIVERIES)
                    .where(
                        DELIVERIES.c.task_id == task_id,
                        DELIVERIES.c.state == "pending",
                        DELIVERIES.c.step != ESCALATION,
                    )
                    .values(state=CANCELLED)
                )
        return bool(changed)

    def snooze(self, practice_id: int, task_id: int, until: datetime, planned: PlannedDelivery) -> bool:
        try:
            with self.engine.begin() as conn:
                changed = conn.execute(
                    update(TASKS)
                    .where(
                        TASKS.c.id == task_id, TASKS.c.practice_id == practice_id, TASKS.c.status == PENDING
                    )
                    .values(snoozed_until=until)
                ).rowcount
                if not changed:
                    return False
                conn.execute(
                    DELIVERIES.insert().values(
                        task_id=task_id,
                        recipient_id=planned.recipient_id,
                        step=planned.step,
                        scheduled_at=planned.due_at,
                        due_at=planned.due_at,
                        state="pending",
                        attempts=0,
                    )
                )
            return True
        except IntegrityError:
            return False  # the same step was added a moment ago (a double click): keep that one

    def depart(self, practice_id: int, member_id: int) -> int:
        """A departed member: open tasks closed, and nothing more is sent to them."""
        with self.engine.begin() as conn:
            ids = [
                row.id
                for row in conn.execute(
                    select(TASKS.c.id).where(
                        TASKS.c.practice_id == practice_id,
                        TASKS.c.member_id == member_id,
                        TASKS.c.status == PENDING,
                    )
                )
            ]
            if ids:
                conn.execute(update(TASKS).where(TASKS.c.id.in_(ids)).values(status=DEPARTED))
            conn.execute(
                update(DELIVERIES)
                .where(DELIVERIES.c.recipient_id == member_id, DELIVERIES.c.state == "pending")
                .values(state=CANCELLED)
            )
            return len(ids)

    def status(self, practice_id: int, cycle_id: int) -> Sequence[TaskStatus]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(TASKS)
                .where(TASKS.c.practice_id == practice_id, TASKS.c.cycle_id == cycle_id)
                .order_by(TASKS.c.id)
            ).all()
            members = {
                row.id: to_member(row)
                for row in conn.execute(
                    select(MEMBERS).where(
                        MEMBERS.c.id.in_(select(TASKS.c.member_id).where(TASKS.c.cycle_id == cycle_id))
                    )
                )
            }
            by_task: dict[int, list[Any]] = defaultdict(list)
            for row in conn.execute(
                select(DELIVERIES)
                .join(TASKS, TASKS.c.id == DELIVERIES.c.task_id)
                .where(TASKS.c.cycle_id == cycle_id)
            ):
                by_task[row.task_id].append(row)
        result = []
        for row in rows:
            nudges = [d for d in by_task[row.id] if d.step != ESCALATION]
            sent = [d for d in nudges if d.state == SENT]
            failed = [d for d in nudges if d.state == FAILED or (d.state == "pending" and d.last_error)]
            waiting = [d.due_at for d in nudges if d.state in ("pending", "claimed")]
            result.append(
                TaskStatus(
                    task=to_task(row),
                    member=members[row.member_id],
                    followups_sent=len([d for d in sent if d.step != "initial"]),
                    nudges_sent=len(sent),
                    failed=len([d for d in nudges if d.state == FAILED]),
                    last_error=failed[-1].last_error if failed else None,
                    next_due=min(waiting) if waiting and row.status == PENDING else None,
                )
            )
        return result

    # -- the delivery engine's claims ------------------------------------------------------------

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> Sequence[Claim]:
        """Take up to `limit` due deliveries for this process until `lease_until`."""
        if self.dialect == "postgresql":
            claimed = self._claim_postgres(now, lease_until, limit)
        else:
            claimed = self._claim_sqlite(now, lease_until, limit)
        return self._load_claims(claimed) if claimed else []

    def _due(self, now: datetime, limit: int) -> Any:
        return (
            select(DELIVERIES.c.id, DELIVERIES.c.state.label("prior"))
            .where(text(WAITING), DELIVERIES.c.due_at <= now)
            .order_by(DELIVERIES.c.due_at)
            .limit(limit)
        )

    def _claim_postgres(self, now: datetime, lease_until: datetime, limit: int) -> dict[int, bool]:
        picked = self._due(now, limit).with_for_update(skip_locked=True).subquery()
        statement = (
            update(DELIVERIES)
            .where(DELIVERIES.c.id == picked.c.id)
            .values(state="claimed", due_at=lease_until, attempts=DELIVERIES.c.attempts + 1)
            .returning(DELIVERIES.c.id, picked.c.prior)
        )
        with self.engine.begin() as conn:
            return {row.id: row.prior == "claimed" for row in conn.execute(statement)}

    def _claim_sqlite(self, now: datetime, lease_until: datetime, limit: int) -> dict[int, bool]:
        with self.engine.connect() as conn:
            # Take the write lock before reading, so two processes never pick the same rows.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                picked = {row.id: row.prior == "claimed" for row in conn.execute(self._due(now, limit))}
                if picked:
                    conn.execute(
                        update(DELIVERIES)
                        .where(DELIVERIES.c.id.in_(list(picked)))
                        .values(state="claimed", due_at=lease_until, attempts=DELIVERIES.c.attempts + 1)
                    )
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            return picked

    def _load_claims(self, claimed: Mapping[int, bool]) -> list[Claim]:
        with self.engine.connect() as conn:
            deliveries = conn.execute(select(DELIVERIES).where(DELIVERIES.c.id.in_(list(claimed)))).all()
            task_ids = {row.task_id for row in deliveries}
            tasks = {row.id: row for row in conn.execute(select(TASKS).where(TASKS.c.id.in_(task_ids)))}
            cycles = {
                row.id: to_cycle(row)
                for row in conn.execute(
                    select(CYCLES).where(CYCLES.c.id.in_({t.cycle_id for t in tasks.values()}))
                )
            }
            members = {
                row.id: to_member(row)
                for row in conn.execute(
                    select(MEMBERS).where(MEMBERS.c.id.in_({row.recipient_id for row in deliveries}))
                )
            }
        claims = []
        for row in sorted(deliveries, key=lambda d: (d.scheduled_at, d.id)):
            task = tasks[row.task_id]
            claims.append(
                Claim(
                    delivery=to_delivery(row),
                    task=to_task(task),
                    cycle=cycles[task.cycle_id],
                    recipient=members[row.recipient_id],
                    recovering=claimed[row.id],
                )
            )
        return claims

    def record(self, outcomes: Sequence[Outcome]) -> int:
        """Write each outcome, only where this process's claim still holds (same attempt number)."""
        if not outcomes:
            return 0
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for outcome in outcomes:
            values: dict[str, Any] = {"b_id": outcome.delivery_id, "b_attempt": outcome.attempt}
            if outcome.outcome in (SENT, RECOVERED):
                values |= {"b_message": outcome.message_id, "b_at": outcome.at}
                groups[SENT].append(values)
            elif outcome.outcome == RETRY:
                values |= {"b_error": outcome.error, "b_due": outcome.retry_at}
                groups[RETRY].append(values)
            else:
                values |= {"b_error": outcome.error, "b_state": outcome.outcome}
                groups["final"].append(values)
        guard = and_(
            DELIVERIES.c.id == bindparam("b_id"),
            DELIVERIES.c.state == "claimed",
            DELIVERIES.c.attempts == bindparam("b_attempt"),
        )
        statements = {
            SENT: update(DELIVERIES)
            .where(guard)
            .values(
                state=SENT, message_id=bindparam("b_message"), sent_at=bindparam("b_at"), last_error=None
            ),
            RETRY: update(DELIVERIES)
            .where(guard)
            .values(state="pending", due_at=bindparam("b_due"), last_error=bindparam("b_error")),
            "final": update(DELIVERIES)
            .where(guard)
            .values(state=bindparam("b_state"), last_error=bindparam("b_error")),
        }
        with self.engine.begin() as conn:
            for kind, rows in groups.items():
                conn.execute(statements[kind], rows)
        return len(outcomes)

    # -- reading for people -----------------------------------------------------------------------

    def pending_counts(self) -> Mapping[str, int]:
        """Deliveries by state (for `reviews status` and the metrics page)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(DELIVERIES.c.state, func.count()).group_by(DELIVERIES.c.state)).all()
        return {state: count for state, count in rows}

    def member(self, member_id: int) -> Member | None:
        with Session(self.engine) as session:
            row = session.get(MemberRow, member_id)
            return to_member(row) if row else None


__all__ = ["SKIPPED", "SqlReviewStore"]
