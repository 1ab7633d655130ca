"""The scheduler only ticks: explicit misfire and coalescing, one instance, in-memory; the tick runs
every feature's due work and one failing job does not stop the others."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.runtime import Runtime
from adapters.scheduler import MISFIRE_GRACE_SECONDS, attach, build_scheduler, tick
from tests.reviews.conftest import HistoryNotifier, inbound

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_the_tick_job_is_explicit_about_misfires_and_overlap(runtime: Runtime) -> None:
    scheduler = build_scheduler(runtime)
    [job] = scheduler.get_jobs()
    assert job.trigger.interval.total_seconds() == 60
    assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS
    assert job.coalesce is True and job.max_instances == 1
    assert list(scheduler._jobstores) == ["default"]
    assert type(scheduler._jobstores["default"]).__name__ == "MemoryJobStore"


async def test_a_failing_job_does_not_stop_the_reviews_or_the_other_jobs(runtime: Runtime) -> None:
    notifier = HistoryNotifier()
    runtime.notifiers["slack"] = notifier
    runtime.clock.set(MONDAY)  # type: ignore[attr-defined]
    runtime.directory.identify(inbound("help", "UBEN"))
    ran: list[datetime] = []

    async def broken(now: datetime) -> None:
        raise RuntimeError("another feature's bug")

    async def counting(now: datetime) -> None:
        ran.append(now)

    runtime.extras.setdefault("tick_jobs", []).extend([broken, counting])
    outcomes = await tick(runtime, MONDAY)
    assert outcomes["sent"] == 1 and notifier.users() == ["UBEN"]
    assert ran == [MONDAY]


async def test_the_server_ticks_at_start_so_downtime_is_caught_up_at_once(runtime: Runtime) -> None:
    notifier = HistoryNotifier()
    runtime.notifiers["slack"] = notifier
    runtime.clock.set(MONDAY)  # type: ignore[attr-defined]
    runtime.directory.identify(inbound("help", "UBEN"))
    app = web.Application()
    attach(app, runtime)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        for _ in range(100):
            if notifier.sent:
                break
            await asyncio.sleep(0.05)
    finally:
        await server.close()
    assert notifier.users() == ["UBEN"]
