"""Migrations: an empty database of each kind upgrades to head, and the tables match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import storage.tables  # noqa: F401
from storage.database import current_revision, head_revision, make_engine, readiness, upgrade


def test_empty_database_upgrades_to_head(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert readiness(engine)[0] is False, "an empty database is not ready"
        upgrade(engine)
        assert current_revision(engine) == head_revision(engine)
        assert readiness(engine) == (True, "ok")
        tables = set(inspect(engine).get_table_names())
        assert {"practice", "member", "audit_event", "processed_event", "alembic_version"} <= tables
        upgrade(engine)  # a second run is a no-op
        assert current_revision(engine) == head_revision(engine)
    finally:
        engine.dispose()


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"tables and migrations differ; add a migration: {diff}"


def test_sqlite_file_and_folder_are_created_on_first_use(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "deep" / "folder" / "boundary.db"
    engine = make_engine(f"sqlite:///{target}")
    upgrade(engine)
    engine.dispose()
    assert target.exists()
