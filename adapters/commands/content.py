"""`boundary-bot content check|export`: a practice's script overrides (filled in by the content work)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def register(app: typer.Typer, open_runtime: Callable[..., Any], load_settings: Callable[[], Any]) -> None:
    content_app = typer.Typer(help="Check or export situation files.", no_args_is_help=True)
    app.add_typer(content_app, name="content")
