"""`boundary-bot consult run-due`: bump unanswered consultations and purge expired text, then exit.

The same work the scheduler's tick does every minute, for operators without the long-running server
(a cron job) and for checking what a given moment would do (`--now`). Safe to repeat and to run from
several processes at once: each bump and purge is claimed with a conditional update.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import typer


def parse_moment(text: str) -> datetime:
    """An ISO-8601 moment; one without a zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not an ISO-8601 time, e.g. 2026-03-02T15:00:00Z") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def register(app: typer.Typer, open_runtime: Callable[..., Any], load_settings: Callable[[], Any]) -> None:
    consult_app = typer.Typer(help="Peer consultation upkeep.", no_args_is_help=True)
    app.add_typer(consult_app, name="consult")

    @consult_app.command("run-due")
    def run_due(
        now: Annotated[str | None, typer.Option("--now", help="ISO-8601 moment to act as")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print {bumped, purged} as JSON")] = False,
    ) -> None:
        """Bump consultations unanswered past the practice's limit and purge text past its retention."""
        moment = parse_moment(now) if now else None
        runtime = open_runtime()
        try:
            service = runtime.extras["consultations"]
            result = asyncio.run(service.tick(moment or runtime.clock.now()))
        finally:
            runtime.close()
        if as_json:
            typer.echo(json.dumps({"bumped": result.bumped, "purged": result.purged}))
        else:
            typer.echo(f"bumped {result.bumped} unanswered consultation(s), purged text of {result.purged}")
