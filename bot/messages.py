"""Platform-neutral messages: what comes in from a chat tool and what the core answers.

Adapters translate a Slack payload, a Teams activity or a terminal line into an `Inbound`, and
render a `Reply` as Block Kit, an Adaptive Card or plain text. Neither type carries a raw platform
payload: a handler must never depend on one platform's shape.

Body text uses one tiny convention every renderer understands: paragraphs separated by blank lines,
and list items as lines starting with "- " (bullets) or "1. " (steps).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Visibility(StrEnum):
    """Who sees a reply. Scripts are always PRIVATE: ephemeral in Slack, the 1:1 chat in Teams."""

    PRIVATE = "private"
    CHANNEL = "channel"


class ChoiceStyle(StrEnum):
    """How a renderer offers choices: a few as buttons, many as a select menu."""

    BUTTONS = "buttons"
    SELECT = "select"


class Delivery(StrEnum):
    """Where the answer to an action goes."""

    REPLACE = "replace"  # replace the message the action sits on (variant switch)
    NEW = "new"  # a new private answer
    DM = "dm"  # a direct message the clinician can find later ("Send me a copy")
    FORM = "form"  # the answer is a form (modal in Slack, card form in Teams)


@dataclass(frozen=True)
class Inbound:
    """One thing a person typed or clicked, already stripped of platform detail.

    `practice_ref` is the platform's workspace/tenant id and `user_ref` the platform's user id; the core
    maps them to its own practice and member ids on first contact.
    """

    text: str
    platform: str
    practice_ref: str
    user_ref: str
    user_name: str | None = None
    practice_name: str | None = None
    channel_ref: str | None = None
    is_platform_admin: bool = False
    timezone: str | None = None


@dataclass(frozen=True)
class Section:
    """A block of text with an optional heading."""

    body: str
    heading: str | None = None


@dataclass(frozen=True)
class Choice:
    """An option the person can pick; picking it runs `command` as if they had typed it."""

    label: str
    command: str
    selected: bool = False
    description: str | None = None


@dataclass(frozen=True)
class Action:
    """A button under a reply. `command` runs when pressed; `delivery` says where its answer goes."""

    id: str
    label: str
    command: str
    delivery: Delivery = Delivery.NEW
    primary: bool = False


@dataclass(frozen=True)
class FieldOption:
    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    """One input of a form. `kind` is text, textarea, select or boolean."""

    id: str
    label: str
    kind: str = "text"
    options: tuple[FieldOption, ...] = ()
    value: str | None = None
    required: bool = True
    hint: str | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class Form:
    """A form to fill in (a Slack modal, a Teams card with inputs, console prompts).

    `errors` maps a field id to a message shown next to that field; the values typed so far travel
    back in each field's `value`, so a rejected submission loses nothing.
    """

    id: str
    title: str
    submit_label: str
    fields: tuple[FormField, ...]
    intro: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    context: str | None = None


@dataclass(frozen=True)
class Reply:
    """What the core answers. Renderers decide the look; the handler decides the content.

    `situation`, `variant`, `variants` and `suggestions` describe a script answer for machine readers
    (the `ask --json` output and variant buttons); they are empty for other replies.
    """

    title: str
    sections: tuple[Section, ...] = ()
    choices: tuple[Choice, ...] = ()
    choice_style: ChoiceStyle = ChoiceStyle.BUTTONS
    choices_label: str | None = None
    actions: tuple[Action, ...] = ()
    visibility: Visibility = Visibility.PRIVATE
    citations: tuple[str, ...] = ()
    situation: str | None = None
    variant: str | None = None
    variants: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    form: Form | None = None
    footer: str | None = None
    ok: bool = True


def text_reply(title: str, body: str, *, ok: bool = True) -> Reply:
    """A reply of one plain section: confirmations, refusals, short errors."""
    return Reply(title=title, sections=(Section(body=body),), ok=ok)


@dataclass(frozen=True)
class ThreadReply:
    """Someone replied in a thread the bot started (a consultation thread, say)."""

    platform: str
    practice_ref: str
    channel_ref: str
    thread_ref: str
    user_ref: str


@dataclass(frozen=True)
class MemberJoined:
    """A person joined the workspace or installed the app (a new clinician)."""

    platform: str
    practice_ref: str
    user_ref: str
    user_name: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class MemberDeparted:
    """A person was deactivated or removed: they get no more nudges."""

    platform: str
    practice_ref: str
    user_ref: str


PlatformEvent = ThreadReply | MemberJoined | MemberDeparted
