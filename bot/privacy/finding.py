"""The screen's result types: what was found, and the verdict on a whole text.

They are small frozen values so that adapters, the CLI and storage can pass them around without
reaching back into the screen. ``Finding.text`` holds client-identifying text: show it to the
clinician who typed it, never log it.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS: tuple[str, ...] = (
    "name",
    "location",
    "date",
    "age",
    "phone",
    "email",
    "url",
    "handle",
    "ip",
    "record",
    "vehicle",
    "other",
)

# How to call each kind when telling a clinician what to remove.
_LABELS: dict[str, str] = {
    "name": "a name",
    "location": "a place smaller than a state",
    "date": "an exact date",
    "age": "an age over 89",
    "phone": "a phone number",
    "email": "an email address",
    "url": "a web address or profile link",
    "handle": "a social media handle",
    "ip": "an IP address",
    "record": "a record or account number",
    "vehicle": "a vehicle plate or number",
    "other": "an identifying number",
}


@dataclass(frozen=True)
class Finding:
    """One stretch of text that could identify a client: ``text == screened[start:end]``."""

    kind: str
    start: int
    end: int
    text: str

    def describe(self) -> str:
        """A short plain-English label for the clinician, e.g. ``a name ("Jessica")``."""
        return f'{_LABELS.get(self.kind, _LABELS["other"])} ("{self.text}")'


@dataclass(frozen=True)
class Screening:
    """The verdict on one text: ``clean`` when no identifier was found."""

    clean: bool
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, object]:
        """The ``phi-check --json`` shape from the contract."""
        return {
            "clean": self.clean,
            "findings": [
                {"kind": f.kind, "start": f.start, "end": f.end, "text": f.text} for f in self.findings
            ],
        }
