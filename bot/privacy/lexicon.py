"""The word lists the screen relies on, loaded once from files shipped in ``data/``.

Lists beat a statistical model here: they work offline, give the same answer every time, load in
milliseconds and can be read and corrected by a person. The generated lists come from
``scripts/build_privacy_lists.py``; ``allowed_words.txt`` and ``places_extra.txt`` are hand-written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _read(name: str) -> list[str]:
    text = (
        resources.files(__name__.rpartition(".")[0])
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


# Month, weekday and title words are ordinary even mid-sentence, so an ambiguous first name that
# is one of them ("May", "June", "Judge") needs stronger context than capitalisation alone.
_ORDINARY_EVEN_CAPITALISED = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "christmas",
        "easter",
        "valentine",
        "god",
        "jesus",
        "lord",
        "messiah",
        "christian",
        "baby",
        "infant",
        "friend",
        "client",
        "author",
        "council",
        "genesis",
        "doctor",
        "judge",
        "dean",
        "general",
        "major",
        "captain",
        "admiral",
        "bishop",
        "colonel",
        "commodore",
        "governor",
        "deacon",
        "elder",
        "marshal",
        "sergeant",
        "squire",
        "sister",
        "son",
        "lady",
        "king",
        "queen",
        "prince",
        "princess",
        "saint",
        "lawyer",
        "male",
        "media",
        "metro",
        "unknown",
        "unnamed",
        "north",
        "west",
        "east",
        "south",
        "little",
        "long",
        "young",
        "america",
        "asia",
        "china",
        "india",
        "israel",
        "ireland",
        "jordan",
        "kenya",
        "cuba",
        "chad",
        "trinidad",
        "alabama",
        "arizona",
        "carolina",
        "dakota",
        "florida",
        "georgia",
        "indiana",
        "louisiana",
        "missouri",
        "montana",
        "nevada",
        "tennessee",
        "texas",
        "virginia",
        "washington",
        "york",
        "reason",
        "less",
        "else",
        "hence",
        "early",
        "ever",
        "fate",
        "ability",
        "worth",
        "will",
    ]
)


@dataclass(frozen=True)
class Lexicon:
    """All lists, lowercase except ``places`` (matched case-sensitively, multi-word aware)."""

    first_names: frozenset[str]
    ambiguous_first_names: frozenset[str]
    ordinary_even_capitalised: frozenset[str]
    surnames: frozenset[str]
    places: frozenset[str]
    ambiguous_places: frozenset[str]
    allowed: frozenset[str]
    place_heads: dict[str, tuple[tuple[str, ...], ...]]

    def is_allowed(self, word: str) -> bool:
        return word.lower() in self.allowed


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load every list once per process (about 10 ms); later calls are free."""
    places = set(_read("places.txt")) | set(_read("places_extra.txt"))
    # Index multi-word places by their first word so the scan stays one pass over the tokens.
    heads: dict[str, list[tuple[str, ...]]] = {}
    for place in places:
        words = tuple(place.split())
        heads.setdefault(words[0], []).append(words)
    return Lexicon(
        first_names=frozenset(w.lower() for w in _read("first_names.txt")),
        ambiguous_first_names=frozenset(w.lower() for w in _read("first_names_ambiguous.txt")),
        ordinary_even_capitalised=_ORDINARY_EVEN_CAPITALISED,
        surnames=frozenset(w.lower() for w in _read("surnames.txt")),
        places=frozenset(places),
        ambiguous_places=frozenset(_read("places_ambiguous.txt")),
        allowed=frozenset(w.lower() for w in _read("allowed_words.txt")),
        place_heads={head: tuple(sorted(options, key=len, reverse=True)) for head, options in heads.items()},
    )
