"""Settings, read once at the edge (the CLI's composition root) and passed in.

Names follow the public contract (`CONTRACT.md`): environment variables, or a `.env` file in the
working directory.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "boundary"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    data_dir: Path = Field(default_factory=default_data_dir, alias="BOUNDARY_DATA_DIR")
    secret_key: str | None = Field(default=None, alias="BOUNDARY_SECRET_KEY")
    content_dir: Path | None = Field(default=None, alias="BOUNDARY_CONTENT_DIR")
    public_url: str | None = Field(default=None, alias="BOUNDARY_PUBLIC_URL")

    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")

    microsoft_app_id: str = Field(default="", alias="MICROSOFT_APP_ID")
    microsoft_app_password: str = Field(default="", alias="MICROSOFT_APP_PASSWORD")
    microsoft_app_tenant_id: str = Field(default="", alias="MICROSOFT_APP_TENANT_ID")
    microsoft_app_type: str = Field(default="SingleTenant", alias="MICROSOFT_APP_TYPE")
    teams_dev: bool = Field(default=False, alias="BOUNDARY_TEAMS_DEV")

    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    log_format: str = Field(default="text", alias="LOG_FORMAT")

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'boundary.db'}"
