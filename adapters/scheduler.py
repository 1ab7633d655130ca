"""The in-process scheduler: it only ticks, every minute. All durable state lives in our tables.

APScheduler 3 cannot share a job store between processes, so each `boundary-bot serve` process runs
an in-memory AsyncIOScheduler with one interval job. The job calls `tick(runtime, now)`, which opens
review cycles that are due and delivers due nudges through the delivery engine's leased claims: any
number of processes (and `boundary-bot reviews run-due` from cron) can tick at once without sending
anything twice. A tick missed while the process was down needs no replay: the next tick sees every
delivery whose time has passed.

Other features add their own due work to `runtime.extras["tick_jobs"]`: a list of
`async (now) -> None` callables, each run on every tick after the reviews, each isolated from the
others' failures.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from adapters.metrics import DELIVERIES, ERRORS

if TYPE_CHECKING:
    from adapters.runtime import Runtime

log = logging.getLogger(__name__)

TickJob = Callable[[datetime], Awaitable[None]]
SCHEDULER: web.AppKey[Any] = web.AppKey("boundary_scheduler", object)
FIRST_TICK: web.AppKey[Any] = web.AppKey("boundary_first_tick", object)
INTERVAL_SECONDS = 60
#: A tick up to this late still runs (a busy event loop, a slow database); later ones coalesce.
MISFIRE_GRACE_SECONDS = 50


async def tick(runtime: Runtime, now: datetime | None = None) -> Counter[str]:
    """One round of due work: open due review cycles, deliver due nudges, run other features' jobs."""
    moment = now or runtime.clock.now()
    outcomes: Counter[str] = Counter()
    service = runtime.extras.get("reviews")
    engine = runtime.extras.get("review_engine")
    try:
        if service is not None:
            await asyncio.to_thread(service.plan, moment)
        if engine is not None:
            outcomes = await engine.run_due(moment)
            for outcome, count in outcomes.items():
                DELIVERIES.labels(outcome=outcome).inc(count)
    except Exception:
        ERRORS.labels(where="scheduler.reviews").inc()
        log.exception("review tick failed; the next tick retries")
    jobs: list[TickJob] = list(runtime.extras.get("tick_jobs", []))
    for job in jobs:
        try:
            await job(moment)
        except Exception:
            ERRORS.labels(where="scheduler.job").inc()
            log.exception("tick job %s failed", getattr(job, "__qualname__", "job"))
    return outcomes


def build_scheduler(runtime: Runtime) -> Any:
    """An AsyncIOScheduler with one tick job; misfire and coalescing are set explicitly (the
    defaults would drop a tick that is one second late)."""
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    # In memory on purpose: several processes must never share an APScheduler job store.
    scheduler = AsyncIOScheduler(jobstores={"default": MemoryJobStore()}, timezone="UTC")
    scheduler.add_job(
        tick,
        "interval",
        seconds=INTERVAL_SECONDS,
        args=[runtime],
        id="boundary-tick",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
        replace_existing=True,
    )
    return scheduler


def attach(app: web.Application, runtime: Runtime) -> None:
    """Start the scheduler with the web app and stop it on cleanup; ticks once right at start so a
    restart after downtime catches up at once rather than a minute later."""

    async def start(_app: web.Application) -> None:
        scheduler = build_scheduler(runtime)
        scheduler.start()
        app[SCHEDULER] = scheduler
        app[FIRST_TICK] = asyncio.get_running_loop().create_task(tick(runtime))

    async def stop(_app: web.Application) -> None:
        scheduler = app.get(SCHEDULER)
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        first = app.get(FIRST_TICK)
        if first is not None and not first.done():
            first.cancel()

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
