"""Review delivery at scale: 10,000 members across 100 Slack workspaces, and the idle tick's cost.

Run from the repository root: `python tests/bench/bench_reviews.py [--workspaces 100] [--members 100]`.
Uses PostgreSQL when BOUNDARY_TEST_POSTGRES_URL is set (a throwaway database), else SQLite.

The fake Slack server (tests/reviews/limited_slack.py) enforces chat.postMessage limits of 1 message
per second per channel and 50 per second per workspace (sliding one-second windows, 429 with
Retry-After beyond). The path measured is the product's: the delivery engine with its pacer, the
real `SlackNotifier` with slack-sdk clients (conversations.open + chat.postMessage per nudge), and
the SQL store's leased claims and batched outcome writes.

The bound: every member has their own DM channel and gets one nudge, so the channel limit never
binds; each workspace must fit its M messages into windows of 50 per second, so its last message
can come no earlier than ceil(M / 50) - 1 seconds after its first. Workspaces are independent, so
the bound for all of them is the same figure (1 s for M = 100). Efficiency = bound / measured.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from adapters.slack.clients import web_client  # noqa: E402
from adapters.slack.notifier import SlackNotifier  # noqa: E402
from bot.services.delivery import DeliveryEngine  # noqa: E402
from bot.services.pacing import Pacer  # noqa: E402
from bot.services.reviews import ReviewService  # noqa: E402
from storage.database import make_engine, upgrade  # noqa: E402
from storage.repositories.core import SqlMemberRepository, SqlPracticeRepository  # noqa: E402
from storage.repositories.reviews import SqlReviewStore  # noqa: E402
from storage.tables.core import MemberRow  # noqa: E402
from tests.reviews.limited_slack import LimitedSlack  # noqa: E402

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
WORKSPACE_LIMIT = 50


def database() -> tuple[str, str, object]:
    server = os.environ.get("BOUNDARY_TEST_POSTGRES_URL")
    if not server:
        folder = tempfile.mkdtemp(prefix="bench-reviews-")
        return "sqlite", f"sqlite:///{folder}/bench.db", None
    name = f"bench_reviews_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return (
        "postgresql",
        make_url(server).set(database=name).render_as_string(hide_password=False),
        (admin, name),
    )


def drop(handle: object) -> None:
    if handle is None:
        return
    admin, name = handle  # type: ignore[misc]
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workspaces", type=int, default=100)
    parser.add_argument("--members", type=int, default=100, help="members per workspace")
    parser.add_argument("--concurrency", type=int, default=256)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument(
        "--fake-in-process",
        action="store_true",
        help="run the fake Slack server in this process (default: its own process, so its CPU is not ours)",
    )
    parser.add_argument(
        "--shared-session",
        action="store_true",
        help="one aiohttp session (kept-alive connections) for the slack-sdk clients, not one per call",
    )
    args = parser.parse_args()
    kind, url, handle = database()
    engine = make_engine(url)
    try:
        upgrade(engine)
        practices, members = SqlPracticeRepository(engine), SqlMemberRepository(engine)
        store = SqlReviewStore(engine)
        started = time.perf_counter()
        for w in range(args.workspaces):
            practice = practices.get_or_create("slack", f"T{w:03d}", f"Practice {w}", NOW)
            with engine.begin() as conn:
                conn.execute(
                    insert(MemberRow.__table__),  # type: ignore[attr-defined]
                    [
                        {
                            "practice_id": practice.id,
                            "external_id": f"U{w:03d}{m:04d}",
                            "role": "member",
                            "active": True,
                            "created_at": NOW,
                        }
                        for m in range(args.members)
                    ],
                )
        ReviewService(store, practices, members).plan(NOW)
        seed_s = time.perf_counter() - started
        total = args.workspaces * args.members

        if args.fake_in_process:
            fake: LimitedSlack | None = await LimitedSlack(
                channel_limit=1, workspace_limit=WORKSPACE_LIMIT
            ).start()
            assert fake is not None
            api_url, server = fake.api_url, None
        else:
            fake = None
            server = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.reviews.limited_slack",
                "1",
                str(WORKSPACE_LIMIT),
                cwd=ROOT,
                stdout=asyncio.subprocess.PIPE,
            )
            assert server.stdout is not None
            api_url = (await server.stdout.readline()).decode().strip()
        clients = {}
        session = (
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) if args.shared_session else None
        )

        async def client_for(team: str):  # type: ignore[no-untyped-def]
            if team not in clients:
                clients[team] = web_client(api_url, f"xoxb-{team}")
                if session is not None:
                    clients[team].session = session
            return clients[team]

        delivery = DeliveryEngine(
            store,
            practices,
            {"slack": SlackNotifier(client_for)},
            pacer=Pacer(workspace_limit=WORKSPACE_LIMIT, channel_limit=1),
            batch_size=args.batch,
            concurrency=args.concurrency,
        )
        started = time.perf_counter()
        outcomes: Counter[str] = Counter()
        rounds = 0
        while outcomes["sent"] < total and rounds < 20:
            outcomes.update(await delivery.run_due(NOW))
            rounds += 1
        elapsed = time.perf_counter() - started
        async with aiohttp.ClientSession() as probe, probe.get(api_url + "_stats") as answer:
            stats = await answer.json()
        span = (stats["last_post"] or 0) - (stats["first_post"] or 0)
        bound = math.ceil(args.members / WORKSPACE_LIMIT) - 1 if args.members > WORKSPACE_LIMIT else 0.0
        idle = []
        service = ReviewService(store, practices, members)
        for _ in range(30):
            tick_started = time.perf_counter()
            service.plan(NOW)
            idle_outcomes = await delivery.run_due(NOW)
            idle.append((time.perf_counter() - tick_started) * 1000)
            assert not idle_outcomes
        compiled = store._due(NOW, 1000).compile(engine, compile_kwargs={"literal_binds": True})
        with engine.connect() as conn:
            if kind == "postgresql":
                conn.execute(text("ANALYZE review_delivery"))
                plan = [row[0] for row in conn.execute(text(f"EXPLAIN ANALYZE {compiled}"))]
            else:
                plan = [str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
        if session is not None:
            await session.close()
        if fake is not None:
            await fake.stop()
        if server is not None:
            server.terminate()
            await server.wait()

        print(f"database: {kind}; {args.workspaces} workspaces x {args.members} members = {total} nudges")
        sessions = "one shared aiohttp session" if session else "default (a new session per call)"
        print(f"slack-sdk clients: {sessions}")
        print(f"seeding (members, cycles, tasks, deliveries): {seed_s:.2f} s")
        print(f"delivered: {outcomes['sent']} sent, outcomes {dict(outcomes)} in {rounds} run(s)")
        once = stats["channels"] == total and stats["posted"] == total and not stats["doubled"]
        print(f"fake Slack server: {'in this process' if fake else 'its own process'}")
        print(f"every member exactly one DM: {once}")
        print(
            f"429 answers from the fake: {stats['rejected'].get('429', 0)}; Web API calls: {stats['calls']}"
        )
        print(f"time to deliver all: {elapsed:.2f} s (first to last post: {span:.2f} s)")
        print(f"bound from the limits: {bound:.2f} s per workspace, all workspaces in parallel")
        if bound:
            print(f"efficiency (bound / measured): {bound / elapsed:.2f}")
        print(
            f"throughput: {total / elapsed:.0f} nudges/s (limits allow {args.workspaces * WORKSPACE_LIMIT}/s)"
        )
        print(
            f"idle tick (plan + claim, nothing due): median {statistics.median(idle):.2f} ms, "
            f"max {max(idle):.2f} ms over {len(idle)}"
        )
        print("due query plan:")
        for line in plan:
            print(f"  {line}")
    finally:
        engine.dispose()
        drop(handle)


if __name__ == "__main__":
    asyncio.run(main())
