"""Consultation storage on SQLite and PostgreSQL: reference numbers under concurrency, atomic steps, purge."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from bot.services.consultation import AnswerLimits, NewConsultation
from storage.repositories import SqlMemberRepository, SqlPracticeRepository
from storage.repositories.consult import SqlConsultationRepository

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def setup(engine: Engine) -> tuple[SqlConsultationRepository, int, int]:
    practice = SqlPracticeRepository(engine).get_or_create("slack", "T1", "Practice", NOW)
    member = SqlMemberRepository(engine).get_or_create(practice.id, "U1", "Asker", None, NOW)
    return SqlConsultationRepository(engine), practice.id, member.id


def draft(
    practice_id: int, member_id: int, *, year: int = 2026, situation: str = "friend-request"
) -> NewConsultation:
    return NewConsultation(
        practice_id=practice_id,
        year=year,
        situation=situation,
        platform_label="facebook",
        client_status="current",
        text="A current client sent a request.",
        question="What should I do?",
        urgent=False,
        anonymous=True,
        requester_id=member_id,
        channel="C1",
        opened_at=NOW,
    )


def test_reference_numbers_count_per_practice_and_year(engine: Engine) -> None:
    repo, practice_id, member_id = setup(engine)
    other = SqlPracticeRepository(engine).get_or_create("slack", "T2", "Other", NOW)
    other_member = SqlMemberRepository(engine).get_or_create(other.id, "U9", None, None, NOW)

    refs = [repo.create(draft(practice_id, member_id)).reference for _ in range(3)]
    assert refs == ["C-2026-0001", "C-2026-0002", "C-2026-0003"]
    assert repo.create(draft(other.id, other_member.id)).reference == "C-2026-0001"
    assert repo.create(draft(practice_id, member_id, year=2027)).reference == "C-2027-0001"
    assert repo.get(practice_id, "C-2026-0002") is not None
    assert repo.get(other.id, "C-2026-0002") is None  # nothing crosses practices


def test_concurrent_openings_never_share_a_number(engine: Engine) -> None:
    repo, practice_id, member_id = setup(engine)

    def open_one(_: int) -> str:
        return repo.create(draft(practice_id, member_id)).reference

    with ThreadPoolExecutor(max_workers=8) as pool:
        refs = list(pool.map(open_one, range(40)))

    assert sorted(refs) == [f"C-2026-{n:04d}" for n in range(1, 41)]


def test_a_deleted_last_consultation_gives_its_number_back(engine: Engine) -> None:
    repo, practice_id, member_id = setup(engine)
    first = repo.create(draft(practice_id, member_id))
    second = repo.create(draft(practice_id, member_id))
    repo.delete(practice_id, second.id)
    assert repo.create(draft(practice_id, member_id)).reference == "C-2026-0002"
    repo.delete(practice_id, first.id)  # not the last: the number stays used
    assert repo.create(draft(practice_id, member_id)).reference == "C-2026-0003"


def test_lifecycle_steps_happen_once(engine: Engine) -> None:
    repo, practice_id, member_id = setup(engine)
    made = repo.create(draft(practice_id, member_id))
    repo.set_thread(practice_id, made.id, "1700000000.000100")

    found = repo.find_by_thread(practice_id, "C1", "1700000000.000100")
    assert found is not None and found.id == made.id
    assert repo.unanswered(practice_id, NOW)[0].id == made.id
    assert repo.claim_bump(practice_id, made.id, NOW) is True
    assert repo.claim_bump(practice_id, made.id, NOW) is False
    assert repo.unanswered(practice_id, NOW) == []
    assert repo.mark_answered(practice_id, made.id, NOW) is True
    assert repo.mark_answered(practice_id, made.id, NOW) is False
    assert repo.resolve(practice_id, made.id, "Declined", NOW) is True
    assert repo.resolve(practice_id, made.id, "Again", NOW) is False
    done = repo.get(practice_id, made.reference)
    assert done is not None and (done.status, done.outcome) == ("resolved", "Declined")
    assert done.answered_at == NOW and done.resolved_at == NOW


def test_purge_empties_text_and_keeps_the_record(engine: Engine) -> None:
    repo, practice_id, member_id = setup(engine)
    old = repo.create(draft(practice_id, member_id, situation="tagged"))
    repo.resolve(practice_id, old.id, "Raised it in session", NOW)
    later = NOW + timedelta(days=91)

    assert repo.purge(practice_id, later - timedelta(days=90), later) == 1
    assert repo.purge(practice_id, later - timedelta(days=90), later) == 0
    purged = repo.get(practice_id, old.reference)
    assert purged is not None
    assert (purged.text, purged.question, purged.outcome) == (None, None, None)
    assert (purged.situation, purged.status, purged.purged_at) == ("tagged", "resolved", later)
    assert repo.count_by_situation(practice_id, 2026) == {"tagged": 1}


def test_step_aside_and_limits(engine: Engine) -> None:
    repo, practice_id, member_id = setup(engine)
    colleague = SqlMemberRepository(engine).get_or_create(practice_id, "U2", None, None, NOW)
    made = repo.create(draft(practice_id, member_id))

    assert repo.step_aside(practice_id, made.id, colleague.id, NOW) is True
    assert repo.step_aside(practice_id, made.id, colleague.id, NOW) is False
    assert repo.stepped_aside(practice_id, made.id) == frozenset({colleague.id})

    assert repo.answer_limits(practice_id) == AnswerLimits(24, 4)
    repo.set_answer_limits(practice_id, AnswerLimits(12, 2))
    repo.set_answer_limits(practice_id, AnswerLimits(10, 3))
    assert repo.answer_limits(practice_id) == AnswerLimits(10, 3)
