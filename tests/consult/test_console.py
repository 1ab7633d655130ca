"""The consultation flow in `boundary-bot console`, driven through `ConsoleSession` with scripted input,
and the `boundary-bot consult run-due` command."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from adapters.cli import app
from adapters.console.notifier import ConsoleNotifier
from adapters.console.session import ConsoleSession
from adapters.runtime import Runtime, build_runtime
from bot.config import Settings
from tests.fakes import FakeClock


class Terminal:
    """Scripted keyboard and a screen that remembers everything printed, prompts included."""

    def __init__(self, lines: list[str]) -> None:
        self._lines: Iterator[str] = iter(lines)
        self.screen: list[str] = []

    def read(self, prompt: str) -> str:
        self.screen.append(prompt)
        try:
            return next(self._lines)
        except StopIteration:
            raise EOFError from None

    def write(self, text: str) -> None:
        self.screen.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.screen)


FORM_ANSWERS = [
    "",  # situation: keep the prefilled friend-request
    "1",  # Facebook
    "1",  # current client
    "Jessica sent me a friend request on Facebook yesterday.",
    "Should I ignore it or raise it in session?",
    "yes",  # urgent
    "yes",  # anonymous
]


async def test_console_consultation_is_screened_fixed_and_posted(runtime: Runtime) -> None:
    terminal = Terminal(
        [
            "/boundary consult",
            "/boundary admin consult-channel #consultations",
            "/boundary consult friend-request",
            *FORM_ANSWERS,
            # Only the rejected field is asked again; the rest keep their answers.
            "A current client sent me a friend request on Facebook yesterday.",
            "/boundary consult list",
            "quit",
        ]
    )
    runtime.notifiers["console"] = ConsoleNotifier(terminal.write)
    code = await ConsoleSession(runtime.core, terminal.read, terminal.write, user="dana").run()

    screen = terminal.text
    assert code == 0
    assert "/boundary admin consult-channel #channel" in screen  # before the channel is set
    assert 'a name ("Jessica")' in screen
    assert screen.count("Your question for colleagues") == 1  # asked once, not again after the rejection
    assert "[#consultations]" in screen
    assert "Consultation C-2026-0001 (urgent)" in screen
    assert "A current client sent me a friend request on Facebook yesterday." in screen
    assert "Jessica" not in screen.split("[#consultations]")[1]
    assert "Asked anonymously" in screen and "Asked by dana" not in screen
    assert "Posted as C-2026-0001" in screen
    assert "waiting for a reply" in screen.split("Your consultations")[1]


async def test_console_resolve_and_step_aside(runtime: Runtime) -> None:
    terminal = Terminal(
        [
            "/boundary admin consult-channel consultations",
            "/boundary consult tagged",
            "",
            "2",
            "2",
            "A former client tagged me in a photo from a public event.",
            "Do I ask them to remove it, or leave it?",
            "no",
            "no",
            "/boundary consult resolve C-2026-0001 Left it and raised it in session",
            "quit",
        ]
    )
    runtime.notifiers["console"] = ConsoleNotifier(terminal.write)
    await ConsoleSession(runtime.core, terminal.read, terminal.write, user="dana").run()

    screen = terminal.text
    assert "Asked by dana" in screen
    assert "[#consultations, thread: Consultation C-2026-0001]" in screen
    assert "Outcome: Left it and raised it in session" in screen


def test_run_due_bumps_and_purges_from_the_command_line(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    clock = FakeClock()
    runtime = build_runtime(
        Settings(DATABASE_URL=database, BOUNDARY_DATA_DIR=str(tmp_path), _env_file=None),  # type: ignore[call-arg]
        clock=clock,
    )
    terminal = Terminal(
        [
            "/boundary admin consult-channel consultations",
            "/boundary consult",
            "1",
            "1",
            "1",
            "A client looked me up and messaged my personal account.",
            "How do I redirect them?",
            "no",
            "no",
            "quit",
        ]
    )
    runtime.notifiers["console"] = ConsoleNotifier(terminal.write)
    session = ConsoleSession(runtime.core, terminal.read, terminal.write, user="dana")
    asyncio.run(session.run())
    assert "Posted as C-2026-0001" in terminal.text
    opened = clock.now()
    runtime.close()

    env = {"DATABASE_URL": database, "BOUNDARY_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    early = runner.invoke(
        app, ["consult", "run-due", "--now", (opened + timedelta(hours=1)).isoformat(), "--json"], env=env
    )
    assert early.exit_code == 0, early.output
    assert json.loads(early.output.strip().splitlines()[-1]) == {"bumped": 0, "purged": 0}

    late = runner.invoke(
        app, ["consult", "run-due", "--now", (opened + timedelta(hours=25)).isoformat()], env=env
    )
    assert late.exit_code == 0, late.output
    assert "is still waiting" in late.output and "bumped 1" in late.output

    expired = (opened + timedelta(days=91)).strftime("%Y-%m-%dT%H:%M:%SZ")
    purge = runner.invoke(app, ["consult", "run-due", "--now", expired, "--json"], env=env)
    assert json.loads(purge.output.strip().splitlines()[-1]) == {"bumped": 0, "purged": 1}

    bad = runner.invoke(app, ["consult", "run-due", "--now", "next tuesday"], env=env)
    assert bad.exit_code == 2 and "ISO-8601" in bad.output
