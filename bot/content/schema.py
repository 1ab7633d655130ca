"""The schema every situation file must meet, built-in or a practice's override.

A situation is one digital-boundary problem a clinician meets ("a client sent a friend request"),
with the words to handle it in several variants and the ethics-code sections behind it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

#: Variant keys in the order a clinician reads them. `steps` replaces the client-facing variants for
#: situations with nobody to answer (searching a client, a crisis post...); `clause` is consent text.
VARIANT_ORDER: tuple[str, ...] = (
    "steps",
    "written",
    "sensitive",
    "in-session",
    "clause",
    "avoid",
    "document",
)
CLIENT_FACING: frozenset[str] = frozenset({"written", "sensitive"})
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
KEY_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"

#: Citation form "ACA H.6.c", "NASW 1.06(h)", "APA 3.05", "BACP Good practice 33".
CITATION_PATTERN = re.compile(r"^(ACA|NASW|APA|AAMFT|BACP) \S.*$")

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Variant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: NonEmpty
    text: NonEmpty
    note: str | None = None  # a line for the clinician shown above the text (never sent to a client)


class Situation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
    title: NonEmpty
    summary: NonEmpty
    why: NonEmpty
    citations: list[NonEmpty] = Field(min_length=1)
    variants: dict[str, Variant] = Field(min_length=1)
    default_variant: str | None = None
    aliases: list[NonEmpty] = Field(default_factory=list)
    examples: list[NonEmpty] = Field(default_factory=list)
    keywords: list[NonEmpty] = Field(default_factory=list)
    reviewed_on: dt.date
    owner: NonEmpty

    @field_validator("variants")
    @classmethod
    def _known_variants(cls, value: dict[str, Variant]) -> dict[str, Variant]:
        unknown = sorted(set(value) - set(VARIANT_ORDER))
        if unknown:
            raise ValueError(f"unknown variant {unknown[0]!r}; use one of: {', '.join(VARIANT_ORDER)}")
        return value

    @field_validator("citations")
    @classmethod
    def _citation_form(cls, value: list[str]) -> list[str]:
        for citation in value:
            if not CITATION_PATTERN.match(citation):
                raise ValueError(f"citation {citation!r} is not of the form 'ACA H.6.c' or 'NASW 1.06(h)'")
        return value

    @model_validator(mode="after")
    def _default_is_a_variant(self) -> Situation:
        if self.default_variant is not None and self.default_variant not in self.variants:
            raise ValueError(f"default_variant {self.default_variant!r} is not one of the variants")
        return self

    def ordered_variants(self) -> list[str]:
        return [key for key in VARIANT_ORDER if key in self.variants]

    def first_variant(self) -> str:
        return self.default_variant or self.ordered_variants()[0]


class Placeholders(BaseModel):
    """Values a practice fills into scripts; the defaults are safe for any practice."""

    model_config = ConfigDict(extra="allow")

    practice_name: NonEmpty = "our practice"
    portal: NonEmpty = "the secure client portal"
    crisis_line: NonEmpty = "988 (call or text) in the US, or 999 in the UK"
