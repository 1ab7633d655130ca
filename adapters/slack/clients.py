"""Slack Web API clients: every one honours SLACK_API_URL and retries rate limits and server errors.

slack-sdk turns on only the connection-error retry by default; Boundary adds the async rate-limit
handler (waits for `Retry-After` without blocking the event loop) and the server-error handler.
"""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

#: Seconds before a Web API call gives up; the SDK's default (30 s) is far past a 3-second ack.
TIMEOUT = 10


def base_url(api_url: str) -> str:
    """slack-sdk joins method names onto the base URL, so it must end with a slash."""
    return api_url if api_url.endswith("/") else api_url + "/"


def web_client(api_url: str, token: str | None = None) -> AsyncWebClient:
    return AsyncWebClient(
        token=token,
        base_url=base_url(api_url),
        timeout=TIMEOUT,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )
