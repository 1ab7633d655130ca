"""Storage on SQLite and PostgreSQL: registration, roles, the audit log and event dedupe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from storage.repositories import SqlAuditLog, SqlMemberRepository, SqlPracticeRepository, SqlProcessedEvents

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def test_practice_is_registered_once(engine: Engine) -> None:
    practices = SqlPracticeRepository(engine)
    first = practices.get_or_create("slack", "T123", "Riverside Counselling", NOW)
    again = practices.get_or_create("slack", "T123", "Other name", NOW + timedelta(days=1))
    assert again.id == first.id
    assert again.name == "Riverside Counselling"
    assert again.created_at == NOW
    assert practices.get_or_create("teams", "T123", None, NOW).id != first.id, (
        "platforms are separate tenants"
    )


def test_settings_are_updated_and_unknown_ones_refused(engine: Engine) -> None:
    practices = SqlPracticeRepository(engine)
    practice = practices.get_or_create("slack", "T1", None, NOW)
    updated = practices.update_settings(practice.id, consult_channel="C42", review_month=3, review_day=1)
    assert (updated.consult_channel, updated.review_month, updated.review_day) == ("C42", 3, 1)
    assert practices.get(practice.id) == updated
    with pytest.raises(ValueError, match="unknown practice settings"):
        practices.update_settings(practice.id, client_name="x")


def test_members_belong_to_one_practice(engine: Engine) -> None:
    practices = SqlPracticeRepository(engine)
    members = SqlMemberRepository(engine)
    a = practices.get_or_create("slack", "TA", None, NOW)
    b = practices.get_or_create("slack", "TB", None, NOW)
    alice = members.get_or_create(a.id, "U1", "alice", "America/Chicago", NOW)
    assert members.get_or_create(a.id, "U1", None, None, NOW).id == alice.id
    other = members.get_or_create(b.id, "U1", None, None, NOW)
    assert other.id != alice.id, "the same platform user id in two workspaces is two members"
    assert members.get(b.id, alice.id) is None, "no reading across practices"
    assert [m.external_id for m in members.list_for_practice(a.id)] == ["U1"]


def test_roles_and_deactivation(engine: Engine) -> None:
    practice = SqlPracticeRepository(engine).get_or_create("slack", "T1", None, NOW)
    members = SqlMemberRepository(engine)
    member = members.get_or_create(practice.id, "U1", None, None, NOW)
    assert member.role == "member" and member.active
    assert members.set_role(practice.id, member.id, "admin").role == "admin"
    with pytest.raises(ValueError):
        members.set_role(practice.id, member.id, "owner")
    members.set_active(practice.id, member.id, False)
    assert members.list_for_practice(practice.id) == []
    assert len(members.list_for_practice(practice.id, active_only=False)) == 1


def test_audit_log_keeps_who_what_when(engine: Engine) -> None:
    practice = SqlPracticeRepository(engine).get_or_create("slack", "T1", None, NOW)
    member = SqlMemberRepository(engine).get_or_create(practice.id, "U1", None, None, NOW)
    audit = SqlAuditLog(engine)
    audit.record(practice.id, member.id, "admin.add", "member:7", NOW)
    audit.record(practice.id, member.id, "settings.consult_channel", None, NOW + timedelta(minutes=1))
    entries = audit.list_for_practice(practice.id)
    assert [(e.action, e.target) for e in entries] == [
        ("settings.consult_channel", None),
        ("admin.add", "member:7"),
    ]
    assert entries[0].at == NOW + timedelta(minutes=1)
    assert entries[0].actor_member_id == member.id


def test_an_event_takes_effect_once(engine: Engine) -> None:
    events = SqlProcessedEvents(engine)
    assert events.first_time("slack", "Ev1", NOW) is True
    assert events.first_time("slack", "Ev1", NOW) is False
    assert events.first_time("teams", "Ev1", NOW) is True
    assert events.purge_before(NOW + timedelta(seconds=1)) == 2
    assert events.first_time("slack", "Ev1", NOW) is True


def test_times_come_back_in_utc(engine: Engine) -> None:
    practices = SqlPracticeRepository(engine)
    moment = datetime(2026, 6, 1, 23, 0, tzinfo=UTC).astimezone()
    practice = practices.get_or_create("slack", "TZ", None, moment)
    assert practices.get(practice.id).created_at == moment  # type: ignore[union-attr]
    assert practices.get(practice.id).created_at.tzinfo is UTC  # type: ignore[union-attr]
