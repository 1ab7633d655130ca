"""Consultations on sqlmodel: reference numbers, the lifecycle's atomic steps, purge and counts.

State changes that two processes could race on (first reply, bump, resolve) are single conditional
UPDATEs: the row count says which caller made the change, so each happens once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.services.consultation import (
    ANSWERED,
    OPEN,
    RESOLVED,
    AnswerLimits,
    Consultation,
    NewConsultation,
    reference_code,
)
from storage.tables.consult import ConsultationCounterRow, ConsultationRow, ConsultSettingsRow, StepAsideRow


def to_consultation(row: ConsultationRow) -> Consultation:
    assert row.id is not None
    return Consultation(
        id=row.id,
        practice_id=row.practice_id,
        reference=row.reference,
        year=row.year,
        number=row.number,
        situation=row.situation,
        platform_label=row.platform_label,
        client_status=row.client_status,
        text=row.text,
        question=row.question,
        outcome=row.outcome,
        urgent=row.urgent,
        anonymous=row.anonymous,
        requester_id=row.requester_id,
        channel=row.channel,
        thread=row.thread,
        status=row.status,
        opened_at=row.opened_at,
        answered_at=row.answered_at,
        resolved_at=row.resolved_at,
        bumped_at=row.bumped_at,
        purged_at=row.purged_at,
    )


class SqlConsultationRepository:
    def __init__(self, engine: Engine, *, attempts: int = 5) -> None:
        self.engine = engine
        self._attempts = attempts

    # -- reference numbers -----------------------------------------------------------------------

    def _next_number(self, session: Session, practice_id: int, year: int) -> int:
        """Increment the practice's counter for the year inside the caller's transaction.

        The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite) first, so concurrent
        callers queue here instead of reading the same maximum. The first number of a year inserts the
        counter row; a concurrent first insert fails on the primary key and the caller retries.
        """
        statement = (
            update(ConsultationCounterRow)
            .where(
                col(ConsultationCounterRow.practice_id) == practice_id,
                col(ConsultationCounterRow.year) == year,
            )
            .values(last_number=col(ConsultationCounterRow.last_number) + 1)
            .returning(col(ConsultationCounterRow.last_number))
        )
        number = session.execute(statement).scalar_one_or_none()
        if number is not None:
            return int(number)
        session.execute(
            insert(ConsultationCounterRow).values(practice_id=practice_id, year=year, last_number=1)
        )
        return 1

    def create(self, draft: NewConsultation) -> Consultation:
        for attempt in range(self._attempts):
            try:
                with Session(self.engine) as session:
                    number = self._next_number(session, draft.practice_id, draft.year)
                    row = ConsultationRow(
                        practice_id=draft.practice_id,
                        reference=reference_code(draft.year, number),
                        year=draft.year,
                        number=number,
                        situation=draft.situation,
                        platform_label=draft.platform_label,
                        client_status=draft.client_status,
                        text=draft.text,
                        question=draft.question,
                        urgent=draft.urgent,
                        anonymous=draft.anonymous,
                        requester_id=draft.requester_id,
                        channel=draft.channel,
                        status=OPEN,
                        opened_at=draft.opened_at,
                    )
                    session.add(row)
                    session.commit()
                    session.refresh(row)
                    return to_consultation(row)
            except IntegrityError:
                # Two first-of-the-year openings raced to create the counter row; the loser retries.
                if attempt == self._attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def delete(self, practice_id: int, consultation_id: int) -> None:
        """Remove a consultation that never reached its channel, giving its number back if it was the last."""
        with Session(self.engine) as session:
            row = session.get(ConsultationRow, consultation_id)
            if row is None or row.practice_id != practice_id:
                return
            session.execute(
                update(ConsultationCounterRow)
                .where(
                    col(ConsultationCounterRow.practice_id) == practice_id,
                    col(ConsultationCounterRow.year) == row.year,
                    col(ConsultationCounterRow.last_number) == row.number,
                )
                .values(last_number=row.number - 1)
            )
            session.delete(row)
            session.commit()

    # -- reads -----------------------------------------------------------------------------------

    def get(self, practice_id: int, reference: str) -> Consultation | None:
        with Session(self.engine) as session:
            row = session.exec(
                select(ConsultationRow).where(
                    ConsultationRow.practice_id == practice_id, ConsultationRow.reference == reference
                )
            ).first()
            return to_consultation(row) if row else None

    def find_by_thread(self, practice_id: int, channel: str, thread: str) -> Consultation | None:
        with Session(self.engine) as session:
            row = session.exec(
                select(ConsultationRow).where(
                    ConsultationRow.practice_id == practice_id,
                    ConsultationRow.channel == channel,
                    ConsultationRow.thread == thread,
                )
            ).first()
            return to_consultation(row) if row else None

    def list_for_requester(self, practice_id: int, member_id: int, limit: int = 20) -> Sequence[Consultation]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(ConsultationRow)
                .where(ConsultationRow.practice_id == practice_id, ConsultationRow.requester_id == member_id)
                .order_by(col(ConsultationRow.opened_at).desc(), col(ConsultationRow.id).desc())
                .limit(limit)
            )
            return [to_consultation(row) for row in rows]

    def unanswered(self, practice_id: int, opened_before: datetime) -> Sequence[Consultation]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(ConsultationRow)
                .where(
                    ConsultationRow.practice_id == practice_id,
                    ConsultationRow.status == OPEN,
                    col(ConsultationRow.bumped_at).is_(None),
                    col(ConsultationRow.thread).is_not(None),
                    col(ConsultationRow.opened_at) <= opened_before,
                )
                .order_by(col(ConsultationRow.opened_at))
            )
            return [to_consultation(row) for row in rows]

    def count_by_situation(self, practice_id: int, year: int) -> Mapping[str, int]:
        with Session(self.engine) as session:
            rows = session.execute(
                select(ConsultationRow.situation, func.count())
                .where(ConsultationRow.practice_id == practice_id, ConsultationRow.year == year)
                .group_by(col(ConsultationRow.situation))
            ).all()
            return {situation: int(count) for situation, count in rows}

    def stepped_aside(self, practice_id: int, consultation_id: int) -> frozenset[int]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(StepAsideRow.member_id)
                .join(ConsultationRow, col(ConsultationRow.id) == col(StepAsideRow.consultation_id))
                .where(
                    ConsultationRow.practice_id == practice_id,
                    StepAsideRow.consultation_id == consultation_id,
                )
            )
            return frozenset(rows)

    # -- conditional updates ---------------------------------------------------------------------

    def _update(self, practice_id: int, consultation_id: int, *conditions: Any, **values: Any) -> bool:
        with Session(self.engine) as session:
            result = session.execute(
                update(ConsultationRow)
                .where(
                    col(ConsultationRow.id) == consultation_id,
                    col(ConsultationRow.practice_id) == practice_id,
                    *conditions,
                )
                .values(**values)
            )
            session.commit()
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def set_thread(self, practice_id: int, consultation_id: int, thread: str | None) -> None:
        self._update(practice_id, consultation_id, thread=thread)

    def mark_answered(self, practice_id: int, consultation_id: int, at: datetime) -> bool:
        return self._update(
            practice_id, consultation_id, col(ConsultationRow.status) == OPEN, status=ANSWERED, answered_at=at
        )

    def resolve(self, practice_id: int, consultation_id: int, outcome: str, at: datetime) -> bool:
        return self._update(
            practice_id,
            consultation_id,
            col(ConsultationRow.status) != RESOLVED,
            status=RESOLVED,
            outcome=outcome,
            resolved_at=at,
        )

    def claim_bump(self, practice_id: int, consultation_id: int, at: datetime) -> bool:
        return self._update(
            practice_id,
            consultation_id,
            col(ConsultationRow.bumped_at).is_(None),
            col(ConsultationRow.status) == OPEN,
            bumped_at=at,
        )

    def release_bump(self, practice_id: int, consultation_id: int) -> None:
        self._update(practice_id, consultation_id, bumped_at=None)

    def purge(self, practice_id: int, opened_before: datetime, at: datetime) -> int:
        with Session(self.engine) as session:
            result = session.execute(
                update(ConsultationRow)
                .where(
                    col(ConsultationRow.practice_id) == practice_id,
                    col(ConsultationRow.purged_at).is_(None),
                    col(ConsultationRow.opened_at) < opened_before,
                )
                .values(text=None, question=None, outcome=None, purged_at=at)
            )
            session.commit()
            return int(result.rowcount)  # type: ignore[attr-defined]

    def step_aside(self, practice_id: int, consultation_id: int, member_id: int, at: datetime) -> bool:
        try:
            with Session(self.engine) as session:
                row = session.get(ConsultationRow, consultation_id)
                if row is None or row.practice_id != practice_id:
                    return False
                session.add(StepAsideRow(consultation_id=consultation_id, member_id=member_id, at=at))
                session.commit()
                return True
        except IntegrityError:
            return False

    # -- settings --------------------------------------------------------------------------------

    def answer_limits(self, practice_id: int) -> AnswerLimits:
        with Session(self.engine) as session:
            row = session.get(ConsultSettingsRow, practice_id)
            if row is None:
                return AnswerLimits()
            return AnswerLimits(hours=row.answer_hours, urgent_hours=row.urgent_answer_hours)

    def set_answer_limits(self, practice_id: int, limits: AnswerLimits) -> None:
        with Session(self.engine) as session:
            row = session.get(ConsultSettingsRow, practice_id)
            if row is None:
                row = ConsultSettingsRow(practice_id=practice_id)
            row.answer_hours = limits.hours
            row.urgent_answer_hours = limits.urgent_hours
            session.add(row)
            session.commit()
