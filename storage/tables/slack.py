"""Slack installations (tokens encrypted by the adapter before they get here) and OAuth states."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class SlackInstallationRow(SQLModel, table=True):
    """One OAuth install (kind "installation") or bot grant (kind "bot") for a workspace or org.

    Only ids live in plain columns, for lookups; `payload` is the whole installation, tokens included,
    as ciphertext produced by the adapter. The newest row for a team wins.
    """

    __tablename__ = "slack_installation"
    __table_args__ = (Index("ix_slack_installation_lookup", "client_id", "enterprise_id", "team_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    client_id: str = Field(max_length=64)
    enterprise_id: str = Field(default="", max_length=64)
    team_id: str = Field(default="", max_length=64)
    user_id: str | None = Field(default=None, max_length=64)
    is_enterprise_install: bool = Field(default=False)
    installed_at: datetime = Field(sa_type=UTCDateTime)
    payload: str = Field(sa_type=Text)


class SlackOAuthStateRow(SQLModel, table=True):
    """A one-time OAuth `state` issued by /slack/install, consumed by /slack/oauth_redirect."""

    __tablename__ = "slack_oauth_state"

    id: int | None = Field(default=None, primary_key=True)
    state: str = Field(max_length=128, unique=True)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
