"""Adaptive Card (schema 1.5) rendering of the core's `Reply` and `Form`.

Pure functions from our message types to card JSON (plain dicts): no botbuilder import, so the
renderer survives a move to another Teams SDK. Every button is an `Action.Submit` whose `data`
carries the command to run; Teams sends it back as a message activity with that `value`, and
`submission()` reads it back.

Markup: the core writes `*bold*`, `_italic_`, `` `code` `` and "- " / "1. " list lines. Adaptive
Card markdown has `**bold**`, `_italic_` and lists but no code spans, so bold is doubled and code
becomes plain quotes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.messages import ChoiceStyle, Delivery, Form, FormField, Reply

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"

#: Marks the `data` of our own buttons, so a stray submit from another card is recognised as such.
DATA_KEY = "boundary"

_BOLD = re.compile(r"(?<![\w*])\*(\S[^*\n]*?)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")
_LIST_ITEM = re.compile(r"^\s*(- |\d+\. )")


# The core refers to channels and people as `<#ID>` / `<@ID>` (optionally `|name`), which Slack turns
# into links. A card cannot link a Teams channel or person by id alone, so it names them in words.
_CHANNEL_REF = re.compile(r"<#[^>|]+(?:\|([^>]*))?>")
_PERSON_REF = re.compile(r"<@[^>|]+(?:\|([^>]*))?>")


def markdown(text: str) -> str:
    """The core's chat markup in Adaptive Card markdown."""
    text = _CHANNEL_REF.sub(lambda m: f"#{m.group(1)}" if m.group(1) else "the consultation channel", text)
    text = _PERSON_REF.sub(lambda m: m.group(1) or "a colleague", text)
    return _CODE.sub(r"“\1”", _BOLD.sub(r"**\1**", text))


def text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def body_blocks(body: str) -> list[dict[str, Any]]:
    """One TextBlock per paragraph; list lines stay together so Teams draws them as a list."""
    blocks: list[dict[str, Any]] = []
    for paragraph in re.split(r"\n\s*\n", body.strip()):
        lines = [line.rstrip() for line in paragraph.splitlines() if line.strip()]
        if not lines:
            continue
        if all(_LIST_ITEM.match(line) for line in lines):
            text = "\n".join(line.strip() for line in lines)
        else:
            # Single newlines inside a prose paragraph are soft breaks in the core's text.
            text = " ".join(line.strip() for line in lines)
        blocks.append(text_block(markdown(text), spacing="Small" if blocks else "Default"))
    return blocks


def command_data(command: str, delivery: Delivery = Delivery.NEW) -> dict[str, str]:
    return {DATA_KEY: "command", "command": command, "delivery": delivery.value}


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        result["actions"] = actions
    # Teams draws cards narrow by default; full width reads better for scripts of several paragraphs.
    result["msteams"] = {"width": "Full"}
    return result


def render_reply(reply: Reply) -> dict[str, Any]:
    """A reply as one Adaptive Card; a reply carrying a form renders the form."""
    if reply.form is not None:
        return render_form(reply.form, title=reply.title if reply.title != reply.form.title else None)
    body: list[dict[str, Any]] = [
        text_block(reply.title, size="Large", weight="Bolder", color="Default" if reply.ok else "Attention")
    ]
    for section in reply.sections:
        container: list[dict[str, Any]] = []
        if section.heading:
            container.append(text_block(markdown(section.heading), weight="Bolder"))
        container.extend(body_blocks(section.body))
        if container:
            body.append({"type": "Container", "items": container, "spacing": "Medium"})
    if reply.citations:
        body.append(text_block("Basis: " + ", ".join(reply.citations), isSubtle=True, size="Small"))
    actions: list[dict[str, Any]] = []
    if reply.choices:
        body.extend(choice_elements(reply))
    for action in reply.actions:
        submit = {
            "type": "Action.Submit",
            "title": action.label,
            "data": command_data(action.command, action.delivery),
        }
        if action.primary:
            submit["style"] = "positive"
        actions.append(submit)
    if reply.footer:
        body.append(text_block(markdown(reply.footer), isSubtle=True, size="Small", spacing="Medium"))
    return card(body, actions)


def choice_elements(reply: Reply) -> list[dict[str, Any]]:
    """Choices as a row of buttons, or a dropdown and a button for long lists (the menu)."""
    elements: list[dict[str, Any]] = []
    if reply.choices_label:
        elements.append(text_block(reply.choices_label, weight="Bolder", spacing="Medium"))
    # Picking a variant or a situation rewrites the card the person is looking at.
    if reply.choice_style is ChoiceStyle.SELECT:
        selected = next((choice.command for choice in reply.choices if choice.selected), None)
        choice_set: dict[str, Any] = {
            "type": "Input.ChoiceSet",
            "id": "choice",
            "style": "compact",
            "placeholder": reply.choices_label or "Choose",
            "choices": [{"title": choice.label, "value": choice.command} for choice in reply.choices],
        }
        if selected:
            choice_set["value"] = selected
        elements.append(choice_set)
        elements.append(
            {
                "type": "ActionSet",
                "actions": [
                    {
                        "type": "Action.Submit",
                        "title": "Show me",
                        "data": {DATA_KEY: "choose", "delivery": Delivery.REPLACE.value},
                    }
                ],
            }
        )
        return elements
    buttons = []
    for choice in reply.choices:
        button: dict[str, Any] = {
            "type": "Action.Submit",
            "title": ("✓ " if choice.selected else "") + choice.label,
            "data": command_data(choice.command, Delivery.REPLACE),
        }
        if choice.selected:
            button["style"] = "positive"
        buttons.append(button)
    elements.append({"type": "ActionSet", "actions": buttons})
    return elements


def render_form(form: Form, *, title: str | None = None) -> dict[str, Any]:
    """A form as a card of inputs. Errors show under their field; typed values are kept."""
    body: list[dict[str, Any]] = [text_block(title or form.title, size="Large", weight="Bolder")]
    if form.intro:
        body.extend(body_blocks(form.intro))
    if form.errors:
        body.append(
            text_block("Please check the highlighted answers; nothing you typed was lost.", color="Attention")
        )
    for form_field in form.fields:
        body.append(form_input(form_field))
        if form_field.hint:
            body.append(text_block(markdown(form_field.hint), isSubtle=True, size="Small", spacing="None"))
        error = form.errors.get(form_field.id)
        if error:
            body.append(text_block(error, color="Attention", size="Small", spacing="None"))
    data: dict[str, str] = {DATA_KEY: "form", "form_id": form.id}
    if form.context is not None:
        data["context"] = form.context
    return card(
        body, [{"type": "Action.Submit", "title": form.submit_label, "style": "positive", "data": data}]
    )


def form_input(form_field: FormField) -> dict[str, Any]:
    common: dict[str, Any] = {
        "id": form_field.id,
        "label": form_field.label,
        "isRequired": form_field.required,
    }
    if form_field.required:
        common["errorMessage"] = f"{form_field.label} is needed."
    if form_field.kind == "select":
        element = {
            "type": "Input.ChoiceSet",
            "style": "compact",
            "choices": [{"title": option.label, "value": option.value} for option in form_field.options],
            **common,
        }
        if form_field.value is not None:
            element["value"] = form_field.value
        return element
    if form_field.kind == "boolean":
        # A toggle always has a value, so "required" means nothing for it.
        common["isRequired"] = False
        common.pop("errorMessage", None)
        return {
            "type": "Input.Toggle",
            "title": form_field.label,
            "valueOn": "true",
            "valueOff": "false",
            "value": "true" if (form_field.value or "").lower() in {"true", "yes", "1", "on"} else "false",
            **common,
        }
    element = {"type": "Input.Text", "isMultiline": form_field.kind == "textarea", **common}
    if form_field.value is not None:
        element["value"] = form_field.value
    if form_field.max_length:
        element["maxLength"] = form_field.max_length
    return element


def attachment(content: dict[str, Any]) -> dict[str, Any]:
    return {"contentType": CONTENT_TYPE, "content": content}


@dataclass(frozen=True)
class Submission:
    """What a pressed card button asks for: a command to run, or a form to submit."""

    kind: str  # "command" or "form"
    command: str = ""
    delivery: Delivery = Delivery.NEW
    form_id: str = ""
    values: Mapping[str, str] | None = None


def submission(value: object) -> Submission | None:
    """Read an `Action.Submit` payload back; None when it is not one of ours or is malformed."""
    if not isinstance(value, Mapping) or not isinstance(value.get(DATA_KEY), str):
        return None
    kind = value[DATA_KEY]
    try:
        delivery = Delivery(value.get("delivery", Delivery.NEW.value))
    except ValueError:
        delivery = Delivery.NEW
    if kind == "command" and isinstance(value.get("command"), str):
        return Submission("command", command=value["command"], delivery=delivery)
    if kind == "choose" and isinstance(value.get("choice"), str) and value["choice"]:
        return Submission("command", command=value["choice"], delivery=delivery)
    if kind == "form" and isinstance(value.get("form_id"), str):
        values = {
            str(key): "" if item is None else str(item)
            for key, item in value.items()
            if key not in {DATA_KEY, "form_id"}
        }
        return Submission("form", form_id=value["form_id"], values=values)
    return None
