"""Words with their positions and the two facts the name and place rules need about them.

Capitalisation only means something mid-sentence: "Grace" opening a sentence may be the word,
"Grace" after "and" is probably a person. So each word records whether a sentence starts there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Letters of any script, so "José" and "Zoë" are one word (a name cut at "Jos" is a wrong span).
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*(?:['’]s)?")
# Characters after which the next word starts a sentence (or a bullet, a heading, a quote).
_OPENERS = frozenset('.!?:;\n\r•*-–—"“(>')


class Word(NamedTuple):
    """One word of the screened text. ``base`` drops a possessive "'s"."""

    text: str
    base: str
    lower: str
    start: int
    end: int
    possessive: bool
    sentence_start: bool
    capitalised: bool  # "Grace", not "grace" nor an acronym like "DBT"


def words(text: str) -> list[Word]:
    """Split ``text`` into words, noting possessives and sentence starts."""
    out: list[Word] = []
    for m in _WORD.finditer(text):
        token = m.group()
        possessive = token.endswith(("'s", "’s")) and len(token) > 2
        base = token[:-2] if possessive else token
        i = m.start() - 1
        while i >= 0 and text[i] in " \t":
            i -= 1
        sentence_start = i < 0 or text[i] in _OPENERS
        if sentence_start and i >= 1 and text[i] == "." and _is_abbreviation(text, i):
            sentence_start = False
        start = m.start()
        capitalised = base[0].isupper() and not base.isupper()
        out.append(
            Word(token, base, base.lower(), start, start + len(base), possessive, sentence_start, capitalised)
        )
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    """A dot after "Dr", "Mrs", "St" or an initial does not end a sentence."""
    j = dot
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    word = text[j:dot].lower()
    return (
        word in {"dr", "mr", "mrs", "ms", "mx", "st", "prof", "rev", "jr", "sr", "vs", "e.g", "i.e"}
        or len(word) == 1
    )


_DIGITS = re.compile(r"\d+")


def windows(text: str, hint: re.Pattern[str], before: int, after: int) -> Iterator[tuple[int, int]]:
    """Merged ``(lo, hi)`` stretches around each ``hint`` match, for rules too costly to try everywhere.

    Most rules need something rare to be present (a digit, a month word); scanning for that first
    and running the full expression only near it keeps a 2,000-character text well inside budget.
    ``pattern.finditer(text, lo, hi)`` still sees the characters before ``lo`` for ``\\b`` and
    look-behinds, so a window only has to be as wide as the longest match around its hint.
    """
    lo = hi = -1
    for m in hint.finditer(text):
        a, b = max(0, m.start() - before), min(len(text), m.end() + after)
        if a <= hi:
            hi = max(hi, b)
            continue
        if hi > lo:
            yield lo, hi
        lo, hi = a, b
    if hi > lo:
        yield lo, hi


def digit_windows(text: str, before: int = 60, after: int = 30) -> list[tuple[int, int]]:
    """Stretches around every run of digits: where phone, record, zip and date shapes can be."""
    return list(windows(text, _DIGITS, before, after))
