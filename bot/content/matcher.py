"""From the way a clinician types ("pt followed me on insta") to a situation key.

Order: the exact key, then an alias, then fuzzy matching over aliases and example phrasings. A fuzzy
answer is given only above a confidence threshold and clearly ahead of the runner-up; otherwise the
answer is "not sure" with the closest keys, because a wrong script is worse than a question back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.content.catalogue import Catalogue

#: Shorthand clinicians use, expanded before matching (whole words only).
SHORTHAND: dict[str, str] = {
    "pt": "client",
    "pts": "clients",
    "patient": "client",
    "patients": "clients",
    "cl": "client",
    "fb": "facebook",
    "ig": "instagram",
    "insta": "instagram",
    "gram": "instagram",
    "dm": "direct message",
    "dms": "direct messages",
    "dmed": "direct messaged",
    "dm'd": "direct messaged",
    "pm": "direct message",
    "msg": "message",
    "msgs": "messages",
    "txt": "text",
    "li": "linkedin",
    "tiktok": "tik tok",
    "ex": "former",
    "ex-client": "former client",
    "exclient": "former client",
    "fr": "friend request",
    "googled": "google",
    "googling": "google",
    "u": "you",
    "w/": "with",
    "bc": "because",
    "abt": "about",
}

_WORD = re.compile(r"[a-z0-9][a-z0-9'/-]*")


def normalize(text: str) -> str:
    """Lowercase, keep words, expand shorthand: 'Pt DMed me on IG!!' -> 'client direct messaged me on instagram'."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    return " ".join(SHORTHAND.get(word, word) for word in words)


@dataclass(frozen=True)
class Match:
    situation: str | None
    score: float
    suggestions: tuple[str, ...]
    how: str  # "key", "alias", "fuzzy" or "none"


class Matcher:
    """Built once per catalogue; `match` is pure and fast (well under a millisecond)."""

    def __init__(self, catalogue: Catalogue, *, threshold: float = 62.0, margin: float = 4.0) -> None:
        self.threshold = threshold
        self.margin = margin
        self._keys = catalogue.keys()
        self._aliases: dict[str, str] = {}
        phrases: list[str] = []
        owners: list[str] = []
        for situation in catalogue:
            names = [situation.key, situation.key.replace("-", " "), *situation.aliases]
            for name in names:
                self._aliases.setdefault(normalize(name), situation.key)
            for phrase in [*names, *situation.examples, situation.title]:
                phrases.append(normalize(phrase))
                owners.append(situation.key)
        self._keywords = {
            situation.key: tuple(normalize(word) for word in situation.keywords) for situation in catalogue
        }
        self._phrases = phrases
        self._owners = owners

    def match(self, text: str) -> Match:
        query = normalize(text)
        if not query:
            return Match(None, 0.0, tuple(self._keys[:3]), "none")
        compact = query.replace(" ", "-")
        if compact in self._keys:
            return Match(compact, 100.0, (), "key")
        if query in self._aliases:
            return Match(self._aliases[query], 100.0, (), "alias")
        ranked = self._rank(query)
        best_key, best_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        suggestions = tuple(key for key, score in ranked[:3] if score >= self.threshold * 0.6)
        if best_score >= self.threshold and best_score - runner_up >= self.margin:
            return Match(best_key, best_score, (), "fuzzy")
        return Match(None, best_score, suggestions or tuple(key for key, _ in ranked[:3]), "none")

    def _rank(self, query: str) -> list[tuple[str, float]]:
        scores: dict[str, float] = dict.fromkeys(self._keys, 0.0)
        hits = process.extract(
            query, self._phrases, scorer=fuzz.token_set_ratio, limit=len(self._phrases), score_cutoff=30
        )
        for _phrase, score, index in hits:
            owner = self._owners[index]
            partial = fuzz.partial_ratio(query, self._phrases[index]) if len(query) > 3 else score
            blended = 0.7 * float(score) + 0.3 * float(partial)
            scores[owner] = max(scores[owner], blended)
        padded = f" {query} "
        for key, words in self._keywords.items():
            bonus = sum(6.0 for word in words if f" {word} " in padded)
            scores[key] = scores[key] + min(bonus, 18.0)
        return sorted(scores.items(), key=lambda item: item[1], reverse=True)
