"""Who is speaking: practices and members registered on first contact.

The first message from a workspace creates its practice, the first from a person their member row.
Known people are cached for a minute so the script path does not touch the database on every
request; role changes show up within that minute, and admin commands always read fresh.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.messages import Inbound
from bot.ports import Clock, MemberRepository, PracticeRepository
from bot.records import Identity, Member, Practice

log = logging.getLogger(__name__)


class Directory:
    def __init__(
        self,
        practices: PracticeRepository,
        members: MemberRepository,
        clock: Clock,
        *,
        cache_seconds: float = 60.0,
        cache_size: int = 10_000,
    ) -> None:
        self.practices = practices
        self.members = members
        self.clock = clock
        self._cache_seconds = cache_seconds
        self._cache_size = cache_size
        self._cache: OrderedDict[tuple[str, str, str], tuple[float, Identity]] = OrderedDict()
        #: Called with (practice, member) when someone is registered on first contact, so features
        #: that concern every member (the yearly review) include people who never "joined" by event.
        self.on_new_member: list[Callable[[Practice, Member], object]] = []
        #: Called with (practice, member) when an admin adds an admin (`/boundary admin add`).
        self.on_new_admin: list[Callable[[Practice, Member], object]] = []

    def identify(self, inbound: Inbound) -> Identity:
        key = (inbound.platform, inbound.practice_ref, inbound.user_ref)
        cached = self._cache.get(key)
        if cached and time.monotonic() - cached[0] < self._cache_seconds:
            identity = cached[1]
            if identity.is_admin or not inbound.is_platform_admin:
                return identity
        identity = self._register(inbound)
        self._cache[key] = (time.monotonic(), identity)
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return identity

    def forget(self, practice_id: int | None = None) -> None:
        """Drop cached identities (all, or one practice's) after a role or settings change."""
        if practice_id is None:
            self._cache.clear()
            return
        for key in [k for k, (_, ident) in self._cache.items() if ident.practice.id == practice_id]:
            del self._cache[key]

    def _register(self, inbound: Inbound) -> Identity:
        now = self.clock.now()
        practice = self.practices.get_or_create(
            inbound.platform, inbound.practice_ref, inbound.practice_name, now
        )
        known = self.members.find(practice.id, inbound.user_ref)
        member = known or self.members.get_or_create(
            practice.id, inbound.user_ref, inbound.user_name, inbound.timezone, now
        )
        if not member.active:
            member = self.members.set_active(practice.id, member.id, True)
        if (inbound.user_name and inbound.user_name != member.display_name) or (
            inbound.timezone and inbound.timezone != member.timezone
        ):
            member = self.members.update_profile(
                practice.id,
                member.id,
                display_name=inbound.user_name or member.display_name,
                timezone=inbound.timezone or member.timezone,
            )
        if known is None:
            self._announce(practice, member)
            if inbound.is_platform_admin:
                # A workspace admin or owner is a practice admin from their first word to Boundary.
                self.announce_admin(practice, member)
        return Identity(practice, member, is_admin(inbound, member))

    def announce_admin(self, practice: Practice, member: Member) -> None:
        self._announce(practice, member, self.on_new_admin)

    def _announce(
        self,
        practice: Practice,
        member: Member,
        callbacks: list[Callable[[Practice, Member], object]] | None = None,
    ) -> None:
        for callback in self.on_new_member if callbacks is None else callbacks:
            try:
                callback(practice, member)
            except Exception as exc:  # a feature's set-up must never fail the person's request
                log.error("directory hook failed", extra={"error": type(exc).__name__})

    def refresh(self, identity: Identity) -> Identity:
        """Re-read practice and member, for commands that must see the latest settings."""
        practice = self.practices.get(identity.practice.id) or identity.practice
        member = self.members.get(practice.id, identity.member.id) or identity.member
        return Identity(practice, member, identity.is_admin or member.role == "admin")


def is_admin(inbound: Inbound, member: Member) -> bool:
    """Workspace admins/owners and Teams team owners, plus members an admin has added."""
    return inbound.is_platform_admin or member.role == "admin"


def practice_label(practice: Practice) -> str:
    return practice.name or f"{practice.platform} practice {practice.external_id}"
