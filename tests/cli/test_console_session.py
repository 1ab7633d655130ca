"""The console REPL driven in-process: numbers pick from the last list, forms keep what was typed."""

from __future__ import annotations

from collections.abc import Mapping

from adapters.console.session import ConsoleSession
from adapters.runtime import Runtime
from bot.messages import Form, FormField, Reply, text_reply
from bot.router import Request


class Script:
    """Feeds lines to the session like a person typing, then Ctrl-D."""

    def __init__(self, *lines: str) -> None:
        self.lines = list(lines)
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)


async def test_number_picks_from_the_last_choices(runtime: Runtime) -> None:
    out: list[str] = []
    session = ConsoleSession(
        runtime.core, Script("/boundary friend-request", "2", "quit"), out.append, user="dana"
    )
    assert await session.run() == 0
    assert "For a client sensitive to rejection\n-----" in out[-1]


async def test_end_of_input_leaves_quietly(runtime: Runtime) -> None:
    out: list[str] = []
    assert await ConsoleSession(runtime.core, Script(), out.append).run() == 0


async def test_a_rejected_form_is_asked_again_with_answers_kept(runtime: Runtime) -> None:
    submissions: list[dict[str, str]] = []
    form = Form(
        id="note",
        title="Note",
        submit_label="Send",
        fields=(FormField("place", "Where"), FormField("what", "What happened", kind="textarea")),
    )

    async def open_form(request: Request) -> Reply:
        return Reply(title="Write a note", form=form)

    async def submit(request: Request, values: Mapping[str, str]) -> Reply:
        submissions.append(dict(values))
        if "Main Street" in values["what"]:
            fields = tuple(FormField(f.id, f.label, f.kind, value=values[f.id]) for f in form.fields)
            return Reply(
                title="Fix", form=Form("note", "Note", "Send", fields, errors={"what": "remove the street"})
            )
        return text_reply("Sent", "thanks")

    runtime.core.router.command("note", open_form, summary="")
    runtime.core.form("note", submit)
    out: list[str] = []
    typed = Script(
        "/boundary note", "Instagram", "client waited on Main Street", "client waited outside", "quit"
    )
    assert await ConsoleSession(runtime.core, typed, out.append).run() == 0
    assert submissions == [
        {"place": "Instagram", "what": "client waited on Main Street"},
        {"place": "Instagram", "what": "client waited outside"},
    ]
    assert any("remove the street" in line for line in out)
    assert "Sent" in out[-1]
    # only the rejected field was asked again, with the earlier text offered
    assert typed.prompts.count("Where: ") == 1
