"""From the way a clinician types ("pt followed me on insta") to a situation key.

Order: the exact key, then an alias, then scoring. A query is first normalised: lowercased,
shorthand expanded (pt, fb, ig, dm, ex-client), and typos corrected against the catalogue's own
vocabulary. Each situation then scores by the best fuzzy likeness between the query's content words
and its aliases and example phrasings, plus a bonus for its keywords. Two clinical rules sit on top:

- crisis wording always wins: a missed crisis post is the one mistake we cannot afford, so a query
  with crisis words answers `crisis-post` (or, when unsure, puts it first among the suggestions);
- "former", "ex-", "used to see" turn a request, message or invitation into `former-client`, because
  the rules after therapy ends differ from those during it.

A scored answer is given only above a confidence threshold and clearly ahead of the runner-up;
otherwise the answer is "not sure" with the closest keys, because a wrong script is worse than a
question back. Practice-added situations take part through their aliases, examples and keywords.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
    "clt": "client",
    "fb": "facebook",
    "ig": "instagram",
    "insta": "instagram",
    "gram": "instagram",
    "snap": "snapchat",
    "sc": "snapchat",
    "x": "twitter",
    "dm": "direct message",
    "dms": "direct messages",
    "dmed": "direct messaged",
    "dmd": "direct messaged",
    "dming": "direct messaging",
    "pm": "direct message",
    "pmd": "direct messaged",
    "msg": "message",
    "msgd": "messaged",
    "msgs": "messages",
    "txt": "text",
    "txted": "texted",
    "txts": "texts",
    "li": "linkedin",
    "tiktok": "tik tok",
    "ex": "former",
    "exclient": "former client",
    "expt": "former client",
    "fr": "friend request",
    "googled": "google",
    "googling": "google",
    "googles": "google",
    "u": "you",
    "ur": "your",
    "w/": "with",
    "bc": "because",
    "b/c": "because",
    "abt": "about",
    "pls": "please",
    "rn": "right now",
    "si": "suicidal",
    "sh": "self harm",
    "selfharm": "self harm",
    "od": "overdose",
    "od'd": "overdosed",
    "odd": "overdosed",
    "pics": "pictures",
    "pic": "picture",
    "hangout": "hang out",
    "testimonials": "testimonial",
    "reviews": "review",
}

#: Words that say nothing about which situation it is; they are left out of the fuzzy comparison so
#: "my client" alone does not look like every example at once.
_STOP_TEXT = (
    "a an the my me i i'm im to of on in at for with and or is it its this that be was were are am "
    "has have had do does did what how should can could would will just so our we you your her his "
    "their them him she he they client clients therapy session someone one now ok okay if about from "
    "there here any some very really please when get got keeps keep"
)
STOPWORDS: frozenset[str] = frozenset(_STOP_TEXT.split())

#: Crisis wording, as whole normalised word sequences; a trailing "*" matches any ending.
CRISIS_TERMS: tuple[str, ...] = (
    "suicid*",
    "self harm*",
    "self harming",
    "selfharm*",
    "kill herself",
    "kill himself",
    "kill themselves",
    "kill themself",
    "kill myself",
    "killing herself",
    "killing himself",
    "killing themselves",
    "killing myself",
    "want to die",
    "wants to die",
    "wanting to die",
    "wanted to die",
    "going to die",
    "end it all",
    "ending it all",
    "end her life",
    "end his life",
    "end their life",
    "end my life",
    "ending her life",
    "ending his life",
    "ending their life",
    "take her life",
    "take his life",
    "take their life",
    "overdos*",
    "cutting",
    "cut herself",
    "cut himself",
    "cut themselves",
    "hurt herself",
    "hurt himself",
    "hurt themselves",
    "hurting herself",
    "hurting himself",
    "hurting themselves",
    "bunch of pills",
    "took pills",
    "took a bunch",
    "goodbye message",
    "goodbye post",
    "goodbye note",
    "saying goodbye",
    "suicide note",
    "not safe",
    "unsafe",
    "crisis",
)
CRISIS_KEY = "crisis-post"

#: Words that place a request or invitation after therapy has ended.
FORMER_PATTERN = re.compile(
    r"\b(former|previous|past|old|ended|terminated|discharged|closed) clients?\b"
    r"|\bformer\b|\bused to see\b|\bused to be my\b"
    r"|\b(terminated|terminate|termination|discharged|graduated)\b"
    r"|\b(finished|ended|ending|after|completed|done with|stopped)"
    r" (therapy|treatment|counseling|counselling)\b"
    r"|\b(years|months|year) ago\b|\bno longer (see|seeing)\b|\bstopped seeing\b|\banymore\b"
)
CURRENT_PATTERN = re.compile(r"\b(current|currently|active|seeing now|i'm seeing|im seeing)\b")
FORMER_KEY = "former-client"
#: Situations that mean something else once therapy has ended.
CONNECTING: frozenset[str] = frozenset({"friend-request", "invitation", "direct-message"})

_WORD = re.compile(r"[a-z0-9][a-z0-9'/-]*")


def _expand(word: str) -> list[str]:
    word = word.strip("'-/")
    if word.endswith("'s"):
        word = word[:-2]
    if word in SHORTHAND:
        return SHORTHAND[word].split()
    bare = word.replace("'", "")
    if bare in SHORTHAND:
        return SHORTHAND[bare].split()
    if "-" in word or "/" in word:
        return [piece for part in re.split(r"[-/]", bare) if part for piece in _expand(part)]
    return [bare] if bare else []


def normalize(text: str) -> str:
    """Lowercase, keep words, expand shorthand.

    'Pt DMed me on IG!!' -> 'client direct messaged me on instagram'.
    """
    words = _WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))
    return " ".join(piece for word in words for piece in _expand(word))


@dataclass(frozen=True)
class Match:
    situation: str | None
    score: float
    suggestions: tuple[str, ...]
    how: str  # "key", "alias", "fuzzy", "crisis" or "none"


@dataclass(frozen=True)
class _Keyword:
    words: tuple[str, ...]
    prefix: bool  # the last word matches any ending ("suicid*")

    @classmethod
    def parse(cls, raw: str) -> _Keyword:
        prefix = raw.endswith("*")
        words = tuple(normalize(raw.rstrip("*")).split())
        return cls(words, prefix)


class _KeywordIndex:
    """Which owners' keywords occur in a query, counted once per keyword; built for speed, since
    every query checks a few hundred keywords."""

    def __init__(self, keywords: dict[str, tuple[_Keyword, ...]]) -> None:
        self._exact: dict[str, list[tuple[str, int]]] = {}
        self._prefixes: list[tuple[str, str, int]] = []
        self._phrases: list[tuple[re.Pattern[str], str, int]] = []
        for owner, parsed in keywords.items():
            for number, keyword in enumerate(parsed):
                if not keyword.words:
                    continue
                if len(keyword.words) == 1 and not keyword.prefix:
                    self._exact.setdefault(keyword.words[0], []).append((owner, number))
                elif len(keyword.words) == 1:
                    self._prefixes.append((keyword.words[0], owner, number))
                else:
                    tail = r"\S*" if keyword.prefix else ""
                    pattern = re.compile(r"(?<!\S)" + re.escape(" ".join(keyword.words)) + tail + r"(?!\S)")
                    self._phrases.append((pattern, owner, number))

    def hits(self, tokens: list[str]) -> dict[str, int]:
        found: set[tuple[str, int]] = set()
        for token in tokens:
            found.update(self._exact.get(token, ()))
            for prefix, owner, number in self._prefixes:
                if token.startswith(prefix):
                    found.add((owner, number))
        query = " ".join(tokens)
        for pattern, owner, number in self._phrases:
            if pattern.search(query):
                found.add((owner, number))
        counts: dict[str, int] = {}
        for owner, _number in found:
            counts[owner] = counts.get(owner, 0) + 1
        return counts


def _content(tokens: Iterable[str]) -> str:
    return " ".join(token for token in tokens if token not in STOPWORDS)


class Matcher:
    """Built once per catalogue; `match` is pure and fast (well under a millisecond)."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        threshold: float = 70.0,
        margin: float = 6.0,
        keyword_weight: float = 12.0,
        keyword_cap: float = 36.0,
        set_weight: float = 0.6,
    ) -> None:
        self.set_weight = set_weight
        self.threshold = threshold
        self.margin = margin
        self.keyword_weight = keyword_weight
        self.keyword_cap = keyword_cap
        self._keys = catalogue.keys()
        self._aliases: dict[str, str] = {}
        phrases: list[str] = []
        owners: list[str] = []
        vocabulary: set[str] = set()
        for situation in catalogue:
            names = [situation.key, situation.key.replace("-", " "), *situation.aliases]
            for name in names:
                self._aliases.setdefault(normalize(name), situation.key)
            for phrase in [*names, *situation.examples, situation.title]:
                tokens = normalize(phrase).split()
                vocabulary.update(tokens)
                content = _content(tokens)
                if content:
                    phrases.append(content)
                    owners.append(situation.key)
        self._keywords: dict[str, tuple[_Keyword, ...]] = {}
        self._prefixes: set[str] = set()
        for situation in catalogue:
            parsed = tuple(_Keyword.parse(word) for word in situation.keywords)
            self._keywords[situation.key] = parsed
            for keyword in parsed:
                vocabulary.update(keyword.words)
                if keyword.prefix and keyword.words:
                    self._prefixes.add(keyword.words[-1])
        crisis = tuple(_Keyword.parse(term) for term in CRISIS_TERMS)
        self._crisis = _KeywordIndex({CRISIS_KEY: crisis})
        self._index = _KeywordIndex(self._keywords)
        for keyword in crisis:
            vocabulary.update(keyword.words)
            if keyword.prefix:
                self._prefixes.add(keyword.words[-1])
        vocabulary.update(piece for value in SHORTHAND.values() for piece in value.split())
        vocabulary.update(STOPWORDS)
        self._vocabulary = sorted(vocabulary)
        self._known = frozenset(vocabulary)
        self._corrections: dict[str, str] = {}
        self._phrases = phrases
        self._owners = owners

    # -- normalising -------------------------------------------------------------------------------

    def _correct(self, token: str) -> str:
        """Fix a typo ('freind', 'instagarm') by the closest word the catalogue knows, if close enough."""
        if token in self._known or len(token) < 4 or token.isdigit():
            return token
        if any(token.startswith(prefix) for prefix in self._prefixes):
            return token
        cached = self._corrections.get(token)
        if cached is not None:
            return cached
        best = process.extractOne(token, self._vocabulary, scorer=fuzz.ratio, score_cutoff=80)
        fixed = best[0] if best is not None and abs(len(best[0]) - len(token)) <= 2 else token
        if len(self._corrections) < 10_000:  # bounded: a long-running bot must not grow without limit
            self._corrections[token] = fixed
        return fixed

    def tokens(self, text: str) -> list[str]:
        return [self._correct(token) for token in normalize(text).split()]

    # -- matching ----------------------------------------------------------------------------------

    def match(self, text: str) -> Match:
        tokens = self.tokens(text)
        if not tokens:
            return Match(None, 0.0, tuple(self._keys[:3]), "none")
        query = " ".join(tokens)
        if CRISIS_KEY in self._keywords and self._crisis.hits(tokens):
            return Match(CRISIS_KEY, 100.0, (), "crisis")
        compact = query.replace(" ", "-")
        if compact in self._keys:
            return Match(compact, 100.0, (), "key")
        if query in self._aliases:
            return Match(self._reroute(self._aliases[query], query), 100.0, (), "alias")
        ranked = self._rank(tokens)
        best_key, best_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        leaders = {key for key, score in ranked[:2] if score >= self.threshold}
        if leaders & (CONNECTING | {FORMER_KEY}) and self._after_therapy(query):
            return Match(FORMER_KEY, best_score, (), "fuzzy")
        if best_score >= self.threshold and best_score - runner_up >= self.margin:
            return Match(best_key, best_score, (), "fuzzy")
        suggestions = [key for key, score in ranked[:3] if score >= self.threshold * 0.6]
        suggestions = suggestions or [key for key, _ in ranked[:3]]
        if CRISIS_KEY in suggestions:  # when a crisis is possible at all, it is the first thing offered
            suggestions.remove(CRISIS_KEY)
            suggestions.insert(0, CRISIS_KEY)
        return Match(None, best_score, tuple(suggestions), "none")

    def _after_therapy(self, query: str) -> bool:
        padded = f" {query} "
        return (
            FORMER_KEY in self._keywords
            and FORMER_PATTERN.search(padded) is not None
            and CURRENT_PATTERN.search(padded) is None
        )

    def _reroute(self, key: str, query: str) -> str:
        """A request, message or invitation from someone therapy has ended with is `former-client`."""
        return FORMER_KEY if key in CONNECTING and self._after_therapy(query) else key

    def _rank(self, tokens: list[str]) -> list[tuple[str, float]]:
        scores: dict[str, float] = dict.fromkeys(self._keys, 0.0)
        content = _content(tokens)
        if content:
            hits = process.extract(
                content, self._phrases, scorer=fuzz.token_set_ratio, limit=40, score_cutoff=40
            )
            for phrase, score, index in hits:
                owner = self._owners[index]
                # token_set_ratio gives 100 whenever one side's words are a subset of the other's;
                # the plain ratio tempers that so a one-word query does not look certain.
                blended = self.set_weight * float(score) + (1 - self.set_weight) * fuzz.token_sort_ratio(
                    content, phrase
                )
                scores[owner] = max(scores[owner], blended)
        for key, found in self._index.hits(tokens).items():
            scores[key] += min(found * self.keyword_weight, self.keyword_cap)
        return sorted(scores.items(), key=lambda item: item[1], reverse=True)
