"""Teams conversation references on sqlmodel: saved often, read before every proactive message."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.tables.teams import ConversationRefRow


@dataclass(frozen=True)
class StoredReference:
    """A member's personal-chat reference as the adapter saved it (a plain JSON object)."""

    practice_id: int
    member_id: int
    conversation_id: str
    service_url: str
    reference: dict[str, Any]
    updated_at: datetime


def _to_record(row: ConversationRefRow) -> StoredReference:
    return StoredReference(
        practice_id=row.practice_id,
        member_id=row.member_id,
        conversation_id=row.conversation_id,
        service_url=row.service_url,
        reference=json.loads(row.reference),
        updated_at=row.updated_at,
    )


class SqlConversationRefs:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(
        self, practice_id: int, member_id: int, reference: dict[str, Any], now: datetime
    ) -> StoredReference:
        """Insert or replace the member's reference (the service URL can move between regions)."""
        conversation = reference.get("conversation") or {}
        values: dict[str, Any] = {
            "conversation_id": str(conversation.get("id", "")),
            "service_url": str(reference.get("serviceUrl", "")),
            "reference": json.dumps(reference, sort_keys=True),
            "updated_at": now,
        }
        for _attempt in range(2):
            with Session(self.engine) as session:
                row = session.exec(self._query(practice_id, member_id)).first()
                if row is None:
                    row = ConversationRefRow(practice_id=practice_id, member_id=member_id, **values)
                else:
                    for name, value in values.items():
                        setattr(row, name, value)
                session.add(row)
                try:
                    session.commit()
                except IntegrityError:
                    # Another instance saved the first reference a moment ago: update theirs.
                    session.rollback()
                    continue
                session.refresh(row)
                return _to_record(row)
        raise RuntimeError("could not save the conversation reference")

    def get(self, practice_id: int, member_id: int) -> StoredReference | None:
        with Session(self.engine) as session:
            row = session.exec(self._query(practice_id, member_id)).first()
            return _to_record(row) if row else None

    def list_for_practice(self, practice_id: int) -> Sequence[StoredReference]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(ConversationRefRow)
                .where(ConversationRefRow.practice_id == practice_id)
                .order_by(col(ConversationRefRow.id))
            )
            return [_to_record(row) for row in rows]

    @staticmethod
    def _query(practice_id: int, member_id: int) -> Any:
        return select(ConversationRefRow).where(
            ConversationRefRow.practice_id == practice_id, ConversationRefRow.member_id == member_id
        )
