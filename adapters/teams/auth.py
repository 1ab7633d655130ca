"""Bot Framework authentication for `/api/messages`: configured explicitly, never silently off.

The SDK turns inbound JWT checks off when the app id is empty. Boundary allows that only in an
explicit local mode (`BOUNDARY_TEAMS_DEV=1`, for the Bot Framework Emulator) and only when the server
listens on a loopback address; otherwise `/api/messages` answers 503 and says why.

Every endpoint the SDK talks to is passed in through `ConfigurationBotFrameworkAuthentication`'s
configuration keys (the SDK's "parameterized" mode) instead of its built-in public-cloud constants.
Production passes the public-cloud values below; tests pass a loopback OpenID metadata server and
issuer, so the test exercises the same validation code that runs in production.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)

from bot.config import Settings

log = logging.getLogger(__name__)

APP_TYPES = {
    "singletenant": "SingleTenant",
    "multitenant": "MultiTenant",
    "userassignedmsi": "UserAssignedMSI",
}


@dataclass(frozen=True)
class Endpoints:
    """Where tokens come from and where their signing keys are published (public cloud by default)."""

    openid_metadata_url: str = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
    token_issuer: str = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
    emulator_openid_metadata_url: str = AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
    oauth_scope: str = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
    login_url_prefix: str = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX
    oauth_url: str = AuthenticationConstants.OAUTH_URL
    caller_id: str = "urn:botframework:azure"


PUBLIC_CLOUD = Endpoints()


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_type(settings: Settings) -> str:
    return APP_TYPES.get(settings.microsoft_app_type.strip().lower(), settings.microsoft_app_type.strip())


def configuration_problem(settings: Settings, serve_host: str | None) -> str | None:
    """Why Teams cannot be served with these settings, in words an operator can act on; None if it can."""
    if not settings.microsoft_app_id:
        if not settings.teams_dev:
            return "Microsoft Teams is not configured on this server (MICROSOFT_APP_ID is empty)."
        if not is_loopback(serve_host):
            return (
                "BOUNDARY_TEAMS_DEV=1 turns Teams authentication off, which is only allowed when the server "
                "listens on a loopback address (127.0.0.1 or ::1), "
                f"not on {serve_host or 'an unknown address'}. "
                "Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD instead."
            )
        return None
    kind = app_type(settings)
    if kind not in APP_TYPES.values():
        return (
            f"MICROSOFT_APP_TYPE={settings.microsoft_app_type!r} is unknown; use SingleTenant or MultiTenant."
        )
    if kind == "SingleTenant" and not settings.microsoft_app_tenant_id:
        return (
            "MICROSOFT_APP_TYPE=SingleTenant needs MICROSOFT_APP_TENANT_ID (the Directory (tenant) ID of the "
            "bot's Azure app registration)."
        )
    if kind != "UserAssignedMSI" and not settings.microsoft_app_password:
        return "MICROSOFT_APP_PASSWORD is empty: add the client secret of the bot's Azure app registration."
    return None


class _Configuration:
    """The attribute bag `ConfigurationBotFrameworkAuthentication` reads (names are the SDK's)."""

    def __init__(self, settings: Settings, endpoints: Endpoints) -> None:
        tenant = settings.microsoft_app_tenant_id or AuthenticationConstants.DEFAULT_CHANNEL_AUTH_TENANT
        self.APP_ID = settings.microsoft_app_id
        self.APP_PASSWORD = settings.microsoft_app_password
        # Without an app id (local Emulator mode) only the multi-tenant factory accepts empty credentials.
        self.APP_TYPE = app_type(settings) if settings.microsoft_app_id else "MultiTenant"
        self.APP_TENANTID = settings.microsoft_app_tenant_id
        self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = endpoints.openid_metadata_url
        self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = endpoints.token_issuer
        self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = endpoints.emulator_openid_metadata_url
        self.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = endpoints.oauth_scope
        self.TO_CHANNEL_FROM_BOT_LOGIN_URL = endpoints.login_url_prefix + tenant
        self.OAUTH_URL = endpoints.oauth_url
        self.CALLER_ID = endpoints.caller_id
        self.VALIDATE_AUTHORITY = True


class StrictAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """Every failed inbound check becomes a `PermissionError` (401), not a 500.

    The SDK raises PermissionError for most failures, but a bad signature, an expired token, an
    unknown key id or an unreadable token surface as PyJWT or lookup errors instead.
    """

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        try:
            return await self._inner.authenticate_request(activity, auth_header)
        except PermissionError:
            raise
        except Exception as exc:
            raise PermissionError(f"token rejected: {type(exc).__name__}") from exc

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        try:
            return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)
        except PermissionError:
            raise
        except Exception as exc:
            raise PermissionError(f"token rejected: {type(exc).__name__}") from exc

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._inner.create_connector_factory(claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await self._inner.create_user_token_client(claims_identity)

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self._inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


def make_authentication(
    settings: Settings,
    endpoints: Endpoints = PUBLIC_CLOUD,
    credentials_factory: ServiceClientCredentialsFactory | None = None,
) -> BotFrameworkAuthentication:
    """The SDK's configuration-driven authentication, wrapped so that every failure is a 401.

    `credentials_factory` replaces how outbound tokens are obtained (tests use a local fake; the
    default asks Microsoft Entra ID with the app id and password).
    """
    inner = ConfigurationBotFrameworkAuthentication(
        _Configuration(settings, endpoints), credentials_factory=credentials_factory, logger=log
    )
    return StrictAuthentication(inner)
