"""`boundary-bot practice list|export|delete`: a practice can take its records and go."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from storage.database import make_engine, upgrade
from storage.repositories import SqlPracticeRepository
from storage.repositories.practice_data import PracticeData


def _resolve(practices: SqlPracticeRepository, ref: str) -> int:
    """A practice by number, or by `platform:external-id` (e.g. `slack:T0123`)."""
    if ref.isdigit() and practices.get(int(ref)) is not None:
        return int(ref)
    if ":" in ref:
        platform, external = ref.split(":", 1)
        found = practices.find(platform, external)
        if found is not None:
            return found.id
    typer.echo(f"No practice {ref!r}. `boundary-bot practice list` shows the practices.", err=True)
    raise typer.Exit(2)


def register(app: typer.Typer, open_runtime: Callable[..., Any], load_settings: Callable[[], Any]) -> None:
    practice_app = typer.Typer(help="Export or delete a practice's data.", no_args_is_help=True)
    app.add_typer(practice_app, name="practice")

    def engine_for() -> Any:
        engine = make_engine(load_settings().resolved_database_url)
        upgrade(engine)
        return engine

    @practice_app.command("list")
    def list_practices() -> None:
        """Every practice with its number, platform and workspace/tenant id."""
        engine = engine_for()
        try:
            for practice in SqlPracticeRepository(engine).list_all():
                typer.echo(
                    f"{practice.id}\t{practice.platform}:{practice.external_id}\t{practice.name or ''}"
                )
        finally:
            engine.dispose()

    @practice_app.command("export")
    def export(
        ref: Annotated[str, typer.Argument(help="practice number or platform:external-id")],
        out: Annotated[
            Path | None, typer.Option("--out", help="write to this file instead of stdout")
        ] = None,
    ) -> None:
        """Everything Boundary holds for the practice, as JSON (tokens left out)."""
        engine = engine_for()
        try:
            practice_id = _resolve(SqlPracticeRepository(engine), ref)
            document = PracticeData(engine).export(practice_id)
            text = json.dumps(document, indent=2, ensure_ascii=False)
            if out is None:
                typer.echo(text)
            else:
                out.write_text(text + "\n", encoding="utf-8")
                typer.echo(f"exported practice {practice_id} to {out}", err=True)
        finally:
            engine.dispose()

    @practice_app.command("delete")
    def delete(
        ref: Annotated[str, typer.Argument(help="practice number or platform:external-id")],
        yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
    ) -> None:
        """Delete the practice and everything it owns. Export first: this cannot be undone."""
        engine = engine_for()
        try:
            practice_id = _resolve(SqlPracticeRepository(engine), ref)
            if not yes and not typer.confirm(f"Delete practice {practice_id} and all its records?"):
                typer.echo("Nothing deleted.")
                raise typer.Exit(1)
            counts = PracticeData(engine).delete(practice_id) or {}
            summary = ", ".join(f"{table} {count}" for table, count in sorted(counts.items()))
            typer.echo(f"deleted practice {practice_id}: {summary}")
        finally:
            engine.dispose()
