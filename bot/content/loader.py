"""Reading situation files: the built-in library, then a practice's overrides layered on top.

A broken file must stop the bot at start with a one-line message naming the file, the field and the
line, never at a clinician's first request. An override file may be partial: it names a `key` and
the fields it changes, and is merged over the built-in situation of that key before validation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.content.schema import PLACEHOLDER, Placeholders, Situation

PLACEHOLDER_FILE = "_placeholders.yaml"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file."""

    file: str
    field: str
    message: str
    line: int | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class ContentError(Exception):
    """The content could not be loaded; `problems` lists every reason, the message names the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"content error: {problems[0]}{more}")


@dataclass(frozen=True)
class SourceFile:
    name: str
    text: str


def builtin_files() -> list[SourceFile]:
    folder = resources.files("bot.content") / "defaults"
    found = [item for item in folder.iterdir() if item.name.endswith(".yaml")]
    return [
        SourceFile(item.name, item.read_text(encoding="utf-8"))
        for item in sorted(found, key=lambda i: i.name)
    ]


def folder_files(folder: Path) -> list[SourceFile]:
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    return [SourceFile(str(path), path.read_text(encoding="utf-8")) for path in paths]


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a 1-based line number."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == part), None)
            if child is None:
                return line
            node = child
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


def _parse(source: SourceFile) -> tuple[dict[str, Any] | None, yaml.Node | None, list[Problem]]:
    try:
        node = yaml.compose(source.text)
        data = yaml.safe_load(source.text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, None, [Problem(source.name, "(yaml)", f"not valid YAML: {reason}", line)]
    if not isinstance(data, dict):
        return None, node, [Problem(source.name, "(file)", "must be a mapping of fields (key: value)", 1)]
    return data, node, []


def _validation_problems(exc: ValidationError, file: str, node: yaml.Node | None) -> Iterator[Problem]:
    for error in exc.errors():
        loc = tuple(error["loc"])
        field = ".".join(str(part) for part in loc) or "(file)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required field is missing"
        yield Problem(file, field, message, _line_of(node, loc))


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings: an override replaces values and extends nested mappings (variants)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class LoadedContent:
    situations: dict[str, Situation]
    placeholders: Placeholders
    problems: list[Problem]
    origins: dict[str, str]


def _load_layer(
    files: list[SourceFile],
    raw: dict[str, dict[str, Any]],
    origins: dict[str, str],
    placeholder_data: dict[str, Any],
    problems: list[Problem],
    *,
    partial_allowed: bool,
) -> dict[str, yaml.Node | None]:
    nodes: dict[str, yaml.Node | None] = {}
    for source in files:
        data, node, found = _parse(source)
        problems.extend(found)
        if data is None:
            continue
        if Path(source.name).name == PLACEHOLDER_FILE:
            placeholder_data.update(data)
            continue
        key = data.get("key")
        if not isinstance(key, str) or not key:
            problems.append(Problem(source.name, "key", "required field is missing", _line_of(node, ())))
            continue
        if partial_allowed and key in raw:
            raw[key] = _merge(raw[key], data)
        else:
            raw[key] = data
        origins[key] = source.name
        nodes[key] = node
    return nodes


def load_content(override_dir: Path | None = None, *, include_builtin: bool = True) -> LoadedContent:
    """Load and validate every situation; collects all problems instead of stopping at the first."""
    problems: list[Problem] = []
    raw: dict[str, dict[str, Any]] = {}
    origins: dict[str, str] = {}
    placeholder_data: dict[str, Any] = {}
    nodes: dict[str, yaml.Node | None] = {}
    if include_builtin:
        nodes.update(
            _load_layer(builtin_files(), raw, origins, placeholder_data, problems, partial_allowed=False)
        )
    if override_dir is not None:
        if not override_dir.is_dir():
            problems.append(Problem(str(override_dir), "(folder)", "content folder does not exist"))
        else:
            nodes.update(
                _load_layer(
                    folder_files(override_dir), raw, origins, placeholder_data, problems, partial_allowed=True
                )
            )
    situations: dict[str, Situation] = {}
    for key, data in raw.items():
        try:
            situations[key] = Situation.model_validate(data)
        except ValidationError as exc:
            problems.extend(_validation_problems(exc, origins[key], nodes.get(key)))
    try:
        placeholders = Placeholders.model_validate(placeholder_data)
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, PLACEHOLDER_FILE, None))
        placeholders = Placeholders()
    problems.extend(_unknown_placeholders(situations, placeholders, origins, nodes))
    return LoadedContent(situations, placeholders, problems, origins)


def _unknown_placeholders(
    situations: Mapping[str, Situation],
    placeholders: Placeholders,
    origins: Mapping[str, str],
    nodes: Mapping[str, yaml.Node | None],
) -> Iterator[Problem]:
    """A `{name}` nobody defines would reach a client as literal braces: refuse it at load time."""
    known = set(placeholders.model_dump())
    for key, situation in situations.items():
        fields: list[tuple[tuple[str, ...], str]] = [
            (("summary",), situation.summary),
            (("why",), situation.why),
        ]
        for name, variant in situation.variants.items():
            fields.append((("variants", name, "text"), variant.text))
            if variant.note:
                fields.append((("variants", name, "note"), variant.note))
        for loc, text in fields:
            for name in sorted({match.group(1) for match in PLACEHOLDER.finditer(text)} - known):
                yield Problem(
                    origins.get(key, key),
                    ".".join(loc),
                    f"{{{name}}} is not a known placeholder; define it in {PLACEHOLDER_FILE}",
                    _line_of(nodes.get(key), loc),
                )


def review_warnings(content: LoadedContent, today: dt.date) -> list[Problem]:
    """Content, like policy, is reviewed yearly: flag situations last reviewed over a year ago."""
    warnings = []
    for key, situation in sorted(content.situations.items()):
        if (today - situation.reviewed_on).days > 365:
            warnings.append(
                Problem(
                    content.origins.get(key, key),
                    "reviewed_on",
                    f"{key} was last reviewed on {situation.reviewed_on.isoformat()}, over a year ago",
                    severity="warning",
                )
            )
    return warnings
