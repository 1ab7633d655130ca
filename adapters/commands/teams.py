"""`boundary-bot teams package`: build the Teams app package to upload (Teams admin center or
"Upload a custom app")."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlparse

import typer


def register(app: typer.Typer, open_runtime: Callable[..., Any], load_settings: Callable[[], Any]) -> None:
    teams_app = typer.Typer(help="Microsoft Teams: the app package.", no_args_is_help=True)
    app.add_typer(teams_app, name="teams")

    @teams_app.command("package")
    def package(
        app_id: Annotated[
            str, typer.Option("--app-id", help="The bot's Microsoft App ID (Azure Bot, a GUID)")
        ],
        out: Annotated[Path, typer.Option("--out", help="Where to write the .zip")] = Path(
            "boundary-teams.zip"
        ),
        version: Annotated[str, typer.Option("--version", help="App version, e.g. 1.0.0")] = "1.0.0",
        developer: Annotated[
            str, typer.Option("--developer", help="Your practice or company name")
        ] = "Boundary",
        website_url: Annotated[
            str | None, typer.Option("--website-url", help="https URL; default BOUNDARY_PUBLIC_URL")
        ] = None,
        privacy_url: Annotated[str | None, typer.Option("--privacy-url")] = None,
        terms_url: Annotated[str | None, typer.Option("--terms-url")] = None,
    ) -> None:
        """Build the upload package: manifest.json plus colour and outline icons."""
        from adapters.teams.package import PackageError, PackageOptions, build_package

        settings = load_settings()
        website = website_url or settings.public_url or "https://www.example.com/boundary"
        if website_url is None and settings.public_url is None:
            typer.echo("note: no --website-url or BOUNDARY_PUBLIC_URL; using a placeholder link", err=True)
        host = urlparse(settings.public_url).hostname if settings.public_url else None
        options = PackageOptions(
            app_id=app_id.strip(),
            version=version,
            developer=developer,
            website_url=website,
            privacy_url=privacy_url,
            terms_url=terms_url,
            domains=(host,) if host else (),
        )
        try:
            manifest = build_package(out, options)
        except PackageError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from exc
        typer.echo(f"wrote {out} (app {manifest['id']}, version {manifest['version']})")
