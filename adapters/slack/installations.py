"""slack-sdk's installation and OAuth-state store interfaces on our own tables, tokens encrypted.

slack-sdk's SQLAlchemy stores keep tokens in plain text and are synchronous; these implement the
async interfaces Bolt's `AsyncOAuthFlow` expects, encrypt every installation as a whole (bot, user
and refresh tokens alike) and keep only ids in plain columns for lookups.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.slack.crypto import TokenCipher
from bot.ports import Clock
from storage.repositories.slack import SqlSlackInstallations, SqlSlackOAuthStates

log = logging.getLogger(__name__)

#: Bot lookups run on every request in OAuth mode; a short cache keeps them off the database.
BOT_CACHE_SECONDS = 60.0


def _encode(values: dict[str, Any]) -> str:
    return json.dumps(
        values, default=lambda value: value.isoformat() if isinstance(value, datetime) else str(value)
    )


def _installed_at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


class EncryptedInstallationStore(AsyncInstallationStore):
    def __init__(self, repository: SqlSlackInstallations, cipher: TokenCipher, client_id: str) -> None:
        self.repository = repository
        self.cipher = cipher
        self.client_id = client_id
        self._bots: dict[tuple[str, str], tuple[float, Bot | None]] = {}

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        payload = self.cipher.encrypt(_encode(installation.to_dict_for_copying()))
        await asyncio.to_thread(
            self.repository.save,
            kind="installation",
            client_id=self.client_id,
            enterprise_id=installation.enterprise_id,
            team_id=None if installation.is_enterprise_install else installation.team_id,
            user_id=installation.user_id,
            is_enterprise_install=bool(installation.is_enterprise_install),
            installed_at=_installed_at(installation.installed_at),
            payload=payload,
        )
        if installation.bot_token:
            await self.async_save_bot(installation.to_bot())
        log.info("slack installation saved", extra={"team": installation.team_id})

    async def async_save_bot(self, bot: Bot) -> None:
        payload = self.cipher.encrypt(_encode(bot.to_dict_for_copying()))
        team_id = None if bot.is_enterprise_install else bot.team_id
        await asyncio.to_thread(
            self.repository.save,
            kind="bot",
            client_id=self.client_id,
            enterprise_id=bot.enterprise_id,
            team_id=team_id,
            user_id=None,
            is_enterprise_install=bool(bot.is_enterprise_install),
            installed_at=_installed_at(bot.installed_at),
            payload=payload,
        )
        self._bots.pop((bot.enterprise_id or "", team_id or ""), None)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        team = None if is_enterprise_install else team_id
        key = (enterprise_id or "", team or "")
        cached = self._bots.get(key)
        if cached and time.monotonic() - cached[0] < BOT_CACHE_SECONDS:
            return cached[1]
        payload = await asyncio.to_thread(
            self.repository.latest,
            kind="bot",
            client_id=self.client_id,
            enterprise_id=enterprise_id,
            team_id=team,
        )
        bot = Bot(**json.loads(self.cipher.decrypt(payload))) if payload else None
        self._bots[key] = (time.monotonic(), bot)
        return bot

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        team = None if is_enterprise_install else team_id
        payload = await asyncio.to_thread(
            self.repository.latest,
            kind="installation",
            client_id=self.client_id,
            enterprise_id=enterprise_id,
            team_id=team,
            user_id=user_id,
        )
        return Installation(**json.loads(self.cipher.decrypt(payload))) if payload else None

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(
            self.repository.delete,
            kind="bot",
            client_id=self.client_id,
            enterprise_id=enterprise_id,
            team_id=team_id,
        )
        self._bots.pop((enterprise_id or "", team_id or ""), None)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await asyncio.to_thread(
            self.repository.delete,
            kind="installation",
            client_id=self.client_id,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
        )


class DatabaseStateStore(AsyncOAuthStateStore):
    """OAuth states in the database, so the install can start on one instance and finish on another."""

    def __init__(self, repository: SqlSlackOAuthStates, clock: Clock, expiration_seconds: int = 600) -> None:
        self.repository = repository
        self.clock = clock
        self.expiration_seconds = expiration_seconds

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(32)
        expires = self.clock.now() + timedelta(seconds=self.expiration_seconds)
        await asyncio.to_thread(self.repository.issue, state, expires)
        return state

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.repository.consume, state, self.clock.now())
