"""The command core: one object every adapter hands an `Inbound` to and gets a `Reply` back from.

Wiring is explicit: the composition root (`adapters/cli.py`) builds the catalogue, the directory and
the services, and each feature registers its commands on the router here. Nothing is discovered by
import side effects.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from bot.content.catalogue import Catalogue
from bot.content.matcher import Matcher
from bot.handlers.help import HelpHandler
from bot.handlers.scripts import ScriptHandlers
from bot.messages import Inbound, PlatformEvent, Reply, text_reply
from bot.ports import Clock, SystemClock
from bot.router import Request, Router
from bot.services.directory import Directory


class Feature(Protocol):
    """A capability that adds commands (consultation, reviews, admin)."""

    def register(self, core: Core) -> None: ...


FormHandler = Callable[[Request, Mapping[str, str]], Awaitable[Reply]]
EventHandler = Callable[[PlatformEvent], Awaitable[None]]


class Core:
    def __init__(
        self,
        catalogue: Catalogue,
        *,
        directory: Directory | None = None,
        clock: Clock | None = None,
        matcher: Matcher | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.matcher = matcher or Matcher(catalogue)
        self.clock = clock or SystemClock()
        self.directory = directory
        self.scripts = ScriptHandlers(
            catalogue,
            self.matcher,
            consult_available=lambda: self.has_command("consult"),
            closest_commands=lambda text: self.router.closest_commands(text),
        )
        self.router = Router(self.scripts.lookup, directory.identify if directory else None)
        self.router.command(
            "help", HelpHandler(self.router).help, summary="what Boundary does and how to ask"
        )
        self.router.command("list", self.scripts.list_all, summary="every situation, one line each")
        self.router.command(
            "menu", self.scripts.show_menu, summary="pick a situation from a menu", hidden=True
        )
        self._forms: dict[str, FormHandler] = {}
        self._subscribers: dict[type, list[EventHandler]] = {}

    def subscribe(self, event_type: type, handler: EventHandler) -> None:
        """Run `handler` for every platform event of this type (adapters call `notify`)."""
        self._subscribers.setdefault(event_type, []).append(handler)

    async def notify(self, event: PlatformEvent) -> None:
        """An adapter reports something that happened on the platform; subscribers react."""
        for handler in self._subscribers.get(type(event), []):
            await handler(event)

    def form(self, form_id: str, handler: FormHandler) -> None:
        """Register what happens when a form (`Reply.form`) with this id is submitted."""
        if form_id in self._forms:
            raise ValueError(f"form {form_id!r} is registered twice")
        self._forms[form_id] = handler

    async def submit(self, inbound: Inbound, form_id: str, values: Mapping[str, str]) -> Reply:
        """A submitted form. The answer is either a confirmation or the same form with `errors` set."""
        handler = self._forms.get(form_id)
        if handler is None:
            return text_reply("That form has expired", "Please start again; nothing was saved.", ok=False)
        identity = self.directory.identify(inbound) if self.directory else None
        return await handler(Request(inbound, form_id, "", identity), values)

    def install(self, *features: Feature) -> Core:
        for feature in features:
            feature.register(self)
        return self

    def has_command(self, name: str) -> bool:
        return self.router.has(name)

    async def handle(self, inbound: Inbound) -> Reply:
        return await self.router.dispatch(inbound)
