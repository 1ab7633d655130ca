"""`boundary-bot`: the command line and the composition root.

Settings are read once here and passed down; every command builds what it needs explicitly.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from adapters.console.render import render
from adapters.console.session import ConsoleSession, console_inbound
from adapters.logs import configure_logging
from adapters.runtime import Runtime, build_runtime
from bot.config import Settings
from bot.content.loader import ContentError
from bot.messages import Reply

app = typer.Typer(
    name="boundary-bot",
    help="Boundary: words for digital boundary moments, peer consultation and a yearly policy review.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def load_settings(*, interactive: bool = False) -> Settings:
    """Settings from the environment; an interactive session logs only warnings unless LOG_LEVEL says."""
    settings = Settings()
    level = settings.log_level
    if interactive and "LOG_LEVEL" not in os.environ:
        level = "WARNING"  # the clinician at the terminal reads answers, not service logs
    configure_logging(level, settings.log_format)
    return settings


def open_runtime(settings: Settings | None = None, *, migrate: bool = True) -> Runtime:
    """Build the runtime or exit with a one-line message a person can act on."""
    settings = settings or load_settings()
    try:
        return build_runtime(settings, migrate=migrate)
    except ContentError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    except OperationalError as exc:
        where = make_url(settings.resolved_database_url).render_as_string(hide_password=True)
        typer.echo(f"database unreachable at {where}: {type(exc.orig).__name__}", err=True)
        raise typer.Exit(2) from exc


def reply_json(reply: Reply) -> dict[str, object]:
    """The contract's `ask --json` object."""
    return {
        "situation": reply.situation,
        "title": reply.title,
        "variant": reply.variant,
        "variants": list(reply.variants),
        "text": render(reply),
        "suggestions": list(reply.suggestions),
    }


@app.command()
def console() -> None:
    """Interactive local session: type what a clinician types in chat."""
    runtime = open_runtime(load_settings(interactive=True))
    try:
        code = asyncio.run(ConsoleSession(runtime.core).run())
    finally:
        runtime.close()
    raise typer.Exit(code)


@app.command()
def ask(
    text: Annotated[
        list[str] | None, typer.Argument(help="What you would type after /boundary; - reads stdin")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract's JSON object")] = False,
    variant: Annotated[
        str | None, typer.Option("--variant", help="written, sensitive, in-session, ...")
    ] = None,
) -> None:
    """One answer to `/boundary TEXT` and exit."""
    words = text or []
    runtime = open_runtime(load_settings(interactive=True))
    try:
        if words == ["-"]:
            queries = [line.strip() for line in sys.stdin if line.strip()]
            replies = asyncio.run(_ask_many(runtime, queries, variant))
            for reply in replies:
                if as_json:
                    typer.echo(json.dumps(reply_json(reply), ensure_ascii=False))
                else:
                    key = reply.situation or "?" + ",".join(reply.suggestions)
                    typer.echo(f"{key}\t{reply.title}")
            return
        reply = asyncio.run(_ask_many(runtime, [" ".join(words)], variant))[0]
        typer.echo(json.dumps(reply_json(reply), ensure_ascii=False, indent=2) if as_json else render(reply))
    finally:
        runtime.close()


async def _ask_many(runtime: Runtime, queries: list[str], variant: str | None) -> list[Reply]:
    suffix = f" {variant}" if variant else ""
    return [await runtime.core.handle(console_inbound(query + suffix)) for query in queries]


@app.command("phi-check")
def phi_check(
    text: Annotated[list[str] | None, typer.Argument(help="Text to screen; - or nothing reads stdin")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    lines: Annotated[bool, typer.Option("--lines", help="Screen each input line as its own text")] = False,
) -> None:
    """Screen text for client identifiers; exit 0 when clean, 1 when something was found."""
    from bot.privacy import screen

    words = text or ["-"]
    body = sys.stdin.read() if words == ["-"] else " ".join(words)
    texts = body.splitlines() if lines else [body]
    found_any = False
    for item in texts:
        result = screen(item)
        found_any = found_any or not result.clean
        if as_json:
            typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=None if lines else 2))
        elif result.clean:
            typer.echo("clean")
        else:
            typer.echo("found: " + "; ".join(f.describe() for f in result.findings))
    raise typer.Exit(1 if found_any else 0)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations (also done automatically at start)."""
    from storage.database import current_revision, make_engine, upgrade

    settings = load_settings()
    engine = make_engine(settings.resolved_database_url)
    try:
        upgrade(engine)
        typer.echo(f"database at revision {current_revision(engine)}")
    finally:
        engine.dispose()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "0.0.0.0",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 3000,
    no_scheduler: Annotated[bool, typer.Option("--no-scheduler", help="Skip the reminder scheduler")] = False,
) -> None:
    """The HTTP server for Slack and Teams (and the reminder scheduler unless --no-scheduler)."""
    from adapters.slack.app import SlackConfigError
    from adapters.web import serve as run_server

    # The server migrates on start-up itself and keeps trying while the database is unreachable.
    runtime = open_runtime(migrate=False)
    runtime.extras["serve_host"] = host  # Teams refuses its unauthenticated dev mode off loopback
    try:
        run_server(runtime, host=host, port=port, scheduler=not no_scheduler)
    except SlackConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    finally:
        runtime.close()


def register_subcommands() -> None:
    """Sub-command groups live in their own modules; each adds itself to `app` here."""
    from adapters.commands import consult, content, practice

    consult.register(app, open_runtime, load_settings)
    content.register(app, open_runtime, load_settings)
    practice.register(app, open_runtime, load_settings)

    from adapters.commands import reviews

    reviews.register(app, open_runtime, load_settings)

    from adapters.commands import teams

    teams.register(app, open_runtime, load_settings)


register_subcommands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
