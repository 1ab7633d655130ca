"""`boundary-bot reviews run-due|status|export`: the yearly review from the command line.

`run-due` is the scheduler's tick as a one-shot command (for cron-style operation and tests): it is
safe to run again and from several processes at once, because deliveries are claimed with a lease
and recorded under a unique (task, step) key. `status` and `export` are for admins and audits; they
show progress only, never checklist answers.
"""

from __future__ import annotations

import asyncio
import csv
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

if TYPE_CHECKING:
    from adapters.runtime import Runtime


def parse_moment(text: str | None) -> datetime | None:
    """ISO-8601; a time without a zone is taken as UTC."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not an ISO-8601 time, e.g. 2027-03-01T09:00:00Z") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def status_rows(runtime: Runtime) -> list[dict[str, Any]]:
    store = runtime.extras["review_store"]
    practices = []
    for practice in runtime.practices.list_all():
        cycle = store.current_cycle(practice.id)
        entry: dict[str, Any] = {
            "practice": practice.name or f"{practice.platform}:{practice.external_id}",
            "platform": practice.platform,
            "cycle": None,
            "completed": [],
            "pending": [],
        }
        if cycle is not None:
            entry["cycle"] = {"year": cycle.year, "policy_version": cycle.policy_version or None}
            for row in store.status(practice.id, cycle.id):
                person = {
                    "member": row.member.display_name or row.member.external_id,
                    "member_id": row.member.external_id,
                }
                if row.task.status == "done":
                    completed_at = row.task.completed_at.isoformat() if row.task.completed_at else None
                    entry["completed"].append(person | {"completed_at": completed_at})
                elif row.task.status == "pending":
                    entry["pending"].append(
                        person
                        | {
                            "reminders_sent": row.nudges_sent,
                            "next_reminder": row.next_due.isoformat() if row.next_due else None,
                            "failed_deliveries": row.failed,
                            "last_error": row.last_error,
                        }
                    )
        practices.append(entry)
    return practices


def write_export(runtime: Runtime, year: int, out: TextIO) -> int:
    store = runtime.extras["review_store"]
    names = {p.id: p.name or f"{p.platform}:{p.external_id}" for p in runtime.practices.list_all()}
    writer = csv.writer(out)
    writer.writerow(
        [
            "practice",
            "cycle",
            "policy_version",
            "member",
            "member_id",
            "status",
            "completed_at",
            "follow_ups_sent",
        ]
    )
    count = 0
    for cycle in store.cycles_in_year(year):
        for row in store.status(cycle.practice_id, cycle.id):
            writer.writerow(
                [
                    names.get(cycle.practice_id, cycle.practice_id),
                    cycle.year,
                    cycle.policy_version,
                    row.member.display_name or row.member.external_id,
                    row.member.external_id,
                    row.task.status,
                    row.task.completed_at.isoformat() if row.task.completed_at else "",
                    row.followups_sent,
                ]
            )
            count += 1
    return count


def register(app: typer.Typer, open_runtime: Callable[..., Any], load_settings: Callable[[], Any]) -> None:
    reviews_app = typer.Typer(help="The yearly policy and privacy review.", no_args_is_help=True)
    app.add_typer(reviews_app, name="reviews")

    @reviews_app.command("run-due")
    def run_due(
        now: Annotated[
            str | None, typer.Option("--now", help="Deliver what is due at this ISO-8601 time")
        ] = None,
    ) -> None:
        """Deliver every review nudge due now (or at --now), then exit. Safe to repeat and run in parallel."""
        from adapters.scheduler import tick

        moment = parse_moment(now)
        runtime = open_runtime()
        try:
            outcomes = asyncio.run(tick(runtime, moment or runtime.clock.now()))
        finally:
            runtime.close()
        summary = ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items())) or "nothing due"
        typer.echo(f"reviews: {summary}")

    @reviews_app.command("status")
    def status(as_json: Annotated[bool, typer.Option("--json", help="One JSON document")] = False) -> None:
        """Per practice: the current cycle, who has completed, who is pending."""
        runtime = open_runtime()
        try:
            rows = status_rows(runtime)
        finally:
            runtime.close()
        if as_json:
            typer.echo(json.dumps({"practices": rows}, ensure_ascii=False, indent=2))
            return
        if not rows:
            typer.echo("No practices yet.")
        for entry in rows:
            cycle = entry["cycle"]
            if cycle is None:
                typer.echo(f"{entry['practice']}: no review cycle yet")
                continue
            version = f", policy {cycle['policy_version']}" if cycle["policy_version"] else ""
            total = len(entry["completed"]) + len(entry["pending"])
            typer.echo(
                f"{entry['practice']}: {cycle['year']}{version}: {len(entry['completed'])} of {total} done"
            )
            for person in entry["completed"]:
                typer.echo(f"  done     {person['member']}  {person['completed_at']}")
            for person in entry["pending"]:
                problem = f"  PROBLEM: {person['last_error']}" if person["last_error"] else ""
                typer.echo(
                    f"  pending  {person['member']}  reminders sent: {person['reminders_sent']}"
                    f"  next: {person['next_reminder'] or '-'}{problem}"
                )

    @reviews_app.command("export")
    def export(
        cycle: Annotated[int, typer.Option("--cycle", help="The review year, e.g. 2026")],
        out: Annotated[
            Path | None, typer.Option("--out", help="Write the CSV here instead of stdout")
        ] = None,
    ) -> None:
        """CSV for audits: member, completed at, follow-ups sent (no checklist answers exist to export)."""
        if not 2000 <= cycle <= 2200:
            raise typer.BadParameter("give the review year, e.g. --cycle 2026", param_hint="--cycle")
        runtime = open_runtime()
        try:
            if out is None:
                count = write_export(runtime, cycle, sys.stdout)
            else:
                with out.open("w", newline="", encoding="utf-8") as handle:
                    count = write_export(runtime, cycle, handle)
                typer.echo(f"wrote {count} rows to {out}", err=True)
        finally:
            runtime.close()
