"""Shared fixtures: databases (SQLite and PostgreSQL), a wired runtime, a fake clock.

PostgreSQL tests take the server from BOUNDARY_TEST_POSTGRES_URL and skip without it. Each test
gets its own freshly created database, so test runs (and people) never share state. With
BOUNDARY_REQUIRE_POSTGRES=1 (set by .ci/run), a skipped PostgreSQL test fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from adapters.runtime import Runtime, build_runtime
from bot.config import Settings
from storage.database import make_engine, upgrade
from tests.fakes import FakeClock

POSTGRES_URL = os.environ.get("BOUNDARY_TEST_POSTGRES_URL")
_skipped_postgres: list[str] = []


def _postgres_database() -> Iterator[str]:
    """Create a throwaway database on the test server and drop it afterwards."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need BOUNDARY_TEST_POSTGRES_URL")
    server = make_url(POSTGRES_URL)
    name = f"boundary_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'boundary.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database only (for tests of PostgreSQL-specific behaviour)."""
    yield from _postgres_database()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated database on SQLite and on PostgreSQL."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'runtime.db'}",
        BOUNDARY_DATA_DIR=str(tmp_path),
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def runtime(settings: Settings, clock: FakeClock) -> Iterator[Runtime]:
    """A fully wired runtime on a temporary SQLite database, with the fake clock."""
    built = build_runtime(settings, clock=clock)
    yield built
    built.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests that take the `postgres_url` fixture directly are PostgreSQL tests too.
    for item in items:
        if "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "postgres" in report.keywords:
        _skipped_postgres.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("BOUNDARY_REQUIRE_POSTGRES") == "1" and _skipped_postgres:
        print(f"\n{len(_skipped_postgres)} PostgreSQL test(s) were skipped, which CI does not allow:")
        for nodeid in _skipped_postgres[:10]:
            print(f"  {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
