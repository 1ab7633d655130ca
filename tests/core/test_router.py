"""The router: how clinicians' typing reaches a command."""

from __future__ import annotations

import pytest

from bot.content.catalogue import Catalogue
from bot.core import Core
from bot.messages import Inbound, Reply, text_reply
from bot.router import Request, Router, strip_prefix


def inbound(text: str) -> Inbound:
    return Inbound(text=text, platform="test", practice_ref="T1", user_ref="U1")


@pytest.fixture(scope="module")
def core() -> Core:
    return Core(Catalogue.load())


@pytest.mark.parametrize(
    "typed",
    [
        "/boundary friend-request",
        "boundary friend-request",
        "friend-request",
        "  /Boundary    Friend-Request  ",
        "/BOUNDARY FRIEND-REQUEST",
        "boundary: friend-request",
    ],
)
async def test_every_way_of_typing_reaches_the_script(core: Core, typed: str) -> None:
    reply = await core.handle(inbound(typed))
    assert reply.situation == "friend-request"
    assert reply.variant == "written"


def test_prefix_is_removed_only_at_the_start() -> None:
    assert strip_prefix("/boundary   tagged  me") == "tagged me"
    assert strip_prefix("my boundary was crossed") == "my boundary was crossed"
    assert strip_prefix("/boundaryx") == "/boundaryx"


async def test_longest_command_name_wins() -> None:
    seen: list[tuple[str, str]] = []

    async def record(request: Request) -> Reply:
        seen.append((request.command, request.args))
        return text_reply("ok", "ok")

    async def fallback(request: Request) -> Reply:
        seen.append(("fallback", request.args))
        return text_reply("fallback", "")

    router = Router(fallback)
    router.command("consult", record, summary="")
    router.command("consult list", record, summary="")
    await router.dispatch(inbound("/boundary Consult  LIST"))
    await router.dispatch(inbound("/boundary consult a client tagged me"))
    await router.dispatch(inbound("something else"))
    assert seen == [("consult list", ""), ("consult", "a client tagged me"), ("fallback", "something else")]


def test_a_command_cannot_be_registered_twice() -> None:
    async def handler(request: Request) -> Reply:
        return text_reply("", "")

    router = Router(handler)
    router.command("help", handler, summary="")
    with pytest.raises(ValueError, match="registered twice"):
        router.command("HELP", handler, summary="")


async def test_help_lists_the_commands(core: Core) -> None:
    reply = await core.handle(inbound("/boundary help"))
    text = "\n".join(section.body for section in reply.sections)
    assert "/boundary list" in text
    assert "/boundary <situation> [variant]" in text


async def test_mistyped_command_is_suggested(core: Core) -> None:
    reply = await core.handle(inbound("/boundary hlep"))
    assert reply.situation is None
    assert any("/boundary help" in section.body for section in reply.sections)


async def test_admin_commands_are_refused_without_admin_rights() -> None:
    async def secret(request: Request) -> Reply:
        return text_reply("changed", "")

    core = Core(Catalogue.load())
    core.router.command("admin thing", secret, summary="", admin=True)
    reply = await core.handle(inbound("/boundary admin thing"))
    assert reply.ok is False
    assert "Only practice admins" in reply.title


@pytest.mark.parametrize(
    ("typed", "command"), [("hlep me", "help"), ("lst", "list"), ("/boundary Lsit", "list")]
)
async def test_mistyped_commands_are_offered_first(core: Core, typed: str, command: str) -> None:
    reply = await core.handle(inbound(typed))
    assert reply.title == "I'm not sure what you mean"
    assert reply.sections[0].body == f"Did you mean `/boundary {command}`?"


async def test_unknown_admin_command_names_the_closest() -> None:
    from bot.handlers.admin import AdminHandlers
    from bot.records import AuditEntry

    class NoAudit:
        def record(self, *args: object) -> AuditEntry:
            raise AssertionError("nothing is changed")

        def list_for_practice(self, practice_id: int, limit: int = 100) -> list[AuditEntry]:
            return []

    core = Core(Catalogue.load())
    admin = AdminHandlers(None, NoAudit(), core.clock)  # type: ignore[arg-type]
    admin.register(core)
    request = Request(inbound("admin setings"), "admin", "setings", None)
    reply = await admin.overview(request)
    assert reply.sections[0].body == (
        "There is no admin command `setings`. Did you mean `/boundary admin settings`?"
    )
