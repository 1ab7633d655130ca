"""`boundary-bot` as a clinician or a script runs it: real processes, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.catalogue import Catalogue


def written_reply(key: str) -> str:
    """The built-in written reply, filled and with white space folded as the terminal wraps it."""
    catalogue = Catalogue.load()
    situation = catalogue.get(key)
    assert situation is not None
    return " ".join(catalogue.fill(situation.variants["written"].text).split())


CONTRACT_KEYS = {"situation", "title", "variant", "variants", "text", "suggestions"}


def run(
    args: list[str], tmp_path: Path, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "BOUNDARY_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": "",
        "BOUNDARY_CONTENT_DIR": "",
        **env,
    }
    environment = {k: v for k, v in environment.items() if v != ""}
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=60,
    )


def test_ask_json_prints_the_contract_object(tmp_path: Path) -> None:
    result = run(["ask", "--json", "friend-request"], tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) == CONTRACT_KEYS
    assert answer["situation"] == "friend-request"
    assert answer["variants"] == ["written", "sensitive", "in-session", "avoid", "document"]
    assert answer["variant"] == "written"
    assert "social media" in answer["text"]
    assert (tmp_path / "data" / "boundary.db").exists(), "the embedded database is created on first use"


def test_ask_free_text_answers_with_the_script(tmp_path: Path) -> None:
    result = run(["ask", "client followed me on instagram"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("A client sent a friend or follow request")
    assert "*" not in result.stdout and "`" not in result.stdout, "plain text, no chat markup"


def test_ask_variant_option(tmp_path: Path) -> None:
    result = run(["ask", "--json", "--variant", "sensitive", "friend-request"], tmp_path)
    assert json.loads(result.stdout)["variant"] == "sensitive"


def test_gibberish_exits_zero_with_suggestions(tmp_path: Path) -> None:
    result = run(["ask", "--json", "asdfgh"], tmp_path)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    answer = json.loads(result.stdout)
    assert answer["situation"] is None
    assert answer["suggestions"]


def test_ask_reads_one_query_per_line(tmp_path: Path) -> None:
    result = run(
        ["ask", "--json", "-"], tmp_path, stdin="friend-request\n\nclient tagged me in a post\nasdfgh\n"
    )
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["situation"] for a in answers] == ["friend-request", "tagged", None]


def test_console_prints_the_script_and_quits(tmp_path: Path) -> None:
    result = run(["console"], tmp_path, stdin="/boundary friend-request\nquit\n")
    assert result.returncode == 0, result.stderr
    assert "A client sent a friend or follow request" in result.stdout
    assert written_reply("friend-request") in " ".join(result.stdout.split())


def test_console_exits_cleanly_on_end_of_input(tmp_path: Path) -> None:
    result = run(["console"], tmp_path, stdin="help\n")
    assert result.returncode == 0
    assert "Boundary help" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("key: friend-request\ntitle: [unclosed\n", "friend-request.yaml:3: (yaml): not valid YAML"),
        (
            "key: new-thing\ntitle: T\nsummary: S\nwhy: W\ncitations: [ACA A.5.e]\nreviewed_on: 2026-01-01\n"
            "owner: me\nvariants:\n  written:\n    label: Written\n",
            "new-thing.yaml:10: variants.written.text: required field is missing",
        ),
    ],
)
def test_broken_content_file_fails_at_start_with_one_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    name = "friend-request.yaml" if "unclosed" in content else "new-thing.yaml"
    (folder / name).write_text(content)
    result = run(["ask", "friend-request"], tmp_path, BOUNDARY_CONTENT_DIR=str(folder))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert str(folder) in lines[0]


def test_db_upgrade_reports_the_revision(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database at revision" in result.stdout
