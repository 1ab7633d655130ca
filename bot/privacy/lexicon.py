"""The word lists the screen relies on, loaded once from files shipped in ``data/``.

Lists beat a statistical model here: they work offline, give the same answer every time, load in
milliseconds and can be read and corrected by a person. The generated lists come from
``scripts/build_privacy_lists.py``; ``allowed_words.txt`` and ``places_extra.txt`` are hand-written.
"""

from __future__ import annotations

import gzip
import re
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


def _read_gz(name: str) -> list[str]:
    raw = resources.files(__name__.rpartition(".")[0]).joinpath("data").joinpath(name).read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


# Areas as large as a US state (Canadian provinces, Australian states, the UK's nations) and the
# regions bigger than one (the Midwest, the Maritimes): Safe Harbor lets them stand.
STATE_LEVEL: tuple[str, ...] = (
    "Alberta",
    "British Columbia",
    "Manitoba",
    "New Brunswick",
    "Newfoundland and Labrador",
    "Newfoundland",
    "Labrador",
    "Nova Scotia",
    "Ontario",
    "Prince Edward Island",
    "PEI",
    "Quebec",
    "Québec",
    "Saskatchewan",
    "Yukon",
    "Nunavut",
    "Northwest Territories",
    "New South Wales",
    "Queensland",
    "South Australia",
    "Tasmania",
    "Victoria",
    "Western Australia",
    "Northern Territory",
    "Australian Capital Territory",
    "Northern Ireland",
    "Republic of Ireland",
    "Midwest",
    "Mid-West",
    "Pacific Northwest",
    "New England",
    "Deep South",
    "Southwest",
    "Northeast",
    "Southeast",
    "East Coast",
    "West Coast",
    "Gulf Coast",
    "Maritimes",
    "Prairies",
    "Atlantic Canada",
    "Western Canada",
    "Eastern Canada",
    "Northern Canada",
    "Outback",
)
STATE_LEVEL_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(s) for s in sorted(STATE_LEVEL, key=len, reverse=True)) + r")\b"
)
# After the name, what shows it is a person's ("Victoria texted me", "Alberta's mum")...
_PERSON_AFTER = re.compile(
    r"['’]s\s+(?:mum|mom|dad|husband|wife|partner|boyfriend|girlfriend|sister|brother)\b"
    r"|\s+(?:said|says|told|asked|texted|messaged|emailed|posted|sent|keeps|wants|left|called|found"
    r"|showed|tagged|added|invited|replied|wrote|liked|followed|friended)\b"
)
# ...unless a place word comes first ("a client in Alberta asked", "from the Midwest wants").
_PLACE_BEFORE = re.compile(
    r"\b(?:in|from|to|across|between|and|or|of|outside|around|near|into|moved|via|the)\s+$", re.IGNORECASE
)


def mask_state_level(text: str) -> str:
    """``text`` with province, state and region names blanked out (same length, same offsets)."""
    if not any(ch.isupper() for ch in text):
        return text

    def blank(m: re.Match[str]) -> str:
        place_before = _PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start())
        if _PERSON_AFTER.match(text, m.end()) and not place_before:
            return m.group()
        return "_" * len(m.group())

    return STATE_LEVEL_RE.sub(blank, text)


#: Weekdays, months and the holidays clinicians name; shared by the name rules.
CALENDAR_WORDS = frozenset(
    [
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december", "christmas", "easter", "thanksgiving"),
    ]
)
# Month, weekday and title words are ordinary even mid-sentence, so an ambiguous first name that
# is one of them ("May", "June", "Judge") needs stronger context than capitalisation alone.
_ORDINARY_EVEN_CAPITALISED = CALENDAR_WORDS | frozenset(
    [
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
    english: frozenset[str]

    def is_allowed(self, word: str) -> bool:
        """An ordinary capitalised word here, also in the plural ("WhatsApps", "Docs")."""
        low = word.lower()
        return low in self.allowed or (len(low) > 3 and low[-1] == "s" and low[:-1] in self.allowed)

    def is_english(self, word: str) -> bool:
        """A dictionary word (not a person's name), also with a plural or possessive ending."""
        low = word.lower()
        if low in self.english:
            return True
        for part in low.split("-"):
            if part and part not in self.english and not (part[-1] == "s" and part[:-1] in self.english):
                return False
        return "-" in low or (low[-1:] == "s" and low[:-1] in self.english)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load every list once per process (about 60 ms); later calls are free."""
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
        english=frozenset(_read_gz("english_words.txt.gz")),
    )
