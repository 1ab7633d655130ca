"""Practice administration: who the admins are, and the practice's settings.

Admins are the workspace's admins/owners (Slack) or team owners (Teams), plus members an admin has
added here. The router refuses every `admin` command to anyone else; each change is written to the
audit log as a fixed verb and an id, never free text.
"""

from __future__ import annotations

import re

from bot.core import Core
from bot.messages import Reply, Section, text_reply
from bot.ports import AuditLog, Clock
from bot.records import Identity, Member
from bot.router import Request, Router
from bot.services.directory import Directory

#: Mentions arrive as `<@U123>` or `<@U123|name>` (adapters normalise their platform's form to this).
MENTION = re.compile(r"<@([A-Za-z0-9:_.\-]+)(?:\|[^>]*)?>")


def mentioned_user(args: str) -> str | None:
    """The platform user id of the first mention in `args`, or a bare word (console use)."""
    found = MENTION.search(args)
    if found:
        return found.group(1)
    words = args.split()
    return words[0].lstrip("@") if words else None


def member_label(member: Member) -> str:
    return member.display_name or f"<@{member.external_id}>"


class AdminHandlers:
    def __init__(self, directory: Directory, audit: AuditLog, clock: Clock) -> None:
        self.directory = directory
        self.audit = audit
        self.clock = clock
        self._router: Router | None = None

    def register(self, core: Core) -> None:
        router = self._router = core.router
        router.command("admin", self.overview, summary="what practice admins can do", admin=True)
        router.command(
            "admin add",
            self.add,
            summary="make a colleague a practice admin",
            usage="admin add @user",
            admin=True,
        )
        router.command(
            "admin remove",
            self.remove,
            summary="remove an admin added with `admin add`",
            usage="admin remove @user",
            admin=True,
        )
        router.command("admin settings", self.settings, summary="the practice's settings", admin=True)

    def record(self, identity: Identity, action: str, target: str | None) -> None:
        self.audit.record(identity.practice.id, identity.member.id, action, target, self.clock.now())

    async def overview(self, request: Request) -> Reply:
        commands = (
            [c for c in self._router.commands() if c.admin and c.name != "admin"] if self._router else []
        )
        lines = [f"- `/boundary {c.usage}`: {c.summary}" for c in commands]
        sections = [Section("\n".join(lines))]
        typed = request.args.split()
        if typed and self._router is not None:
            # `/boundary admin setings`: no such admin command; say so and offer the closest.
            close = self._router.closest_commands(request.args, prefix="admin ")
            hint = (
                " Did you mean " + " or ".join(f"`/boundary {name}`" for name in close) + "?" if close else ""
            )
            sections.insert(0, Section(f"There is no admin command `{typed[0]}`.{hint}"))
        return Reply(title="Practice admin", sections=tuple(sections))

    async def add(self, request: Request) -> Reply:
        identity = require(request)
        user = mentioned_user(request.args)
        if not user:
            return text_reply(
                "Who should be an admin?", "Mention them: `/boundary admin add @colleague`.", ok=False
            )
        member = self.directory.members.get_or_create(
            identity.practice.id, user, None, None, self.clock.now()
        )
        if member.role == "admin":
            return text_reply("Already an admin", f"{member_label(member)} is already a practice admin.")
        member = self.directory.members.set_role(identity.practice.id, member.id, "admin")
        self.directory.forget(identity.practice.id)
        self.directory.announce_admin(identity.practice, member)
        self.record(identity, "admin.add", f"member:{member.id}")
        return text_reply(
            "Admin added",
            f"{member_label(member)} is now a practice admin. "
            "They can change settings and see review completion.",
        )

    async def remove(self, request: Request) -> Reply:
        identity = require(request)
        user = mentioned_user(request.args)
        member = self.directory.members.find(identity.practice.id, user) if user else None
        if member is None or member.role != "admin":
            return text_reply(
                "Not an added admin",
                "Only admins added with `/boundary admin add` can be removed here; "
                "workspace owners and admins "
                "stay admins through the platform.",
                ok=False,
            )
        self.directory.members.set_role(identity.practice.id, member.id, "member")
        self.directory.forget(identity.practice.id)
        self.record(identity, "admin.remove", f"member:{member.id}")
        return text_reply("Admin removed", f"{member_label(member)} is no longer a practice admin.")

    async def settings(self, request: Request) -> Reply:
        identity = self.directory.refresh(require(request))
        practice = identity.practice
        admins = [m for m in self.directory.members.list_for_practice(practice.id) if m.role == "admin"]
        review = (
            f"{practice.review_month:02d}-{practice.review_day:02d}"
            if practice.review_month and practice.review_day
            else f"anniversary of installation ({practice.created_at:%m-%d})"
        )
        channel = f"<#{practice.consult_channel}>" if practice.consult_channel else "not set"
        lines = [
            f"- Consultation channel: {channel}",
            f"- Yearly review date: {review}",
            f"- Policy link: {practice.policy_url or 'not set'}",
            f"- Policy version: {practice.policy_version or 'not set'}",
            f"- Consultation text kept for: {practice.retention_days} days",
            f"- Practice time zone: {practice.timezone}",
            f"- Added admins: {', '.join(member_label(m) for m in admins) or 'none'} "
            "(workspace owners and admins are admins too)",
        ]
        return Reply(title="Practice settings", sections=(Section("\n".join(lines)),))


def require(request: Request) -> Identity:
    """Admin commands always run with an identity (the router checked it)."""
    if request.identity is None:
        raise RuntimeError("admin command without an identity")
    return request.identity
