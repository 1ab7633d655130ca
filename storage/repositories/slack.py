"""Slack installations and OAuth states on sqlmodel.

The repository stores what it is given: the adapter encrypts each installation before `save` and
decrypts after `latest`, so no token is ever readable in the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from storage.tables.slack import SlackInstallationRow, SlackOAuthStateRow


class SqlSlackInstallations:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(
        self,
        *,
        kind: str,
        client_id: str,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        is_enterprise_install: bool,
        installed_at: datetime,
        payload: str,
    ) -> None:
        with Session(self.engine) as session:
            session.add(
                SlackInstallationRow(
                    kind=kind,
                    client_id=client_id,
                    enterprise_id=enterprise_id or "",
                    team_id=team_id or "",
                    user_id=user_id,
                    is_enterprise_install=is_enterprise_install,
                    installed_at=installed_at,
                    payload=payload,
                )
            )
            session.commit()

    def latest(
        self,
        *,
        kind: str,
        client_id: str,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
    ) -> str | None:
        """The newest payload for a workspace (an org-wide install ignores the team id)."""
        with Session(self.engine) as session:
            query = select(SlackInstallationRow.payload).where(
                SlackInstallationRow.kind == kind,
                SlackInstallationRow.client_id == client_id,
                SlackInstallationRow.enterprise_id == (enterprise_id or ""),
                SlackInstallationRow.team_id == (team_id or ""),
            )
            if user_id is not None:
                query = query.where(SlackInstallationRow.user_id == user_id)
            query = query.order_by(
                col(SlackInstallationRow.installed_at).desc(), col(SlackInstallationRow.id).desc()
            )
            return session.exec(query.limit(1)).first()

    def delete(
        self,
        *,
        kind: str,
        client_id: str,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
    ) -> int:
        with Session(self.engine) as session:
            statement = delete(SlackInstallationRow).where(
                col(SlackInstallationRow.kind) == kind,
                col(SlackInstallationRow.client_id) == client_id,
                col(SlackInstallationRow.enterprise_id) == (enterprise_id or ""),
                col(SlackInstallationRow.team_id) == (team_id or ""),
            )
            if user_id is not None:
                statement = statement.where(col(SlackInstallationRow.user_id) == user_id)
            result = session.exec(statement)  # type: ignore[call-overload]
            session.commit()
            return int(result.rowcount or 0)


class SqlSlackOAuthStates:
    """One-time states: `consume` succeeds once, and only before the state expires."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def issue(self, state: str, expires_at: datetime) -> None:
        with Session(self.engine) as session:
            session.add(SlackOAuthStateRow(state=state, expires_at=expires_at))
            session.commit()

    def consume(self, state: str, now: datetime) -> bool:
        with Session(self.engine) as session:
            statement = delete(SlackOAuthStateRow).where(
                col(SlackOAuthStateRow.state) == state, col(SlackOAuthStateRow.expires_at) > now
            )
            result = session.exec(statement)  # type: ignore[call-overload]
            # Expired states are swept at the same time so the table stays small.
            session.exec(delete(SlackOAuthStateRow).where(col(SlackOAuthStateRow.expires_at) <= now))  # type: ignore[call-overload]
            session.commit()
            return int(result.rowcount or 0) == 1


__all__ = ["SqlSlackInstallations", "SqlSlackOAuthStates"]
