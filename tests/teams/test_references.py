"""Conversation references on SQLite and PostgreSQL: one per member, replaced when it changes."""

from __future__ import annotations

from sqlalchemy import Engine

from storage.repositories.core import SqlMemberRepository, SqlPracticeRepository
from storage.repositories.teams import SqlConversationRefs
from tests.fakes import FakeClock


def reference(conversation: str, service_url: str) -> dict[str, object]:
    return {
        "bot": {"id": "28:app", "name": "Boundary"},
        "user": {"id": "29:1-alice", "aadObjectId": "aad-alice"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": "t1"},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }


def test_one_reference_per_member_replaced_and_kept_apart_by_practice(
    engine: Engine, clock: FakeClock
) -> None:
    practices, members, refs = (
        SqlPracticeRepository(engine),
        SqlMemberRepository(engine),
        SqlConversationRefs(engine),
    )
    first = practices.get_or_create("teams", "tenant-1", None, clock.now())
    other = practices.get_or_create("teams", "tenant-2", None, clock.now())
    alice = members.get_or_create(first.id, "aad-alice", "Alice", None, clock.now())
    bob = members.get_or_create(other.id, "aad-bob", "Bob", None, clock.now())

    refs.save(first.id, alice.id, reference("a:1", "https://smba.trafficmanager.net/emea/"), clock.now())
    clock.advance(minutes=5)
    saved = refs.save(
        first.id, alice.id, reference("a:1", "https://smba.trafficmanager.net/amer/"), clock.now()
    )
    refs.save(other.id, bob.id, reference("a:2", "https://smba.trafficmanager.net/amer/"), clock.now())

    got = refs.get(first.id, alice.id)
    assert got == saved
    assert got is not None and got.service_url.endswith("/amer/") and got.updated_at == clock.now()
    assert got.reference["conversation"]["id"] == "a:1"
    assert [r.member_id for r in refs.list_for_practice(first.id)] == [alice.id]
    assert refs.get(first.id, bob.id) is None
    # Deleting a practice takes its references with it.
    practices.delete(first.id)
    assert refs.list_for_practice(first.id) == []
    assert refs.get(other.id, bob.id) is not None
