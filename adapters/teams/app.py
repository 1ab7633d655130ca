"""The Teams pieces wired together once per runtime: the CloudAdapter, the bot and the notifier.

Built lazily on first use and kept in `runtime.extras["teams"]`, so the web app (`/api/messages`)
and proactive senders share one adapter. Two optional entries in `runtime.extras` replace the
outside world, for tests and private clouds: `teams_endpoints` (an `auth.Endpoints`: where token
signing keys are published and who issues tokens) and `teams_credentials_factory` (how outbound
tokens are obtained).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botbuilder.integration.aiohttp import CloudAdapter

from adapters.teams.auth import PUBLIC_CLOUD, Endpoints, configuration_problem, make_authentication
from adapters.teams.bot import BoundaryTeamsBot, on_turn_error
from adapters.teams.notifier import TeamsNotifier
from storage.repositories.teams import SqlConversationRefs

if TYPE_CHECKING:
    from adapters.runtime import Runtime


class TeamsApp:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.references = SqlConversationRefs(runtime.engine)
        self.bot = BoundaryTeamsBot(runtime, self.references)
        self._adapter: CloudAdapter | None = None
        self.notifier = TeamsNotifier(
            lambda: self.adapter, self.references, runtime.settings.microsoft_app_id
        )

    @property
    def adapter(self) -> CloudAdapter:
        if self._adapter is None:
            extras = self.runtime.extras
            endpoints = extras.get("teams_endpoints")
            authentication = make_authentication(
                self.runtime.settings,
                endpoints if isinstance(endpoints, Endpoints) else PUBLIC_CLOUD,
                extras.get("teams_credentials_factory"),
            )
            adapter = CloudAdapter(authentication)
            adapter.on_turn_error = on_turn_error
            self._adapter = adapter
        return self._adapter

    def problem(self) -> str | None:
        """Why `/api/messages` must refuse requests with this configuration (None when it can serve)."""
        return configuration_problem(self.runtime.settings, self.runtime.extras.get("serve_host"))


def teams_app(runtime: Runtime) -> TeamsApp:
    app = runtime.extras.get("teams")
    if not isinstance(app, TeamsApp):
        app = runtime.extras["teams"] = TeamsApp(runtime)
    return app
