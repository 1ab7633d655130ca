"""Scripts on demand: `/boundary friend-request [variant]`, `/boundary list`, and the bare menu.

Every script answer is private. It leads with the words to use, then the variants to switch to,
then why it matters with the code sections behind it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from bot.content.catalogue import Catalogue
from bot.content.matcher import Matcher, normalize
from bot.content.schema import VARIANT_ORDER, Situation
from bot.messages import Action, Choice, ChoiceStyle, Delivery, Reply, Section
from bot.router import Request

#: What people type for a variant, beyond its key.
VARIANT_WORDS: dict[str, str] = {
    **{key: key for key in VARIANT_ORDER},
    "insession": "in-session",
    "session": "in-session",
    "in session": "in-session",
    "reply": "written",
    "text": "written",
    "rejection": "sensitive",
    "gentle": "sensitive",
    "dont": "avoid",
    "don't": "avoid",
    "notes": "document",
    "documentation": "document",
    "step": "steps",
}


def split_variant(text: str) -> tuple[str, str | None]:
    """'friend-request in session' -> ('friend-request', 'in-session')."""
    words = text.split()
    for size in (2, 1):
        if len(words) > size:
            tail = " ".join(words[-size:]).lower()
            if tail in VARIANT_WORDS:
                return " ".join(words[:-size]), VARIANT_WORDS[tail]
    return text, None


class ScriptHandlers:
    def __init__(
        self,
        catalogue: Catalogue,
        matcher: Matcher,
        *,
        consult_available: Callable[[], bool] = lambda: False,
        closest_commands: Callable[[str], list[str]] = lambda _text: [],
    ) -> None:
        self.catalogue = catalogue
        self.matcher = matcher
        self._consult_available = consult_available
        self._closest_commands = closest_commands
        # Matching and building a script depend only on the catalogue, which is fixed for the life
        # of the process; clinicians ask the same few things all day, so both are remembered.
        self._match = functools.lru_cache(maxsize=4096)(matcher.match)
        self._built = functools.lru_cache(maxsize=1024)(self._build_script)
        self._answers = functools.lru_cache(maxsize=4096)(self._answer)

    async def lookup(self, request: Request) -> Reply:
        """The fallback for anything that is not a command: find the situation, or suggest some.

        The answer depends only on the words and on whether consultations are available, so each
        distinct line is worked out once, and the same reply object lets adapters reuse its rendering.
        """
        return self._answers(request.args.strip(), self._consult_available())

    def _answer(self, text: str, consult_available: bool) -> Reply:
        """`consult_available` is part of the cache key: the menu and scripts offer "Ask colleagues"."""
        if not text:
            return self.menu()
        query, variant = split_variant(text)
        match = self._match(query)
        if match.situation is None and variant is not None:
            # "in session" alone is no situation; try the whole text before giving up.
            whole = self._match(text)
            if whole.situation is not None:
                match, variant = whole, None
        if match.situation is None:
            return self.suggestions(text, match.suggestions)
        return self.script(match.situation, variant)

    async def list_all(self, request: Request) -> Reply:
        lines = [f"- *{s.key}*: {s.title}" for s in self.catalogue]
        return Reply(
            title="Situations Boundary has words for",
            sections=(
                Section("\n".join(lines)),
                Section("Ask for one with `/boundary <situation>`, for example `/boundary friend-request`."),
            ),
            choices=self._situation_choices(),
            choice_style=ChoiceStyle.SELECT,
            choices_label="Pick a situation",
        )

    async def show_menu(self, request: Request) -> Reply:
        return self.menu()

    def menu(self) -> Reply:
        actions: tuple[Action, ...] = ()
        if self._consult_available():
            actions = (Action("consult", "Ask colleagues", "consult", Delivery.FORM),)
        return Reply(
            title="Boundary",
            sections=(
                Section(
                    "Pick the situation you are facing and get words you can use, privately. "
                    "You can also type it in your own words: `/boundary client followed me on instagram`."
                ),
            ),
            choices=self._situation_choices(),
            choice_style=ChoiceStyle.SELECT,
            choices_label="What happened?",
            actions=actions,
            footer="Only you can see this. Type `/boundary help` for everything Boundary does.",
        )

    def script(self, key: str, variant: str | None = None) -> Reply:
        return self._built(key, variant, self._consult_available())

    def _build_script(self, key: str, variant: str | None, consult: bool) -> Reply:
        situation = self.catalogue.get(key)
        if situation is None:
            return self.suggestions(key, self._match(key).suggestions)
        available = situation.ordered_variants()
        sections: list[Section] = []
        chosen = variant if variant in available else situation.first_variant()
        if variant is not None and variant not in available:
            sections.append(
                Section(f"There is no *{variant}* variant for this situation; here is *{chosen}* instead.")
            )
        body = situation.variants[chosen]
        sections.append(Section(self.catalogue.fill(situation.summary)))
        text = self.catalogue.fill(body.text)
        if body.note:
            text = f"_{self.catalogue.fill(body.note)}_\n\n{text}"
        sections.append(Section(text, heading=body.label))
        sections.append(Section(self.catalogue.fill(situation.why), heading="Why this matters"))
        choices = tuple(
            Choice(situation.variants[key].label, f"{situation.key} {key}", selected=key == chosen)
            for key in available
        )
        actions = [Action("copy", "Send me a copy", f"{situation.key} {chosen}", Delivery.DM)]
        if consult:
            actions.append(Action("consult", "Ask colleagues", f"consult {situation.key}", Delivery.FORM))
        return Reply(
            title=situation.title,
            sections=tuple(sections),
            choices=choices,
            choices_label="Other ways to say it",
            actions=tuple(actions),
            citations=tuple(situation.citations),
            situation=situation.key,
            variant=chosen,
            variants=tuple(available),
            footer="Only you can see this.",
        )

    def suggestions(self, text: str, keys: tuple[str, ...]) -> Reply:
        situations = [s for s in (self.catalogue.get(k) for k in keys) if s is not None]
        lines = [f"- *{s.key}*: {s.title}" for s in situations]
        sections: list[Section] = []
        commands = self._closest_commands(text)
        if commands:
            # A mistyped command ("consul", "hlep") is the likelier reading: offer it first.
            offer = " or ".join(f"`/boundary {c}`" for c in commands)
            sections.append(Section(f"Did you mean {offer}?"))
        sections.append(Section("Closest situations:\n" + "\n".join(lines) if lines else ""))
        sections.append(
            Section(
                "Describe what happened in a few words (`/boundary client tagged me in a post`), "
                "or type `/boundary list` to see every situation."
            )
        )
        return Reply(
            title="I'm not sure what you mean" if commands else "I'm not sure which situation you mean",
            sections=tuple(section for section in sections if section.body),
            choices=tuple(Choice(s.title, s.key) for s in situations),
            choices_label="Closest situations",
            suggestions=tuple(s.key for s in situations),
        )

    def _situation_choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(s.title, s.key, description=s.summary) for s in self.catalogue)


def situation_for(catalogue: Catalogue, matcher: Matcher, text: str) -> Situation | None:
    """The situation a free-text label names, if any (used by forms that carry a situation)."""
    key = normalize(text).replace(" ", "-")
    return catalogue.get(key) or catalogue.get(matcher.match(text).situation or "")
