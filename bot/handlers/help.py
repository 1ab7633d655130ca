"""`/boundary help`: what Boundary does and the commands this person can use."""

from __future__ import annotations

from bot.messages import Reply, Section
from bot.router import Request, Router


class HelpHandler:
    def __init__(self, router: Router) -> None:
        self.router = router

    async def help(self, request: Request) -> Reply:
        admin = bool(request.identity and request.identity.is_admin)
        everyone = [c for c in self.router.commands() if not c.admin]
        admins = [c for c in self.router.commands() if c.admin]
        lines = ["- `/boundary <situation> [variant]`: words for a situation, privately"]
        lines += [f"- `/boundary {c.usage}`: {c.summary}" for c in everyone]
        sections = [
            Section(
                "Boundary gives you warm, firm words for digital boundary moments with clients "
                "(friend requests, messages, tags, invitations...), a de-identified way to ask colleagues, "
                "and a yearly check of the practice's social-media policy. Answers are only visible to you."
            ),
            Section("\n".join(lines), heading="Commands"),
            Section(
                "Variants: `written`, `sensitive`, `in-session`, `avoid`, `document` "
                "(for example `/boundary friend-request sensitive`). "
                "You can also describe it in your own words: "
                "`/boundary client followed me on insta`.",
                heading="Tips",
            ),
        ]
        if admin and admins:
            sections.append(
                Section(
                    "\n".join(f"- `/boundary {c.usage}`: {c.summary}" for c in admins), heading="For admins"
                )
            )
        return Reply(title="Boundary help", sections=tuple(sections))
