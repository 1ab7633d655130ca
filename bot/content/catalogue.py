"""The situation catalogue: validated situations, in a stable order, with placeholders filled."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from bot.content.loader import ContentError, load_content
from bot.content.schema import PLACEHOLDER, Placeholders, Situation


class Catalogue:
    def __init__(self, situations: Mapping[str, Situation], placeholders: Placeholders | None = None) -> None:
        self._situations = dict(sorted(situations.items()))
        self.placeholders = placeholders or Placeholders()

    @classmethod
    def load(cls, override_dir: Path | None = None) -> Catalogue:
        """Load built-in content and a practice's overrides; raise `ContentError` on any problem."""
        content = load_content(override_dir)
        errors = [problem for problem in content.problems if problem.severity == "error"]
        if errors:
            raise ContentError(errors)
        return cls(content.situations, content.placeholders)

    def __contains__(self, key: object) -> bool:
        return key in self._situations

    def __iter__(self) -> Iterator[Situation]:
        return iter(self._situations.values())

    def __len__(self) -> int:
        return len(self._situations)

    def keys(self) -> list[str]:
        return list(self._situations)

    def get(self, key: str) -> Situation | None:
        return self._situations.get(key)

    def fill(self, text: str, values: Mapping[str, str] | None = None) -> str:
        """Replace `{practice_name}`-style placeholders; unknown names are left as typed."""
        known = self.placeholders.model_dump()
        if values:
            known.update({name: value for name, value in values.items() if value})

        def replace(match: re.Match[str]) -> str:
            value = known.get(match.group(1))
            return str(value) if value is not None else match.group(0)

        return PLACEHOLDER.sub(replace, text)
