"""The screen itself: run every rule, then merge what they found into one clean list.

Rules overlap by design ("jess@example.com" is both an email and contains "@example"; "Lincoln
High" is a school and contains a first name), so the merge keeps one finding per stretch of text,
spanning the union and labelled with the most specific kind.
"""

from __future__ import annotations

from collections.abc import Iterable

from .dates import find_ages, find_dates
from .finding import Finding, Screening
from .names import find_names
from .patterns import find_patterns
from .places import find_places
from .tokens import words

# Most specific first: a shape-checked email beats a handle, a plate beats a record number,
# a street or town beats the first name it contains.
_PRIORITY: dict[str, int] = {
    kind: rank
    for rank, kind in enumerate(
        (
            "email",
            "url",
            "ip",
            "vehicle",
            "record",
            "phone",
            "handle",
            "date",
            "age",
            "location",
            "name",
            "other",
        )
    )
}


def merge(findings: Iterable[Finding], text: str) -> tuple[Finding, ...]:
    """Sort, merge overlapping findings, and keep the most specific kind for each merged span."""
    ordered = sorted(findings, key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for f in ordered:
        if f.end <= f.start:
            continue
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            end = max(last.end, f.end)
            kind = min(last.kind, f.kind, key=lambda k: _PRIORITY.get(k, len(_PRIORITY)))
            merged[-1] = Finding(kind, last.start, end, text[last.start : end])
        else:
            merged.append(f)
    return tuple(merged)


def screen(text: str) -> Screening:
    """Screen one consultation text for client identifiers (Safe Harbor free-text kinds)."""
    found: list[Finding] = []
    found.extend(find_patterns(text))
    found.extend(find_dates(text))
    found.extend(find_ages(text))
    tokens = words(text)
    found.extend(find_places(text, tokens))
    found.extend(find_names(text, tokens))
    findings = merge(found, text)
    return Screening(clean=not findings, findings=findings)
