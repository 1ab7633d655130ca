"""`boundary-bot reviews run-due|status|export` as an operator runs them: real processes, a real file."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "DATABASE_URL"))}
    env |= {"BOUNDARY_DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-c", "from adapters.cli import main; main()", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_run_due_status_and_export_for_an_audit(tmp_path: Path) -> None:
    mine = run(tmp_path, "ask", "reviews")  # the console operator asks; their review opens
    assert mine.returncode == 0 and "Not done yet" in mine.stdout
    later = (datetime.now(UTC) + timedelta(days=4)).isoformat()
    sent = run(tmp_path, "reviews", "run-due", "--now", later)
    assert sent.returncode == 0, sent.stderr
    assert "The practice's ten policy points" in sent.stdout and "reviews: sent 1" in sent.stdout
    again = run(tmp_path, "reviews", "run-due", "--now", later)
    assert "nothing due" in again.stdout
    status = json.loads(run(tmp_path, "reviews", "status", "--json").stdout)
    [practice] = status["practices"]
    assert practice["completed"] == [] and practice["pending"][0]["reminders_sent"] == 1
    task = next(line.split()[-1] for line in mine.stdout.splitlines() if "reviews done" in line)
    assert run(tmp_path, "ask", f"reviews done {task}").returncode == 0
    status = json.loads(run(tmp_path, "reviews", "status", "--json").stdout)
    assert status["practices"][0]["pending"] == [] and status["practices"][0]["completed"][0]["completed_at"]
    year = str(datetime.now(UTC).year)
    exported = run(tmp_path, "reviews", "export", "--cycle", year, "--out", str(tmp_path / "audit.csv"))
    assert exported.returncode == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "audit.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 1 and rows[0]["status"] == "done" and rows[0]["completed_at"]
    assert rows[0]["follow_ups_sent"] == "0"
    text = run(tmp_path, "reviews", "status")
    assert "1 of 1 done" in text.stdout


def test_bad_input_gets_a_clear_message(tmp_path: Path) -> None:
    bad_time = run(tmp_path, "reviews", "run-due", "--now", "next tuesday")
    assert bad_time.returncode == 2 and "ISO-8601" in bad_time.stderr and "Traceback" not in bad_time.stderr
    bad_year = run(tmp_path, "reviews", "export", "--cycle", "26")
    assert bad_year.returncode == 2 and "review year" in bad_year.stderr
