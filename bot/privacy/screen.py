"""The screen itself: run every rule, then merge what they found into one clean list.

Rules overlap by design ("jess@example.com" is both an email and contains "@example"; "Lincoln
High" is a school and contains a first name), so the merge keeps one finding per stretch of text,
spanning the union and labelled with the most specific kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .dates import find_ages, find_dates
from .finding import Finding, Screening
from .lexicon import mask_state_level
from .names import find_names
from .patterns import find_patterns
from .places import find_places
from .practice import own_side
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


def _restore(findings: Iterable[Finding], text: str) -> Iterator[Finding]:
    """Findings made on the masked copy, with their text taken from the original."""
    for f in findings:
        yield Finding(f.kind, f.start, f.end, text[f.start : f.end])


def screen(text: str) -> Screening:
    """Screen one consultation text for client identifiers (Safe Harbor free-text kinds)."""
    found: list[Finding] = []
    found.extend(find_patterns(text))
    found.extend(find_dates(text))
    found.extend(find_ages(text))
    # Provinces, Australian states and regions are blanked (same offsets) before the word rules, so
    # "Victoria" or "Nova Scotia" is read as neither a town nor a person.
    plain = mask_state_level(text)
    tokens = words(plain)
    found.extend(_restore(find_places(plain, tokens), text))
    found.extend(_restore(find_names(plain, tokens), text))
    # Colleagues, the writer and the practice's own site are not the client's (see practice.py).
    findings = tuple(f for f in merge(found, text) if not own_side(text, f))
    return Screening(clean=not findings, findings=findings)
