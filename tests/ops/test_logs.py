"""Logs: JSON lines with request ids for operators, and never a secret or message text."""

from __future__ import annotations

import json
import logging

import pytest

from adapters.logs import configure_logging, request_id


@pytest.fixture(autouse=True)
def restore_logging() -> object:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    token = request_id.set("req-42")
    try:
        logging.getLogger("adapters.test").info("slash command handled", extra={"route": "/slack/events"})
    finally:
        request_id.reset(token)
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["request_id"] == "req-42"
    assert record["message"] == "slash command handled"
    assert record["route"] == "/slack/events"
    assert record["level"] == "info"


def test_errors_are_named_not_dumped(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    try:
        raise ValueError("client Jessica Smith said ...")
    except ValueError:
        logging.getLogger("adapters.test").exception("handler failed")
    record = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert record["error"] == "ValueError"
    assert "Jessica" not in json.dumps(record), "exception text can carry what a person typed"


def test_text_format_for_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("DEBUG", "text")
    logging.getLogger("adapters.test").warning("teams dev mode on")
    assert "WARNING adapters.test [-] teams dev mode on" in capsys.readouterr().err
