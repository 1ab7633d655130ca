"""Requests signed exactly as Slack signs them, and payload builders for commands, clicks and events.

Signature: `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`), sent with the
timestamp in `X-Slack-Request-Timestamp`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

SECRET = "test-signing-secret-0123456789ab"


def signature(secret: str, timestamp: int | str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: str, *, secret: str = SECRET, timestamp: int | None = None, json_body: bool = False
) -> dict[str, str]:
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json" if json_body else "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(stamp),
        "X-Slack-Signature": signature(secret, stamp, body),
    }


def command_body(
    text: str,
    *,
    user: str = "U1",
    team: str = "T0FAKE",
    channel: str = "C1",
    response_url: str = "",
    trigger: str = "tr1",
) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": team,
            "team_domain": "fakepractice",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/boundary",
            "text": text,
            "api_app_id": "AFAKE",
            "response_url": response_url,
            "trigger_id": trigger,
        }
    )


def payload_body(payload: dict[str, Any]) -> str:
    """Interactivity (clicks, shortcuts, view submissions) arrives as a form field `payload`."""
    return urlencode({"payload": json.dumps(payload)})


def block_action(
    action: dict[str, Any],
    *,
    user: str = "U1",
    team: str = "T0FAKE",
    channel: str | None = "C1",
    response_url: str = "",
    view: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": team, "domain": "fakepractice"},
        "user": {"id": user, "team_id": team},
        "api_app_id": "AFAKE",
        "trigger_id": "tr-action",
        "actions": [action],
    }
    if view is not None:
        body["container"] = {"type": "view", "view_id": view.get("id", "V1")}
        body["view"] = view
    else:
        body["container"] = {"type": "message", "is_ephemeral": True}
        body["channel"] = {"id": channel}
        body["response_url"] = response_url
    return body


def event_body(event: dict[str, Any], *, event_id: str = "Ev1", team: str = "T0FAKE") -> dict[str, Any]:
    return {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "AFAKE",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
    }
