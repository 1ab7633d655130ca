"""Plain-text rendering of a `Reply` for a terminal: wrapped, with headings, and no markup."""

from __future__ import annotations

import re
import textwrap

from bot.messages import ChoiceStyle, Delivery, Reply

_MARKUP = re.compile(r"(?<![\w*])\*(\S[^*\n]*?)\*(?!\w)|(?<![\w_])_(\S[^_\n]*?)_(?!\w)|`([^`\n]+)`")
_ITEM = re.compile(r"^(\s*)(- |\d+\. )")


def plain(text: str) -> str:
    """Drop chat markup (*bold*, _italic_, `code`) and keep the words."""
    return _MARKUP.sub(lambda m: next(g for g in m.groups() if g is not None), text)


def wrap(text: str, width: int = 78) -> str:
    """Wrap paragraphs and list items; list items keep a hanging indent."""
    lines: list[str] = []
    for line in plain(text).splitlines():
        if not line.strip():
            lines.append("")
            continue
        item = _ITEM.match(line)
        if item:
            marker = item.group(1) + ("• " if item.group(2) == "- " else item.group(2))
            body = line[item.end() :]
            lines.extend(
                textwrap.wrap(body, width, initial_indent=marker, subsequent_indent=" " * len(marker))
                or [marker]
            )
        else:
            lines.extend(textwrap.wrap(line, width) or [""])
    return "\n".join(lines)


def heading(text: str) -> str:
    return f"{text}\n{'-' * len(text)}"


def render(reply: Reply, width: int = 78) -> str:
    parts: list[str] = [f"{reply.title}\n{'=' * len(reply.title)}"]
    for section in reply.sections:
        block = wrap(section.body, width)
        parts.append(f"{heading(section.heading)}\n{block}" if section.heading else block)
    if reply.citations:
        parts.append(wrap("Basis: " + ", ".join(reply.citations), width))
    if reply.form is not None:
        parts.append(wrap(f"({reply.form.title}: answer the questions below.)", width))
    if reply.choices:
        label = reply.choices_label or "Choices"
        lines = [f"{label} (type the number or the command):"]
        for number, choice in enumerate(reply.choices, start=1):
            mark = " (shown)" if choice.selected else ""
            if reply.choice_style is ChoiceStyle.SELECT:
                lines.append(f"  {number:>2}. {choice.label}{mark}  [/boundary {choice.command}]")
            else:
                lines.append(f"  {number:>2}. {choice.label}{mark}: /boundary {choice.command}")
        parts.append("\n".join(lines))
    # A terminal has no DM to send a copy to; other actions are shown as the command to type.
    actions = [action for action in reply.actions if action.delivery is not Delivery.DM]
    if actions:
        parts.append("\n".join(f"  - {action.label}: /boundary {action.command}" for action in actions))
    if reply.footer:
        parts.append(wrap(reply.footer, width))
    return "\n\n".join(parts)
