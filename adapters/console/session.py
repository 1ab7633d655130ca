"""The console session: type what a clinician types in chat, read the answer as text.

Used by `boundary-bot console` (a REPL) and `boundary-bot ask` (one answer). A reply that carries
a form (a consultation, say) is filled in through prompts; a rejected form is asked again with the
earlier answers offered as defaults, so nothing typed is lost.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable

from adapters.console.render import render, wrap
from bot.core import Core
from bot.messages import Form, FormField, Inbound, Reply

BANNER = (
    "Boundary console. Type what you would type in chat, for example `/boundary friend-request`.\n"
    "Type `help` for commands, a number to pick from the last list, `quit` (or Ctrl-D) to leave."
)
QUIT_WORDS = frozenset({"quit", "exit", "q", ":q", "/quit"})

InputFn = Callable[[str], str]
OutputFn = Callable[[str], None]


def console_inbound(text: str, user: str | None = None) -> Inbound:
    """The console is the local practice; its operator is that practice's admin."""
    name = user or _os_user()
    return Inbound(
        text=text,
        platform="console",
        practice_ref="local",
        user_ref=name,
        user_name=name,
        practice_name="Local practice",
        is_platform_admin=True,
    )


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "clinician"


class ConsoleSession:
    def __init__(
        self, core: Core, read: InputFn = input, write: OutputFn = print, user: str | None = None
    ) -> None:
        self.core = core
        self.read = read
        self.write = write
        self.user = user
        self._last_choices: list[str] = []

    async def run(self) -> int:
        self.write(BANNER)
        while True:
            try:
                line = self.read("\n> ").strip()
            except (EOFError, KeyboardInterrupt):
                self.write("")
                return 0
            if not line:
                continue
            if line.lower() in QUIT_WORDS:
                return 0
            if line.isdigit() and self._last_choices:
                index = int(line) - 1
                if not 0 <= index < len(self._last_choices):
                    self.write(f"Pick a number from 1 to {len(self._last_choices)}.")
                    continue
                line = self._last_choices[index]
            reply = await self.ask(line)
            self.show(reply)
            if reply.form is not None:
                try:
                    self.show(await self.fill(reply.form))
                except (EOFError, KeyboardInterrupt):
                    self.write("\nForm cancelled; nothing was sent.")
                    return 0

    async def ask(self, text: str) -> Reply:
        return await self.core.handle(console_inbound(text, self.user))

    def show(self, reply: Reply) -> None:
        self._last_choices = [choice.command for choice in reply.choices]
        self.write(render(reply))

    async def fill(self, form: Form) -> Reply:
        """Prompt for each field, submit, and on errors ask again only what was rejected."""
        values: dict[str, str] = {f.id: f.value or "" for f in form.fields}
        ask_ids = {f.id for f in form.fields}
        while True:
            for field in form.fields:
                if field.id in ask_ids:
                    values[field.id] = self._prompt(
                        field, values.get(field.id, ""), form.errors.get(field.id)
                    )
            reply = await self.core.submit(console_inbound("", self.user), form.id, values)
            if reply.form is None or not reply.form.errors:
                return reply
            form = reply.form
            # Each rejected field is asked again below, with its message and the text typed so far.
            ask_ids = set(form.errors)
            values.update({f.id: f.value or values.get(f.id, "") for f in form.fields})

    def _prompt(self, field: FormField, current: str, error: str | None) -> str:
        if error:
            self.write(wrap(f"! {error}"))
        if field.hint:
            self.write(wrap(field.hint))
        if field.kind == "select" and field.options:
            for number, option in enumerate(field.options, start=1):
                self.write(f"  {number:>2}. {option.label}")
        suffix = f" [{current}]" if current else ""
        if field.kind == "boolean":
            suffix = f" (yes/no){suffix}"
        while True:
            answer = self.read(f"{field.label}{suffix}: ").strip() or current
            if field.kind == "select" and field.options:
                if answer.isdigit() and 1 <= int(answer) <= len(field.options):
                    answer = field.options[int(answer) - 1].value
                elif answer not in {o.value for o in field.options} and (answer or field.required):
                    self.write("Type one of the numbers above.")
                    continue
            if field.kind == "boolean":
                lowered = answer.lower()
                if lowered in {"y", "yes", "true", "1"}:
                    answer = "true"
                elif lowered in {"n", "no", "false", "0", ""}:
                    answer = "false"
                else:
                    self.write("Answer yes or no.")
                    continue
            if field.required and not answer:
                self.write("This one is needed.")
                continue
            return answer
