"""The composition root's parts: from `Settings` to a wired core with its storage.

`boundary-bot` commands and the web server build one `Runtime`; tests build it on a temporary
database. This is the only place that knows which repository implements which port.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from bot.config import Settings
from bot.content.catalogue import Catalogue
from bot.core import Core
from bot.ports import Clock, Notifier, SystemClock
from bot.services.directory import Directory
from storage.database import make_engine, upgrade
from storage.repositories import SqlAuditLog, SqlMemberRepository, SqlPracticeRepository, SqlProcessedEvents

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    clock: Clock
    catalogue: Catalogue
    practices: SqlPracticeRepository
    members: SqlMemberRepository
    audit: SqlAuditLog
    events: SqlProcessedEvents
    directory: Directory
    core: Core
    #: Proactive senders by platform ("slack", "teams", "console"), registered when configured.
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        self.engine.dispose()


def build_runtime(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> Runtime:
    """Load content (failing fast on a broken file), open the database, migrate, wire the core."""
    catalogue = Catalogue.load(settings.content_dir)
    engine = make_engine(settings.resolved_database_url)
    if migrate:
        upgrade(engine)
    clock = clock or SystemClock()
    practices = SqlPracticeRepository(engine)
    members = SqlMemberRepository(engine)
    audit = SqlAuditLog(engine)
    directory = Directory(practices, members, clock)
    core = Core(catalogue, directory=directory, clock=clock)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        clock=clock,
        catalogue=catalogue,
        practices=practices,
        members=members,
        audit=audit,
        events=SqlProcessedEvents(engine),
        directory=directory,
        core=core,
    )
    install_features(runtime)
    if settings.slack_bot_token or settings.slack_client_id:
        from adapters.slack.notifier import register_notifier

        register_notifier(runtime)
    if settings.microsoft_app_id:
        from adapters.teams.app import teams_app

        runtime.notifiers["teams"] = teams_app(runtime).notifier
    return runtime


def install_features(runtime: Runtime) -> None:
    """Each capability registers its commands here, explicitly."""
    from bot.handlers.admin import AdminHandlers

    runtime.core.install(AdminHandlers(runtime.directory, runtime.audit, runtime.clock))
    install_reviews(runtime)
    install_consultations(runtime)


def install_consultations(runtime: Runtime) -> None:
    """Peer consultation: the service (in `extras["consultations"]`), its commands and the console sender."""
    from datetime import datetime

    from adapters.console.notifier import ConsoleNotifier
    from adapters.metrics import CONSULTATIONS
    from bot.handlers.consult import ConsultHandlers
    from bot.services.consultation import ConsultationService
    from storage.repositories.consult import SqlConsultationRepository

    runtime.notifiers.setdefault("console", ConsoleNotifier())
    service = ConsultationService(
        SqlConsultationRepository(runtime.engine),
        runtime.practices,
        runtime.members,
        runtime.notifiers,
        runtime.catalogue,
        runtime.clock,
        on_event=lambda event: CONSULTATIONS.labels(event=event).inc(),
    )
    runtime.extras["consultations"] = service
    handlers = ConsultHandlers(service, runtime.directory, runtime.audit, runtime.clock)
    runtime.extras.setdefault("home_sections", []).append(handlers.home_sections)
    runtime.core.install(handlers)

    async def consult_tick(now: datetime) -> None:
        """The scheduler's minute tick: bump unanswered consultations, purge expired text."""
        await service.tick(now)

    runtime.extras.setdefault("tick_jobs", []).append(consult_tick)


def install_reviews(runtime: Runtime) -> None:
    """The yearly review: service, engine and store in `extras["reviews"|"review_engine"|"review_store"]`."""
    from bot.handlers.reviews import ReviewHandlers
    from bot.services.delivery import DeliveryEngine
    from bot.services.reviews import ReviewService
    from storage.repositories.reviews import SqlReviewStore

    store = SqlReviewStore(runtime.engine)
    service = ReviewService(store, runtime.practices, runtime.members)
    handlers = ReviewHandlers(service, runtime.directory, runtime.audit, runtime.clock)
    runtime.extras["review_store"] = store
    runtime.extras["reviews"] = service
    # The engine reads `runtime.notifiers` live, so senders registered later (Slack, Teams) are used.
    runtime.extras["review_engine"] = DeliveryEngine(store, runtime.practices, runtime.notifiers)
    runtime.extras.setdefault("home_sections", []).append(handlers.home_sections)
    runtime.core.install(handlers)
