"""Practices, members, the audit log and event dedupe on sqlmodel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from bot.records import AuditEntry, Member, Practice
from storage.tables.core import AuditEventRow, MemberRow, PracticeRow, ProcessedEventRow

Row = TypeVar("Row", bound=SQLModel)
Record = TypeVar("Record")

PRACTICE_SETTINGS = frozenset(
    {
        "name",
        "consult_channel",
        "review_month",
        "review_day",
        "retention_days",
        "policy_url",
        "policy_version",
        "timezone",
        "anonymous_visible_to_admins",
    }
)


def to_practice(row: PracticeRow) -> Practice:
    assert row.id is not None
    return Practice(
        id=row.id,
        platform=row.platform,
        external_id=row.external_id,
        name=row.name,
        created_at=row.created_at,
        consult_channel=row.consult_channel,
        review_month=row.review_month,
        review_day=row.review_day,
        retention_days=row.retention_days,
        policy_url=row.policy_url,
        policy_version=row.policy_version,
        timezone=row.timezone,
        anonymous_visible_to_admins=row.anonymous_visible_to_admins,
    )


def to_member(row: MemberRow) -> Member:
    assert row.id is not None
    return Member(
        id=row.id,
        practice_id=row.practice_id,
        external_id=row.external_id,
        display_name=row.display_name,
        timezone=row.timezone,
        role=row.role,
        active=row.active,
        created_at=row.created_at,
    )


def insert_once(
    engine: Engine, row: Row, convert: Callable[[Row], Record], refind: Callable[[], Record | None]
) -> Record:
    """Insert `row`; if a unique key says another instance inserted it a moment ago, return theirs."""
    try:
        with Session(engine) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
            return convert(row)
    except IntegrityError:
        found = refind()
        assert found is not None
        return found


class SqlPracticeRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get_or_create(self, platform: str, external_id: str, name: str | None, now: datetime) -> Practice:
        found = self.find(platform, external_id)
        if found is not None:
            return found
        row = PracticeRow(platform=platform, external_id=external_id, name=name, created_at=now)
        return insert_once(self.engine, row, to_practice, lambda: self.find(platform, external_id))

    def get(self, practice_id: int) -> Practice | None:
        with Session(self.engine) as session:
            row = session.get(PracticeRow, practice_id)
            return to_practice(row) if row else None

    def find(self, platform: str, external_id: str) -> Practice | None:
        with Session(self.engine) as session:
            row = session.exec(
                select(PracticeRow).where(
                    PracticeRow.platform == platform, PracticeRow.external_id == external_id
                )
            ).first()
            return to_practice(row) if row else None

    def list_all(self) -> Sequence[Practice]:
        with Session(self.engine) as session:
            return [
                to_practice(row) for row in session.exec(select(PracticeRow).order_by(col(PracticeRow.id)))
            ]

    def update_settings(self, practice_id: int, **changes: Any) -> Practice:
        unknown = set(changes) - PRACTICE_SETTINGS
        if unknown:
            raise ValueError(f"unknown practice settings: {sorted(unknown)}")
        with Session(self.engine) as session:
            row = session.get(PracticeRow, practice_id)
            if row is None:
                raise LookupError(f"no practice {practice_id}")
            for name, value in changes.items():
                setattr(row, name, value)
            session.add(row)
            session.commit()
            session.refresh(row)
            return to_practice(row)

    def delete(self, practice_id: int) -> bool:
        with Session(self.engine) as session:
            row = session.get(PracticeRow, practice_id)
            if row is None:
                return False
            session.delete(row)
            session.commit()
            return True


class SqlMemberRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get_or_create(
        self,
        practice_id: int,
        external_id: str,
        display_name: str | None,
        timezone: str | None,
        now: datetime,
    ) -> Member:
        found = self.find(practice_id, external_id)
        if found is not None:
            return found
        row = MemberRow(
            practice_id=practice_id,
            external_id=external_id,
            display_name=display_name,
            timezone=timezone,
            created_at=now,
        )
        return insert_once(self.engine, row, to_member, lambda: self.find(practice_id, external_id))

    def get(self, practice_id: int, member_id: int) -> Member | None:
        with Session(self.engine) as session:
            row = session.get(MemberRow, member_id)
            return to_member(row) if row and row.practice_id == practice_id else None

    def find(self, practice_id: int, external_id: str) -> Member | None:
        with Session(self.engine) as session:
            row = session.exec(
                select(MemberRow).where(
                    MemberRow.practice_id == practice_id, MemberRow.external_id == external_id
                )
            ).first()
            return to_member(row) if row else None

    def list_for_practice(self, practice_id: int, *, active_only: bool = True) -> Sequence[Member]:
        with Session(self.engine) as session:
            query = select(MemberRow).where(MemberRow.practice_id == practice_id)
            if active_only:
                query = query.where(col(MemberRow.active).is_(True))
            return [to_member(row) for row in session.exec(query.order_by(col(MemberRow.id)))]

    def _update(self, practice_id: int, member_id: int, **values: Any) -> Member:
        with Session(self.engine) as session:
            row = session.get(MemberRow, member_id)
            if row is None or row.practice_id != practice_id:
                raise LookupError(f"no member {member_id} in practice {practice_id}")
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)
            session.commit()
            session.refresh(row)
            return to_member(row)

    def set_role(self, practice_id: int, member_id: int, role: str) -> Member:
        if role not in {"member", "admin"}:
            raise ValueError(f"unknown role {role!r}")
        return self._update(practice_id, member_id, role=role)

    def set_active(self, practice_id: int, member_id: int, active: bool) -> Member:
        return self._update(practice_id, member_id, active=active)

    def update_profile(
        self, practice_id: int, member_id: int, *, display_name: str | None, timezone: str | None
    ) -> Member:
        return self._update(practice_id, member_id, display_name=display_name, timezone=timezone)


class SqlAuditLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(
        self, practice_id: int, actor_member_id: int | None, action: str, target: str | None, at: datetime
    ) -> AuditEntry:
        with Session(self.engine) as session:
            row = AuditEventRow(
                practice_id=practice_id, actor_member_id=actor_member_id, action=action, target=target, at=at
            )
            session.add(row)
            session.commit()
            session.refresh(row)
            assert row.id is not None
            return AuditEntry(row.id, row.practice_id, row.actor_member_id, row.action, row.target, row.at)

    def list_for_practice(self, practice_id: int, limit: int = 100) -> Sequence[AuditEntry]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(AuditEventRow)
                .where(AuditEventRow.practice_id == practice_id)
                .order_by(col(AuditEventRow.at).desc(), col(AuditEventRow.id).desc())
                .limit(limit)
            )
            return [
                AuditEntry(r.id or 0, r.practice_id, r.actor_member_id, r.action, r.target, r.at)
                for r in rows
            ]


class SqlProcessedEvents:
    """Event dedupe across instances: the unique (platform, event_id) row decides who handles it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def first_time(self, platform: str, event_id: str, now: datetime) -> bool:
        try:
            with Session(self.engine) as session:
                session.add(ProcessedEventRow(platform=platform, event_id=event_id, received_at=now))
                session.commit()
                return True
        except IntegrityError:
            return False

    def purge_before(self, cutoff: datetime) -> int:
        with Session(self.engine) as session:
            rows = session.exec(select(ProcessedEventRow).where(ProcessedEventRow.received_at < cutoff)).all()
            for row in rows:
                session.delete(row)
            session.commit()
            return len(rows)
