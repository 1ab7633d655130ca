"""Multi-workspace install: /slack/install -> Slack -> /slack/oauth_redirect -> encrypted installation.

The token exchange (oauth.v2.access) goes to the fake Slack server through SLACK_API_URL.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from adapters.runtime import Runtime, build_runtime
from adapters.slack.app import SlackConfigError, build_slack_app
from bot.config import Settings
from bot.messages import text_reply
from tests.slack.conftest import Wire
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SECRET

KEY = Fernet.generate_key().decode()


@pytest.fixture
def slack_env(fake_slack: FakeSlack) -> dict[str, str]:
    return {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": "client-secret",
        "BOUNDARY_SECRET_KEY": KEY,
        "SLACK_API_URL": fake_slack.api_url,
    }


async def install(wire: Wire, code: str = "code-1") -> tuple[int, str]:
    page = await wire.session.get(wire.url("/slack/install"), allow_redirects=False)
    assert page.status in (200, 302)
    cookie = page.headers["Set-Cookie"]
    state = re.search(r"slack-app-oauth-state=([^;]+)", cookie)
    assert state is not None
    html = await page.text()
    assert state.group(1) in html or state.group(1) in page.headers.get("Location", "")
    done = await wire.session.get(
        wire.url(f"/slack/oauth_redirect?code={code}&state={state.group(1)}"),
        headers={"Cookie": f"slack-app-oauth-state={state.group(1)}"},
        allow_redirects=False,
    )
    return done.status, state.group(1)


async def test_install_round_trip_stores_the_token_encrypted_and_then_answers(
    wire: Wire, runtime: Runtime
) -> None:
    status, state = await install(wire)
    assert status == 200
    [exchange] = wire.fake.calls_to("oauth.v2.access")
    assert exchange.args["code"] == "code-1"
    with runtime.engine.connect() as connection:
        payloads = [row[0] for row in connection.execute(text("SELECT payload FROM slack_installation"))]
    assert payloads, "the installation was saved"
    assert all("xoxb-installed-token" not in payload for payload in payloads)

    answer = await (await wire.command("friend-request")).json()
    assert answer["response_type"] == "ephemeral"
    assert wire.fake.calls_to("auth.test")[-1].token == "xoxb-installed-token"

    # A state works once: replaying the callback is refused.
    again = await wire.session.get(
        wire.url(f"/slack/oauth_redirect?code=code-2&state={state}"),
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    )
    assert again.status >= 400
    assert len(wire.fake.calls_to("oauth.v2.access")) == 1


async def test_notifier_sends_with_the_installed_workspace_token(wire: Wire, runtime: Runtime) -> None:
    await install(wire)
    practice = runtime.practices.get_or_create("slack", "T0FAKE", None, runtime.clock.now())
    await runtime.notifiers["slack"].send_channel(practice, "C1", text_reply("Hello", "x"))
    assert wire.fake.calls_to("chat.postMessage")[-1].token == "xoxb-installed-token"


def test_oauth_mode_refuses_to_start_without_a_secret_key(tmp_path: Path, fake_slack: FakeSlack) -> None:
    settings = Settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'b.db'}",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET="client-secret",
        _env_file=None,  # type: ignore[call-arg]
    )
    runtime = build_runtime(settings)
    try:
        with pytest.raises(SlackConfigError, match="BOUNDARY_SECRET_KEY"):
            build_slack_app(runtime)
    finally:
        runtime.close()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOUNDARY_", "MICROSOFT_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": "client-secret",
    }
    result = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "serve", "--port", "0", "--no-scheduler"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert "BOUNDARY_SECRET_KEY" in last and "Traceback" not in result.stderr
