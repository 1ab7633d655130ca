"""`boundary-bot content check|export`: a practice's script overrides.

A practice adapts scripts by dropping YAML files into BOUNDARY_CONTENT_DIR. `export` gives them the
built-in files to start from; `check` validates a folder exactly as the bot will at start, so a typo
is found at a desk, not when a clinician asks for words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.content.loader import builtin_files, load_content, review_warnings


def register(app: typer.Typer, open_runtime: Callable[..., Any], load_settings: Callable[[], Any]) -> None:
    content_app = typer.Typer(help="Check or export situation files.", no_args_is_help=True)
    app.add_typer(content_app, name="content")

    @content_app.command("check")
    def check(
        folder: Annotated[
            Path | None,
            typer.Argument(help="Folder of override files; default BOUNDARY_CONTENT_DIR", show_default=False),
        ] = None,
    ) -> None:
        """Validate a folder of overrides over the built-in files; exit 1 on errors, 0 with warnings."""
        if folder is None:
            folder = load_settings().content_dir
        if folder is None:
            typer.echo("No folder given and BOUNDARY_CONTENT_DIR is not set: checking the built-in files.")
        content = load_content(folder)
        errors = [problem for problem in content.problems if problem.severity == "error"]
        warnings = [
            *(problem for problem in content.problems if problem.severity != "error"),
            *review_warnings(content, dt.date.today()),
        ]
        for problem in errors:
            typer.echo(f"error: {problem}", err=True)
        for problem in warnings:
            typer.echo(f"warning: {problem}", err=True)
        prefix = str(folder) if folder is not None else None
        origins = content.origins.items()
        overridden = sorted(key for key, origin in origins if prefix and origin.startswith(prefix))
        summary = f"{len(content.origins)} situations"
        if overridden:
            summary += f" ({len(overridden)} from {folder}: {', '.join(overridden)})"
        if errors:
            typer.echo(f"{len(errors)} error(s), {len(warnings)} warning(s) in {summary}.", err=True)
            raise typer.Exit(1)
        typer.echo(f"Content OK: {summary}; {len(warnings)} warning(s).")

    @content_app.command("export")
    def export(
        folder: Annotated[Path, typer.Argument(help="Where to write the built-in situation files")],
        force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist")] = False,
    ) -> None:
        """Write the built-in situation files to FOLDER as a starting point for a practice's own."""
        if folder.exists() and not folder.is_dir():
            typer.echo(f"{folder} exists and is not a folder.", err=True)
            raise typer.Exit(1)
        files = builtin_files()
        existing = [source.name for source in files if (folder / source.name).exists()]
        if existing and not force:
            typer.echo(
                f"Not overwriting {len(existing)} existing file(s) in {folder} ({', '.join(existing)}); "
                "use --force to replace them.",
                err=True,
            )
            raise typer.Exit(1)
        folder.mkdir(parents=True, exist_ok=True)
        for source in files:
            (folder / source.name).write_text(source.text, encoding="utf-8")
        typer.echo(
            f"Wrote {len(files)} files to {folder}. Edit what you need (a file may keep only `key` and the "
            f"fields it changes), then run `boundary-bot content check {folder}`."
        )
