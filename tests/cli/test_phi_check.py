"""`boundary-bot phi-check` as the contract describes it: exit codes, JSON, one result per line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run


def test_identifiers_found_exit_one_with_spans(tmp_path: Path) -> None:
    text = "My client Jessica posted on March 3rd, call 555-123-4567"
    result = run(["phi-check", "--json", text], tmp_path)
    assert result.returncode == 1
    answer = json.loads(result.stdout)
    assert answer["clean"] is False
    kinds = {finding["kind"] for finding in answer["findings"]}
    assert {"name", "date", "phone"} <= kinds
    for finding in answer["findings"]:
        assert set(finding) == {"kind", "start", "end", "text"}
        assert text[finding["start"] : finding["end"]] == finding["text"]


def test_clean_clinical_text_exits_zero(tmp_path: Path) -> None:
    result = run(["phi-check", "A client in their 60s sent me a Facebook request on Tuesday"], tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == "clean"


def test_lines_screens_each_line_on_its_own(tmp_path: Path) -> None:
    stdin = "my client @rosie_k tagged me\na client liked my post\n"
    result = run(["phi-check", "--lines", "--json", "-"], tmp_path, stdin=stdin)
    assert result.returncode == 1
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [answer["clean"] for answer in answers] == [False, True]
    assert answers[0]["findings"][0]["kind"] == "handle"


def test_plain_output_names_what_to_remove(tmp_path: Path) -> None:
    result = run(["phi-check", "-"], tmp_path, stdin="She emailed me from jess.p@example.com")
    assert result.returncode == 1
    assert result.stdout.startswith("found: ")
    assert "jess.p@example.com" in result.stdout
