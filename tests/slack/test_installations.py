"""The encrypted installation store and the OAuth state store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import Engine, text

from adapters.slack.crypto import SecretKeyError, TokenCipher
from adapters.slack.installations import DatabaseStateStore, EncryptedInstallationStore
from storage.repositories.slack import SqlSlackInstallations, SqlSlackOAuthStates
from tests.fakes import FakeClock


def installation(token: str, installed_at: float) -> Installation:
    return Installation(
        app_id="A1",
        team_id="T1",
        team_name="Practice",
        bot_token=token,
        bot_id="B1",
        bot_user_id="UB",
        bot_scopes=["commands", "chat:write"],
        user_id="UINSTALL",
        installed_at=installed_at,
    )


async def test_tokens_are_encrypted_at_rest_and_the_newest_install_wins(engine: Engine) -> None:
    key = Fernet.generate_key().decode()
    store = EncryptedInstallationStore(SqlSlackInstallations(engine), TokenCipher(key), "client-1")
    await store.async_save(installation("xoxb-old", 1_700_000_000.0))
    await store.async_save(installation("xoxb-new", 1_700_000_500.0))
    with engine.connect() as connection:
        stored = " ".join(
            row[0] for row in connection.execute(text("SELECT payload FROM slack_installation"))
        )
    assert "xoxb-" not in stored
    bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-new" and bot.bot_scopes == ["commands", "chat:write"]
    found = await store.async_find_installation(enterprise_id=None, team_id="T1")
    assert found is not None and found.bot_token == "xoxb-new" and found.user_id == "UINSTALL"
    assert await store.async_find_bot(enterprise_id=None, team_id="T2") is None
    # Another client id (another app) sees nothing; a wrong key cannot read the rows.
    other = EncryptedInstallationStore(SqlSlackInstallations(engine), TokenCipher(key), "client-2")
    assert await other.async_find_bot(enterprise_id=None, team_id="T1") is None
    wrong = EncryptedInstallationStore(
        SqlSlackInstallations(engine), TokenCipher(Fernet.generate_key().decode()), "client-1"
    )
    with pytest.raises(SecretKeyError):
        await wrong.async_find_installation(enterprise_id=None, team_id="T1")
    await store.async_delete_all(enterprise_id=None, team_id="T1")
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None


async def test_rotated_key_still_reads_old_installations(engine: Engine) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    await EncryptedInstallationStore(SqlSlackInstallations(engine), TokenCipher(old), "c").async_save(
        installation("xoxb-1", 1_700_000_000.0)
    )
    rotated = EncryptedInstallationStore(SqlSlackInstallations(engine), TokenCipher(f"{new},{old}"), "c")
    bot = await rotated.async_find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-1"


def test_missing_or_bad_key_is_a_clear_error() -> None:
    with pytest.raises(SecretKeyError, match="required"):
        TokenCipher(None)
    with pytest.raises(SecretKeyError, match="not a valid Fernet key"):
        TokenCipher("hunter2")


async def test_oauth_state_is_good_once_and_only_until_it_expires(engine: Engine, clock: FakeClock) -> None:
    states = DatabaseStateStore(SqlSlackOAuthStates(engine), clock, expiration_seconds=600)
    first = await states.async_issue()
    assert await states.async_consume(first) is True
    assert await states.async_consume(first) is False
    late = await states.async_issue()
    clock.advance(seconds=601)
    assert await states.async_consume(late) is False
    assert await states.async_consume("never-issued") is False
    clock.current -= timedelta(seconds=601)
