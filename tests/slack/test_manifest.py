"""The app manifest a practice pastes matches what the code listens for and asks for at install."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import yaml

from adapters.slack.app import BOT_SCOPES
from adapters.slack.listeners import COMMAND, SHORTCUT

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "slack" / "manifest.yaml"


def test_manifest_matches_the_code() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND and command["should_escape"] is True
    assert [s["callback_id"] for s in manifest["features"]["shortcuts"]] == [SHORTCUT]
    settings = manifest["settings"]
    urls = [
        command["url"],
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ]
    assert {urlparse(url).path for url in urls} == {"/slack/events"}
    assert urlparse(manifest["oauth_config"]["redirect_urls"][0]).path == "/slack/oauth_redirect"
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert {"app_home_opened", "team_join", "user_change", "message.channels"} <= set(
        settings["event_subscriptions"]["bot_events"]
    )


def test_every_scope_says_why() -> None:
    lines = [line for line in MANIFEST.read_text().splitlines() if line.strip().startswith("- ")]
    scope_lines = [line for line in lines if line.strip()[2:].split(" ")[0] in BOT_SCOPES]
    assert len(scope_lines) == len(BOT_SCOPES)
    assert all("#" in line for line in scope_lines)
