"""A practice that leaves takes its records (export) and leaves nothing behind (delete)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select

from storage.repositories import SqlAuditLog, SqlMemberRepository, SqlPracticeRepository, SqlProcessedEvents
from storage.repositories.practice_data import PracticeData, _owned_rows, practice_paths

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def populate(engine: Engine, external_id: str) -> int:
    practices = SqlPracticeRepository(engine)
    members = SqlMemberRepository(engine)
    practice = practices.get_or_create("slack", external_id, f"Practice {external_id}", NOW)
    practices.update_settings(practice.id, consult_channel="C1", policy_url="https://example.org/policy")
    alice = members.get_or_create(practice.id, "U1", "alice", "Europe/London", NOW)
    members.get_or_create(practice.id, "U2", "bo", None, NOW)
    SqlAuditLog(engine).record(practice.id, alice.id, "admin.add", "member:2", NOW)
    return practice.id


def owned_counts(engine: Engine, practice_id: int) -> dict[str, int]:
    counts = {}
    with engine.connect() as connection:
        for name, path in practice_paths().items():
            query = _owned_rows(path, practice_id)
            counts[name] = connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    return counts


def test_every_practice_table_is_reachable() -> None:
    paths = practice_paths()
    assert {"practice", "member", "audit_event"} <= set(paths)
    assert "processed_event" not in paths, "event ids belong to no practice"


def test_export_holds_the_practice_records_and_no_secrets(engine: Engine) -> None:
    leaving = populate(engine, "TLEAVE")
    populate(engine, "TSTAY")
    document = PracticeData(engine).export(leaving)
    assert document is not None
    tables = document["tables"]
    assert [row["external_id"] for row in tables["practice"]] == ["TLEAVE"]
    assert tables["practice"][0]["policy_url"] == "https://example.org/policy"
    assert sorted(row["display_name"] for row in tables["member"]) == ["alice", "bo"]
    assert [row["action"] for row in tables["audit_event"]] == ["admin.add"]
    text = json.dumps(document)
    assert "TSTAY" not in text, "nothing of another practice"
    assert '"payload"' not in text and "token" not in text


def test_delete_removes_everything_of_one_practice_only(engine: Engine) -> None:
    leaving = populate(engine, "TLEAVE")
    staying = populate(engine, "TSTAY")
    SqlProcessedEvents(engine).first_time("slack", "Ev1", NOW)
    before = owned_counts(engine, staying)
    counts = PracticeData(engine).delete(leaving)
    assert counts is not None and counts["member"] == 2 and counts["practice"] == 1
    assert set(owned_counts(engine, leaving).values()) == {0}
    assert owned_counts(engine, staying) == before
    assert PracticeData(engine).delete(leaving) is None
    assert PracticeData(engine).export(leaving) is None


def test_cli_export_then_delete(tmp_path: Path) -> None:
    env = {**os.environ, "BOUNDARY_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)

    def cli(*args: str, answer: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "adapters.cli", *args],
            input=answer,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    assert cli("ask", "help").returncode == 0  # registers the console practice
    listing = cli("practice", "list").stdout.strip().splitlines()
    assert len(listing) == 1 and "console:local" in listing[0]
    out = tmp_path / "export.json"
    assert cli("practice", "export", "console:local", "--out", str(out)).returncode == 0
    exported = json.loads(out.read_text())
    assert exported["tables"]["practice"][0]["external_id"] == "local"
    assert len(exported["tables"]["member"]) == 1
    refused = cli("practice", "delete", "console:local", answer="n\n")
    assert refused.returncode == 1 and "Nothing deleted" in refused.stdout
    done = cli("practice", "delete", "console:local", "--yes")
    assert done.returncode == 0 and "member 1" in done.stdout
    assert cli("practice", "list").stdout.strip() == ""
    missing = cli("practice", "export", "console:local")
    assert missing.returncode == 2 and "No practice" in missing.stderr
