"""The review store on SQLite and PostgreSQL: one row per nudge, leased claims, guarded outcomes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from bot.services.delivery import RETRY, SENT, Outcome
from bot.services.reviews import PlannedDelivery, PlannedTask
from storage.repositories.core import SqlMemberRepository, SqlPracticeRepository
from storage.repositories.reviews import SqlReviewStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def seeded(engine: Engine, members: int, *, due: datetime = NOW) -> tuple[SqlReviewStore, int, list[int]]:
    practices, people = SqlPracticeRepository(engine), SqlMemberRepository(engine)
    practice = practices.get_or_create("slack", "T1", "Practice", NOW)
    ids = [people.get_or_create(practice.id, f"U{n}", None, None, NOW).id for n in range(members)]
    store = SqlReviewStore(engine)
    cycle, created = store.open_cycle(practice.id, 2027, "", NOW)
    assert created
    plans = [PlannedTask(mid, (PlannedDelivery("initial", due, mid),)) for mid in ids]
    assert store.add_tasks(practice.id, cycle.id, plans, NOW) == members
    assert store.add_tasks(practice.id, cycle.id, plans, NOW) == 0  # repeating adds nothing
    return store, practice.id, ids


def test_a_nudge_exists_once_per_task_and_step(engine: Engine) -> None:
    store, practice_id, ids = seeded(engine, 1)
    cycle = store.current_cycle(practice_id)
    assert cycle is not None
    task = store.task_for(cycle.id, ids[0])
    assert task is not None
    assert not store.add_delivery(task.id, PlannedDelivery("initial", NOW, ids[0]))
    assert store.add_delivery(task.id, PlannedDelivery("followup-7", NOW, ids[0]))
    assert store.snooze(practice_id, task.id, NOW, PlannedDelivery("snooze-1", NOW, ids[0]))
    assert not store.snooze(practice_id, task.id, NOW, PlannedDelivery("snooze-1", NOW, ids[0]))
    assert [d.step for d in store.deliveries(task.id)].count("snooze-1") == 1
    again, created = store.open_cycle(practice_id, 2027, "", NOW)
    assert not created and again.id == cycle.id


def test_claims_are_leased_and_an_expired_lease_is_claimed_again_as_recovering(engine: Engine) -> None:
    store, _, _ = seeded(engine, 3)
    assert store.claim_due(NOW - timedelta(seconds=1), NOW, 10) == []  # not due yet
    first = store.claim_due(NOW, NOW + timedelta(minutes=5), 10)
    assert len(first) == 3 and not any(claim.recovering for claim in first)
    assert store.claim_due(NOW + timedelta(minutes=4), NOW + timedelta(minutes=9), 10) == []
    # The first claimer "crashed"; after its lease the rows come back, flagged for a history check.
    second = store.claim_due(NOW + timedelta(minutes=5), NOW + timedelta(minutes=10), 10)
    assert len(second) == 3 and all(claim.recovering for claim in second)
    # The crashed claimer's late outcome cannot overwrite the newer claim.
    stale = [Outcome(c.delivery.id, c.delivery.attempts - 1, SENT, NOW, message_id="old") for c in second]
    store.record(stale)
    assert store.claim_due(NOW + timedelta(minutes=6), NOW + timedelta(minutes=11), 10) == []
    fresh = [
        Outcome(c.delivery.id, c.delivery.attempts, SENT, NOW, message_id=f"m{c.delivery.id}") for c in second
    ]
    store.record(fresh)
    rows = [d for c in second for d in store.deliveries(c.task.id)]
    assert {d.state for d in rows} == {"sent"} and all(d.message_id == f"m{d.id}" for d in rows)
    assert store.claim_due(NOW + timedelta(days=30), NOW + timedelta(days=31), 10) == []


def test_a_retry_comes_back_after_its_backoff(engine: Engine) -> None:
    store, _, _ = seeded(engine, 1)
    (claim,) = store.claim_due(NOW, NOW + timedelta(minutes=5), 10)
    store.record(
        [
            Outcome(
                claim.delivery.id, 1, RETRY, NOW, error="ConnectionError", retry_at=NOW + timedelta(minutes=2)
            )
        ]
    )
    assert store.claim_due(NOW + timedelta(minutes=1), NOW + timedelta(minutes=6), 10) == []
    (again,) = store.claim_due(NOW + timedelta(minutes=2), NOW + timedelta(minutes=7), 10)
    assert again.delivery.attempts == 2 and not again.recovering
    assert again.delivery.last_error == "ConnectionError"


def test_concurrent_claimers_take_disjoint_rows(engine: Engine) -> None:
    seeded(engine, 120)
    taken: list[list[int]] = []
    lock = threading.Lock()

    def claimer() -> None:
        mine: list[int] = []
        while batch := SqlReviewStore(engine).claim_due(NOW, NOW + timedelta(minutes=5), 7):
            mine += [claim.delivery.id for claim in batch]
        with lock:
            taken.append(mine)

    threads = [threading.Thread(target=claimer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [delivery for mine in taken for delivery in mine]
    assert len(every) == 120 and len(set(every)) == 120


def test_the_due_query_uses_the_waiting_index(engine: Engine) -> None:
    store, _, _ = seeded(engine, 5)
    statement = store._due(NOW, 100)
    compiled = statement.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET enable_seqscan = off"))  # tiny table: ask whether the index is usable
            plan = "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {compiled}")))
        else:
            plan = "\n".join(str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_review_delivery_waiting_due" in plan, plan


@pytest.mark.parametrize("steps", [("initial", "followup-7", "escalation")])
def test_done_cancels_waiting_reminders_but_not_an_admins_summary(
    engine: Engine, steps: tuple[str, ...]
) -> None:
    store, practice_id, ids = seeded(engine, 1, due=NOW + timedelta(days=1))
    cycle = store.current_cycle(practice_id)
    assert cycle is not None
    task = store.task_for(cycle.id, ids[0])
    assert task is not None
    for step in steps[1:]:
        store.add_delivery(task.id, PlannedDelivery(step, NOW + timedelta(days=2), ids[0]))
    assert store.complete(practice_id, task.id, NOW)
    assert not store.complete(practice_id, task.id, NOW)
    states = {d.step: d.state for d in store.deliveries(task.id)}
    assert states == {"initial": "cancelled", "followup-7": "cancelled", "escalation": "pending"}
