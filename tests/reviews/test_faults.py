"""Fault tests on PostgreSQL with real processes: `boundary-bot reviews run-due` against a local fake
Slack server. Every member must end with exactly one DM: with two senders at once, after a sender
is killed mid-run, and when Slack answers 429 and 500 part of the time."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.runtime import build_runtime
from bot.config import Settings
from tests.fakes import FakeClock
from tests.reviews.conftest import inbound
from tests.reviews.limited_slack import LimitedSlack

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)  # a Monday, inside working hours in UTC
TOKEN = "xoxb-T0REVIEW"


def seed(database_url: str, tmp_path: Path, members: int) -> None:
    """A practice whose first review cycle is open, with `members` clinicians due a nudge at NOW."""
    settings = Settings(DATABASE_URL=database_url, BOUNDARY_DATA_DIR=str(tmp_path), _env_file=None)  # type: ignore[call-arg]
    runtime = build_runtime(settings, clock=FakeClock(NOW))
    try:
        for number in range(members):
            runtime.directory.identify(inbound("help", f"U{number:04d}"))
        runtime.extras["reviews"].plan(NOW)
    finally:
        runtime.close()


def states(database_url: str) -> dict[str, int]:
    from storage.database import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT state, count(*) FROM review_delivery WHERE step = 'initial' GROUP BY state")
            ).all()
        return {state: count for state, count in rows}
    finally:
        engine.dispose()


def command() -> list[str]:
    found = shutil.which("boundary-bot")
    return [found] if found else [sys.executable, "-c", "from adapters.cli import main; main()"]


async def run_due(
    database_url: str, fake: LimitedSlack, tmp_path: Path, now: datetime
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_API_URL": fake.api_url,
        "SLACK_BOT_TOKEN": TOKEN,
        "BOUNDARY_DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("SLACK_CLIENT_ID", None)
    return await asyncio.create_subprocess_exec(
        *command(),
        "reviews",
        "run-due",
        "--now",
        now.isoformat(),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finish(process: asyncio.subprocess.Process, timeout: float = 120) -> str:
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode == 0, err.decode()
    return out.decode()


@pytest.fixture
async def fake() -> AsyncIterator[LimitedSlack]:
    server = await LimitedSlack(channel_limit=None, workspace_limit=None).start()
    yield server
    await server.stop()


def assert_once_each(fake: LimitedSlack, members: int) -> None:
    per_channel = fake.posts_per_channel()
    assert len(per_channel) == members, f"{members - len(per_channel)} members got no DM"
    doubled = {channel: count for channel, count in per_channel.items() if count != 1}
    assert not doubled, f"doubled DMs: {doubled}"
    for messages in fake.posted.values():
        assert messages[0]["metadata"]["event_payload"]["delivery"].startswith("boundary-review-")


async def test_two_processes_at_once_deliver_each_nudge_exactly_once(
    postgres_url: str, tmp_path: Path, fake: LimitedSlack
) -> None:
    members = 60
    seed(postgres_url, tmp_path, members)
    fake.delay = 0.02
    first, second = await asyncio.gather(
        run_due(postgres_url, fake, tmp_path, NOW), run_due(postgres_url, fake, tmp_path, NOW)
    )
    outputs = await asyncio.gather(finish(first), finish(second))
    assert_once_each(fake, members)
    assert states(postgres_url) == {"sent": members}
    assert all("reviews:" in output for output in outputs)
    again = await run_due(postgres_url, fake, tmp_path, NOW + timedelta(minutes=1))
    assert "nothing due" in await finish(again)
    assert fake.total_posted() == members


async def test_a_sender_killed_mid_run_and_restarted_loses_none_and_doubles_none(
    postgres_url: str, tmp_path: Path, fake: LimitedSlack
) -> None:
    members = 40
    seed(postgres_url, tmp_path, members)
    fake.delay = 0.15
    process = await run_due(postgres_url, fake, tmp_path, NOW)
    for _ in range(600):
        if fake.total_posted() >= members // 3:
            break
        await asyncio.sleep(0.05)
    assert 0 < fake.total_posted() < members, "the kill must land mid-run"
    process.send_signal(signal.SIGKILL)
    await process.wait()
    posted_before_restart = fake.total_posted()
    assert states(postgres_url).get("claimed", 0) > 0  # the dead process held claims it never recorded
    # Restarted after the lease (5 minutes) ran out: it checks the DM history before re-sending.
    fake.delay = 0.0
    restarted = await run_due(postgres_url, fake, tmp_path, NOW + timedelta(minutes=6))
    output = await finish(restarted)
    assert "recovered" in output
    assert_once_each(fake, members)
    assert states(postgres_url) == {"sent": members}
    assert fake.total_posted() - posted_before_restart == members - posted_before_restart


async def test_429_and_500_part_of_the_time_still_end_with_every_nudge_once(
    postgres_url: str, tmp_path: Path, fake: LimitedSlack
) -> None:
    members = 30
    seed(postgres_url, tmp_path, members)
    fake.fault_rate = 0.35
    moment = NOW
    for _ in range(12):
        await finish(await run_due(postgres_url, fake, tmp_path, moment))
        if states(postgres_url) == {"sent": members}:
            break
        moment += timedelta(minutes=30)  # past any backoff
    assert fake.rejected[429] > 0 and fake.rejected[500] > 0
    assert_once_each(fake, members)
    assert states(postgres_url) == {"sent": members}
