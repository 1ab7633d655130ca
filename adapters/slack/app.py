"""The Bolt AsyncApp, in one of three modes chosen from the settings.

- single workspace: SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET, requests over HTTP;
- many workspaces: SLACK_CLIENT_ID + SLACK_CLIENT_SECRET + SLACK_SIGNING_SECRET, installs through
  OAuth with tokens stored encrypted under BOUNDARY_SECRET_KEY (refused without it);
- Socket Mode: SLACK_APP_TOKEN + SLACK_BOT_TOKEN, for a practice without a public URL.

`process_before_response=True` makes Bolt answer when the ack function returns (no polling for
the ack), which is what lets a script travel in the ack's own HTTP response; lazy listeners still
run after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings

from adapters.slack.clients import web_client
from adapters.slack.crypto import SecretKeyError, TokenCipher
from adapters.slack.installations import DatabaseStateStore, EncryptedInstallationStore
from adapters.slack.listeners import SlackListeners
from bot.config import Settings
from storage.repositories.slack import SqlSlackInstallations, SqlSlackOAuthStates

if TYPE_CHECKING:
    from adapters.runtime import Runtime

log = logging.getLogger(__name__)

#: Bot scopes, least privilege; deploy/slack/manifest.yaml says why each is needed.
BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "users:read",
    "channels:history",
    "groups:history",
)

SlackHook = Callable[[AsyncApp, "Runtime"], None]


class SlackConfigError(RuntimeError):
    """The Slack settings are incomplete; the message names what is missing, in one line."""


@dataclass
class SlackApp:
    mode: str  # "single", "oauth" or "socket"
    bolt: AsyncApp
    socket: AsyncSocketModeHandler | None = None
    #: Socket Mode without a signing secret receives nothing over HTTP.
    serves_http: bool = True
    listeners: SlackListeners | None = None

    @property
    def oauth(self) -> bool:
        return self.mode == "oauth"


def slack_mode(settings: Settings) -> str | None:
    if settings.slack_app_token:
        return "socket"
    if settings.slack_client_id or settings.slack_client_secret:
        return "oauth"
    if settings.slack_bot_token or settings.slack_signing_secret:
        return "single"
    return None


def _require(settings: Settings, mode: str, *names: str) -> None:
    missing = [name for name in names if not getattr(settings, name.lower())]
    if missing:
        raise SlackConfigError(f"Slack {mode} mode needs {', '.join(missing)}; see docs/slack.md")


def build_slack_app(runtime: Runtime) -> SlackApp | None:
    """The Bolt app for these settings, None when Slack is not configured at all."""
    settings = runtime.settings
    mode = slack_mode(settings)
    if mode is None:
        return None
    kwargs: dict[str, Any] = {
        "process_before_response": True,
        "logger": logging.getLogger("slack_bolt"),
        "name": "boundary",
        # Boundary defines no workflow custom functions, so that middleware is pure per-request cost.
        "attaching_function_token_enabled": False,
    }
    if mode == "socket":
        _require(settings, "Socket Mode", "SLACK_APP_TOKEN", "SLACK_BOT_TOKEN")
        bolt = AsyncApp(
            client=web_client(settings.slack_api_url, settings.slack_bot_token),
            signing_secret=settings.slack_signing_secret,
            request_verification_enabled=bool(settings.slack_signing_secret),
            **kwargs,
        )
    elif mode == "oauth":
        _require(
            settings, "multi-workspace", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET"
        )
        bolt = _oauth_app(runtime, kwargs)
    else:
        _require(settings, "single-workspace", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
        bolt = AsyncApp(
            client=web_client(settings.slack_api_url, settings.slack_bot_token),
            signing_secret=settings.slack_signing_secret,
            **kwargs,
        )
    listeners = SlackListeners(runtime)
    listeners.register(bolt)
    for hook in runtime.extras.get("slack_listeners", []):
        hook(bolt, runtime)
    socket = None
    if mode == "socket":
        socket = AsyncSocketModeHandler(
            bolt,
            settings.slack_app_token,
            web_client=web_client(settings.slack_api_url, settings.slack_bot_token),
        )
    log.info("slack configured", extra={"slack_mode": mode})
    serves_http = mode != "socket" or bool(settings.slack_signing_secret)
    return SlackApp(mode, bolt, socket, serves_http=serves_http, listeners=listeners)


def installation_store(runtime: Runtime) -> EncryptedInstallationStore:
    """The encrypted store (raises `SlackConfigError` without a usable BOUNDARY_SECRET_KEY)."""
    try:
        cipher = TokenCipher(runtime.settings.secret_key)
    except SecretKeyError as exc:
        raise SlackConfigError(str(exc)) from exc
    return EncryptedInstallationStore(
        SqlSlackInstallations(runtime.engine), cipher, runtime.settings.slack_client_id or ""
    )


def _oauth_app(runtime: Runtime, kwargs: dict[str, Any]) -> AsyncApp:
    settings = runtime.settings
    store = installation_store(runtime)
    client = web_client(settings.slack_api_url)
    redirect = f"{settings.public_url.rstrip('/')}/slack/oauth_redirect" if settings.public_url else None
    oauth = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        redirect_uri=redirect,
        installation_store=store,
        installation_store_bot_only=True,
        state_store=DatabaseStateStore(SqlSlackOAuthStates(runtime.engine), runtime.clock),
    )
    authorize = AsyncInstallationStoreAuthorize(
        installation_store=store,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        bot_only=True,
        # auth.test once per token, not once per request; a revoked token is dropped by the
        # token-revocation listeners below.
        cache_enabled=True,
        client=client,
        logger=logging.getLogger("slack_bolt"),
    )
    bolt = AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret,
        oauth_settings=oauth,
        authorize=authorize,
        installation_store=store,
        installation_store_bot_only=True,
        **kwargs,
    )
    bolt.enable_token_revocation_listeners()
    return bolt
