"""Block Kit rendering of the core's `Reply` and `Form`: messages, modals and the App Home.

Everything here is a pure function from our message types to Slack JSON, so it is tested without a
server. Slack's limits are enforced here, not hoped for: 50 blocks per message (100 in modals and
the Home tab), 3000 characters per section, 150 per header, 75 per button or option label, 25
elements per actions block, 100 options per select, 24 characters for modal titles and buttons.

Action ids carry what the click should do: `boundary.<delivery>.<n>` for buttons (delivery is
replace, new, dm or form; the value is the command to run) and `boundary.pick.<n>` for selects.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.messages import Action, Choice, ChoiceStyle, Delivery, Form, FormField, Reply, Section

Block = dict[str, Any]

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTIONS_PER_BLOCK = 25
SELECT_OPTIONS = 100
OPTION_VALUE = 150
VIEW_TITLE = 24
PRIVATE_METADATA = 3000
CONTEXT_TEXT = 2000

FORM_CALLBACK = "boundary.form"
REPLY_CALLBACK = "boundary.reply"
ACTION_PATTERN = re.compile(r"^boundary\.(replace|new|dm|form|pick)\.")
TRUNCATED_NOTE = "This answer was shortened to fit in Slack. Ask again with a narrower question for the rest."

_BULLET = re.compile(r"^(\s*)- ", re.MULTILINE)
# Slack's own markup (<@U1>, <#C1>, <!here>, <https://...|label>) survives; any other < > & is escaped.
_SLACK_TOKEN = re.compile(r"<(?:[@#!][^<>\s]+|(?:https?|mailto):[^<>\s]+)>")


def escape(text: str) -> str:
    parts: list[str] = []
    last = 0
    for token in _SLACK_TOKEN.finditer(text):
        parts.append(_escape_plain(text[last : token.start()]))
        parts.append(token.group(0))
        last = token.end()
    parts.append(_escape_plain(text[last:]))
    return "".join(parts)


def _escape_plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> str:
    """Our body convention ("- " bullets, *bold*, _italic_, `code`) in Slack's mrkdwn."""
    return _BULLET.sub(lambda m: f"{m.group(1)}• ", escape(text))


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = SECTION_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph, then line, then word boundaries."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0)
        if cut < limit // 3:
            cut = window.rfind("\n")
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut < limit // 3:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return [piece for piece in pieces if piece]


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def section_blocks(sections: Iterable[Section]) -> list[Block]:
    blocks: list[Block] = []
    for section in sections:
        body = mrkdwn(section.body)
        text = f"*{escape(section.heading)}*\n{body}" if section.heading else body
        for piece in split_text(text):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": piece}})
    return blocks


def button(label: str, action_id: str, value: str, *, primary: bool = False) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(label, BUTTON_TEXT),
        "action_id": action_id,
        "value": value[:BUTTON_VALUE],
    }
    if primary:
        element["style"] = "primary"
    return element


def actions_blocks(elements: Sequence[Block], prefix: str) -> list[Block]:
    """Elements chunked into actions blocks of at most 25."""
    return [
        {"type": "actions", "block_id": f"{prefix}{n}", "elements": list(elements[i : i + ACTIONS_PER_BLOCK])}
        for n, i in enumerate(range(0, len(elements), ACTIONS_PER_BLOCK))
    ]


def option(choice: Choice) -> Block:
    item: Block = {"text": plain(choice.label, BUTTON_TEXT), "value": choice.command[:OPTION_VALUE]}
    if choice.description:
        item["description"] = plain(choice.description, BUTTON_TEXT)
    return item


def choice_blocks(reply: Reply) -> list[Block]:
    if not reply.choices:
        return []
    blocks: list[Block] = []
    if reply.choices_label:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"*{escape(reply.choices_label)}*"}]}
        )
    if reply.choice_style is ChoiceStyle.SELECT:
        selects: list[Block] = []
        for n, start in enumerate(range(0, len(reply.choices), SELECT_OPTIONS)):
            chunk = reply.choices[start : start + SELECT_OPTIONS]
            select: Block = {
                "type": "static_select",
                "action_id": f"boundary.pick.{n}",
                "placeholder": plain(reply.choices_label or "Pick one", BUTTON_TEXT),
                "options": [option(choice) for choice in chunk],
            }
            chosen = [choice for choice in chunk if choice.selected]
            if chosen:
                select["initial_option"] = option(chosen[0])
            selects.append(select)
        blocks += actions_blocks(selects, "boundary-pick-")
    else:
        buttons = [
            button(choice.label, f"boundary.replace.c{n}", choice.command, primary=choice.selected)
            for n, choice in enumerate(reply.choices)
        ]
        blocks += actions_blocks(buttons, "boundary-choices-")
    return blocks


def action_blocks(actions: Sequence[Action]) -> list[Block]:
    buttons = [
        button(action.label, f"boundary.{action.delivery.value}.a{n}", action.command, primary=action.primary)
        for n, action in enumerate(actions)
    ]
    return actions_blocks(buttons, "boundary-actions-")


def context_blocks(reply: Reply) -> list[Block]:
    elements: list[Block] = []
    if reply.citations:
        elements.append(
            {"type": "mrkdwn", "text": clip("Basis: " + escape(", ".join(reply.citations)), CONTEXT_TEXT)}
        )
    if reply.footer:
        elements.append({"type": "mrkdwn", "text": clip(mrkdwn(reply.footer), CONTEXT_TEXT)})
    return [{"type": "context", "elements": elements}] if elements else []


def reply_blocks(reply: Reply, *, limit: int = MESSAGE_BLOCKS, actions: bool = True) -> list[Block]:
    """Header, body sections, choices, actions and the context line, within `limit` blocks.

    When the body would push past the limit, the last sections are dropped and a note says so:
    the choices and actions always stay, since they are how the clinician moves on.
    """
    head: list[Block] = [{"type": "header", "text": plain(reply.title, HEADER_TEXT)}]
    tail = choice_blocks(reply) + (action_blocks(reply.actions) if actions and reply.actions else [])
    tail += context_blocks(reply)
    body = section_blocks(reply.sections)
    room = limit - len(head) - len(tail)
    if len(body) > room:
        note: Block = {"type": "context", "elements": [{"type": "mrkdwn", "text": TRUNCATED_NOTE}]}
        body = [*body[: max(room - 1, 0)], note]
    return (head + body + tail)[:limit]


def message_payload(reply: Reply, *, actions: bool = True) -> dict[str, Any]:
    """`text` is the notification and screen-reader fallback; `blocks` the rendering.

    The result is shared between calls for the same reply (treat it as read-only): script replies
    are themselves cached by the core, so the same few payloads are rendered once per process.
    Replies carrying a form hold an unhashable error map and are rendered each time.
    """
    if reply.form is None:
        return _cached_payload(reply, actions)
    return _payload(reply, actions)


def _payload(reply: Reply, actions: bool) -> dict[str, Any]:
    return {"text": clip(reply.title, 300), "blocks": reply_blocks(reply, actions=actions)}


_cached_payload = functools.lru_cache(maxsize=512)(_payload)

#: Encoded answers by reply identity; each entry keeps its reply alive, so an id cannot be reused
#: while it is cached.
_ENCODED: dict[int, tuple[Reply, str]] = {}
_ENCODED_LIMIT = 512


def ephemeral_json(reply: Reply) -> str:
    """The private answer to a slash command, as the JSON text of the HTTP response.

    Script replies come from the core's cache, so the same reply object is answered all day; its
    text is encoded once. Encoding about 2.8 KB of Block Kit on every request cost as much as
    everything else Boundary does for a command. The lookup is by identity: hashing a reply walks
    every section and button, which costs more than the lookup saves.
    """
    found = _ENCODED.get(id(reply))
    if found is not None and found[0] is reply:
        return found[1]
    text = json.dumps({"response_type": "ephemeral", **message_payload(reply)}, separators=(",", ":"))
    if reply.form is None:
        if len(_ENCODED) >= _ENCODED_LIMIT:
            _ENCODED.clear()  # the few script replies come straight back; one-off replies go
        _ENCODED[id(reply)] = (reply, text)
    return text


def metadata(values: dict[str, Any]) -> str:
    text = json.dumps(values, separators=(",", ":"))
    if len(text) > PRIVATE_METADATA:
        raise ValueError("private_metadata over Slack's 3000 characters")
    return text


def reply_view(reply: Reply, *, channel: str | None = None) -> dict[str, Any]:
    """A reply shown in a modal (the shortcut's picker, a script opened from the Home tab)."""
    return {
        "type": "modal",
        "callback_id": REPLY_CALLBACK,
        "title": plain("Boundary", VIEW_TITLE),
        "close": plain("Close", VIEW_TITLE),
        "private_metadata": metadata({"channel": channel}),
        "blocks": reply_blocks(reply, limit=VIEW_BLOCKS),
    }


def field_element(field: FormField) -> Block:
    if field.kind == "select":
        element: Block = {
            "type": "static_select",
            "action_id": "value",
            "options": [
                {"text": plain(o.label, BUTTON_TEXT), "value": o.value[:OPTION_VALUE]}
                for o in field.options[:SELECT_OPTIONS]
            ],
        }
        chosen = [o for o in field.options if o.value == field.value]
        if chosen:
            element["initial_option"] = {
                "text": plain(chosen[0].label, BUTTON_TEXT),
                "value": chosen[0].value,
            }
        return element
    if field.kind == "boolean":
        yes = {"text": plain("Yes", BUTTON_TEXT), "value": "true"}
        element = {"type": "checkboxes", "action_id": "value", "options": [yes]}
        if (field.value or "").lower() == "true":
            element["initial_options"] = [yes]
        return element
    element = {"type": "plain_text_input", "action_id": "value", "multiline": field.kind == "textarea"}
    if field.value:
        element["initial_value"] = field.value
    if field.max_length:
        element["max_length"] = field.max_length
    return element


def form_view(form: Form, *, channel: str | None = None) -> dict[str, Any]:
    """A form as a modal; each input's block_id is the field id, so errors map straight back."""
    blocks: list[Block] = []
    if form.intro:
        blocks += section_blocks([Section(form.intro)])
    if form.context:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": clip(mrkdwn(form.context), CONTEXT_TEXT)}],
            }
        )
    for field in form.fields:
        block: Block = {
            "type": "input",
            "block_id": field.id,
            "label": plain(field.label, CONTEXT_TEXT),
            "element": field_element(field),
            # A checkbox cannot be both required and answerable with "no".
            "optional": field.kind == "boolean" or not field.required,
        }
        hint = form.errors.get(field.id) or field.hint
        if hint:
            block["hint"] = plain(hint, CONTEXT_TEXT)
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": plain(form.title, VIEW_TITLE),
        "submit": plain(form.submit_label, VIEW_TITLE),
        "close": plain("Cancel", VIEW_TITLE),
        "private_metadata": metadata({"form": form.id, "channel": channel}),
        "blocks": blocks[:VIEW_BLOCKS],
    }


def form_values(view: dict[str, Any]) -> dict[str, str]:
    """The submitted values by field id, whatever the input type."""
    values: dict[str, str] = {}
    for block_id, inputs in (view.get("state", {}).get("values") or {}).items():
        state = inputs.get("value") if isinstance(inputs, dict) else None
        if not isinstance(state, dict):
            continue
        kind = state.get("type")
        if kind == "static_select":
            selected = state.get("selected_option") or {}
            values[block_id] = str(selected.get("value") or "")
        elif kind == "checkboxes":
            values[block_id] = "true" if state.get("selected_options") else "false"
        else:
            values[block_id] = str(state.get("value") or "")
    return values


def form_errors(form: Form) -> dict[str, str]:
    """`response_action: errors` wants block ids of the modal; errors for other keys go on the first field."""
    ids = [field.id for field in form.fields]
    errors: dict[str, str] = {}
    for key, message in form.errors.items():
        target = key if key in ids else (ids[0] if ids else key)
        errors[target] = clip(f"{errors[target]} {message}" if target in errors else message, CONTEXT_TEXT)
    return errors


def delivery_of(action_id: str) -> Delivery | None:
    """The delivery encoded in an action id; None for a select (which replaces, like a choice)."""
    found = ACTION_PATTERN.match(action_id)
    if not found or found.group(1) == "pick":
        return None
    return Delivery(found.group(1))
