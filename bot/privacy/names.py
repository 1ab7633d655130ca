"""Person names: titles, full names, first names alone, and names only context reveals.

A name is the identifier clinicians most often type without noticing ("my client Jessica said").
The rules, from surest to most contextual:
1. A title before a capitalised word: "Mrs. Hargrove", "Dr. Patel", "Coach Reyes".
2. A first name that is not an ordinary English word, anywhere, any case ("Jessica", "jessica"),
   plus a following surname or initial ("Jessica Moreno", "Jessica M.").
3. A surname that is not an ordinary word, capitalised ("Hargrove said", "the Okafors").
4. A first name that is also a word ("Grace", "Will", "Hope") or any unknown capitalised word,
   only with context: after a role noun ("my client Will", "her daughter Hope"), before a verb of
   telling or posting ("Grace texted"), as a possessive ("Faith's mom"), or capitalised
   mid-sentence when the word is not a month, title or place word.
Platform, organisation and therapy names ("Venmo", "NASW", "DBT") never count on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .finding import Finding
from .lexicon import CALENDAR_WORDS, Lexicon, lexicon
from .tokens import Word, words

_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "rev",
        "reverend",
        "pastor",
        "father",
        "fr",
        "sister",
        "brother",
        "coach",
        "officer",
        "judge",
        "aunt",
        "auntie",
        "uncle",
        "grandma",
        "grandpa",
        "nana",
        "papa",
        "granny",
        "sgt",
        "sergeant",
        "lt",
        "capt",
        "detective",
        "principal",
        "dean",
        "rabbi",
        "imam",
        "deacon",
    ]
)
# Titles that are also ordinary nouns need the following word capitalised and not sentence-initial
# text of their own; these are the ones that must be capitalised themselves to count.
_TITLES_NEED_CAPITAL = frozenset(
    [
        "father",
        "sister",
        "brother",
        "coach",
        "officer",
        "judge",
        "aunt",
        "auntie",
        "uncle",
        "grandma",
        "grandpa",
        "nana",
        "papa",
        "granny",
        "principal",
        "dean",
        "detective",
    ]
)

_ROLES = frozenset(
    [
        "client",
        "clients",
        "patient",
        "patients",
        "supervisee",
        "intern",
        "colleague",
        "coworker",
        "co-worker",
        "son",
        "daughter",
        "husband",
        "wife",
        "partner",
        "boyfriend",
        "girlfriend",
        "fiance",
        "fiancee",
        "fiancé",
        "fiancée",
        "mother",
        "mom",
        "mum",
        "father",
        "dad",
        "sister",
        "brother",
        "aunt",
        "uncle",
        "grandmother",
        "grandma",
        "grandfather",
        "grandpa",
        "friend",
        "bestie",
        "teen",
        "teenager",
        "kid",
        "child",
        "boy",
        "girl",
        "student",
        "member",
        "parent",
        "stepdad",
        "stepmom",
        "stepmother",
        "stepfather",
        "ex",
        "niece",
        "nephew",
        "cousin",
        "roommate",
        "neighbor",
        "neighbour",
        "boss",
        "manager",
        "employer",
        "teacher",
        "counselor",
        "counsellor",
        "therapist",
        "clinician",
        "supervisor",
        "spouse",
        "baby",
        "toddler",
        "named",
        "called",
        "nicknamed",
        "aka",
    ]
)

_VERBS = frozenset(
    [
        "said",
        "says",
        "told",
        "tells",
        "asked",
        "asks",
        "posted",
        "texted",
        "texts",
        "messaged",
        "dmed",
        "dm'd",
        "emailed",
        "called",
        "calls",
        "commented",
        "comments",
        "tagged",
        "tags",
        "wrote",
        "writes",
        "sent",
        "sends",
        "shared",
        "mentioned",
        "mentions",
        "replied",
        "responded",
        "followed",
        "follows",
        "friended",
        "requested",
        "invited",
        "left",
        "reviewed",
        "added",
        "liked",
        "likes",
        "blocked",
        "unfollowed",
        "found",
        "showed",
        "shows",
        "wants",
        "wanted",
        "thinks",
        "thought",
        "felt",
        "feels",
        "cried",
        "disclosed",
        "admitted",
        "reported",
        "missed",
        "cancelled",
        "canceled",
        "no-showed",
        "came",
        "started",
        "stopped",
        "keeps",
        "kept",
        "reached",
        "venmoed",
        "gave",
        "brought",
        "knows",
        "knew",
        "lives",
        "works",
        "goes",
        "went",
        "got",
        "saw",
        "apologized",
        "apologised",
        "insisted",
        "explained",
        "answered",
        "uploaded",
        "reposted",
        "retweeted",
        "joined",
        "booked",
        "paid",
        "waved",
        "hugged",
        "recognized",
        "recognised",
        "approached",
        "stopped",
        "screenshotted",
        "shouted",
        "yelled",
        "showed-up",
        "dropped",
    ]
)

# Capitalised words that follow a first name without being a surname.
_NOT_SURNAME = frozenset(
    [
        "and",
        "or",
        "but",
        "the",
        "a",
        "an",
        "i",
        "is",
        "was",
        "has",
        "had",
        "and",
        "said",
        "told",
        "asked",
        "posted",
        "texted",
        "messaged",
        "from",
        "with",
        "at",
        "in",
        "on",
        "to",
        "of",
        "for",
        "about",
        "after",
        "before",
        "when",
        "because",
        "who",
        "whom",
        "whose",
        "which",
        "that",
        "this",
        "then",
    ]
)

# Brand names that contain a first name.
_BRANDS = re.compile(
    r"\b(?:Trader Joe's|Papa John's|Jimmy John's|Ben & Jerry's|Sam's Club|Dick's Sporting Goods|"
    r"Wendy's|Macy's|Kohl's|Denny's|Chili's|Arby's|Lowe's|Applebee's|McDonald's|Dillard's|"
    r"Culver's|Hardee's|Carl's Jr|Chuck E\. Cheese|Dr\. Google|Dr\. Phil|Jack in the Box|"
    r"Mary Jane|Baby Boomers?|Gen Z|Big Brothers Big Sisters|Dear Abby|Peeping Tom|Jane Doe|John Doe|"
    r"St\.? John['’]s [Ww]ort|Santa Claus|Good Samaritan|Magic Johnson|Lazy Susan|Debbie Downer|Karen"
    # Products named "<word> App/Health/Pay": "Jane App", "Spruce Health", "Apple Pay".
    r"|[A-Z][a-z]+ (?:App|Apps|Health|Pay|AI|Practice|Notes|Messenger)(?! [A-Z]))\b"
)

_TITLE_TAIL = re.compile(r"\.?\s+")

# "client K.R.", "my client J. said": initials after a role noun. The initials are matched first
# (they are rare, so the scan is cheap) and the word before them is checked afterwards.
ROLE_INITIALS = re.compile(
    r"(?<![\w.])(?P<n>[A-Z]\.(?:\s?[A-Z]\.){0,2}"
    r"|[A-Z]{2}(?=\s+(?:said|told|asked|texted|messaged|posted|sent|keeps|wants|found|left|added|emailed"
    r"|from|who|has|had|is|was|and|in|on)\b))"
)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")
_NOT_INITIALS = frozenset(
    ["U.S.", "U.K.", "E.U.", "U.N.", "P.S.", "N.B.", "A.M.", "P.M.", "D.C.", "L.A.", "N.Y."]
)
# "J. has started DMing me": an initial opening a sentence, followed by a verb.
LEADING_INITIAL = re.compile(
    r"(?:^|(?<=[.!?\n]\s)|(?<=[.!?]\s\s))(?P<n>[A-Z]\.(?:\s?[A-Z]\.)?)\s+(?=(?:has|had|is|was|keeps|kept|just|also"
    r"|still|then|again|now|never|has\s+been|[a-z]+ed|[a-z]+s)\b)"
)
# Irish and Scottish surname shapes: "O'Sullivan", "McAllister", "MacKenzie".
GAELIC_SURNAME = re.compile(r"(?<![\w'’])(?:O['’][A-Z][a-z]{2,}|Mc[A-Z][a-z]{2,}|Mac[A-Z][a-z]{3,})")
_NOT_GAELIC = frozenset(["MacBook", "MacBooks", "McDonald", "McDonalds", "McMansion", "McJob", "MacGyver"])
# "the Hendersons", "the Patels": a family by its surname.
FAMILY_PLURAL = re.compile(r"\b[Tt]he\s+(?P<n>(?P<stem>[A-Z][a-z]{2,})(?:es|s))\b")
# "Bobby - the teen client", "Will, the client I mentioned,": a role noun in apposition.
APPOSITIVE_ROLE = re.compile(
    r"\s*(?:,|\s[-–—]|[-–—])\s*(?:the|my|our|a|an|this|that|her|his|their)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:client|patient|teen|teenager|kid|child|supervisee|adolescent|mom|mum|dad|mother|father|son|daughter"
    r"|husband|wife|partner|boyfriend|girlfriend|sister|brother|group\s+member|member)\b"
)
# Nouns that make a possessive a person's: "Hye-jin's mother", "Ngozi's boyfriend".
_RELATIONS = frozenset(
    [
        "mother",
        "mom",
        "mum",
        "mama",
        "father",
        "dad",
        "papa",
        "parents",
        "husband",
        "wife",
        "partner",
        "boyfriend",
        "girlfriend",
        "fiance",
        "fiancé",
        "fiancee",
        "fiancée",
        "ex",
        "sister",
        "brother",
        "sibling",
        "siblings",
        "son",
        "daughter",
        "kids",
        "children",
        "child",
        "baby",
        "grandmother",
        "grandma",
        "grandfather",
        "grandpa",
        "grandson",
        "granddaughter",
        "aunt",
        "uncle",
        "cousin",
        "niece",
        "nephew",
        "stepdad",
        "stepmom",
        "family",
        "roommate",
        "friend",
        "friends",
        "bestie",
        "boss",
        "coworker",
        "teacher",
        "therapist",
        "psychiatrist",
        "caseworker",
        "lawyer",
        "attorney",
        "spouse",
        "wedding",
        "funeral",
        "birthday",
        "graduation",
        "obituary",
        "dad's",
        "mom's",
        "mum's",
        "officer",
        "worker",
        "probation",
        "parole",
        "school",
        "gp",
        "doctor",
        "nurse",
        "coach",
        "counsellor",
        "counselor",
        "pastor",
        "carer",
        "caregiver",
        "whanau",
        "whānau",
        "mates",
        "kid",
        "twin",
        "grandson's",
        "youtube",
        "instagram",
        "insta",
        "tiktok",
        "facebook",
        "snapchat",
        "account",
        "profile",
        "phone",
        "number",
        "email",
        "house",
        "address",
        "car",
        "story",
        "blog",
        "channel",
    ]
)
# Indefinite pronouns and other capitalised words whose possessive is not a person's name.
_NOT_OWNER = frozenset(
    [
        "everyone",
        "everybody",
        "someone",
        "somebody",
        "anyone",
        "anybody",
        "nobody",
        "no-one",
        "one",
        "other",
        "others",
        "each",
        "either",
        "neither",
        "another",
        "client",
        "patient",
        "today",
        "yesterday",
        "tonight",
        "tomorrow",
        "mother",
        "father",
        "god",
        "the",
        "a",
        "this",
        "that",
        "who",
        "whose",
    ]
)
# Verbs only people do: after a name that is also a month, country or word ("April sent me",
# "Jordan keeps messaging", "Will texted"). Past or third-person forms, so a modal "Will" or
# "May" before an infinitive never matches.
_HUMAN_VERBS = frozenset(
    [
        "said",
        "says",
        "told",
        "tells",
        "asked",
        "asks",
        "texted",
        "texts",
        "messaged",
        "messages",
        "dmed",
        "dm'd",
        "emailed",
        "emails",
        "posted",
        "posts",
        "commented",
        "comments",
        "tagged",
        "tags",
        "friended",
        "unfriended",
        "followed",
        "follows",
        "sent",
        "sends",
        "keeps",
        "kept",
        "wants",
        "wanted",
        "thinks",
        "called",
        "calls",
        "liked",
        "likes",
        "added",
        "adds",
        "invited",
        "invites",
        "replied",
        "shared",
        "wrote",
        "writes",
        "found",
        "showed",
        "left",
        "cried",
        "disclosed",
        "mentioned",
        "requested",
        "venmoed",
        "googled",
        "blocked",
        "reached",
        "admitted",
        "cancelled",
        "canceled",
    ]
)
# Verbs and phrases whose object is a person: "ran into Oluwaseun", "I told Siobhan".
_PERSON_OBJECT_VERBS = frozenset(
    [
        "saw",
        "met",
        "told",
        "asked",
        "texted",
        "emailed",
        "messaged",
        "called",
        "invited",
        "blocked",
        "unfriended",
        "unfollowed",
        "hugged",
        "reassured",
        "discharged",
        "reminded",
        "thanked",
        "warned",
        "assured",
        "promised",
        "recognised",
        "recognized",
        "greeted",
    ]
)
# Capitalised objects of those verbs that are not people: family words a clinician uses of their own
# relatives, and the departments and services one calls or emails.
_NOT_PERSON_OBJECT = frozenset(
    [
        "mom",
        "mum",
        "dad",
        "mama",
        "papa",
        "grandma",
        "grandpa",
        "nana",
        "granny",
        "security",
        "legal",
        "compliance",
        "billing",
        "admin",
        "reception",
        "intake",
        "support",
        "scheduling",
        "records",
        "facilities",
        "operations",
        "management",
        "leadership",
        "risk",
        "staff",
        "team",
        "board",
        "finance",
        "payroll",
        "insurance",
        "claims",
        "crisis",
        "emergency",
        "police",
        "care",
        "services",
        "front",
        "desk",
        "everyone",
        "someone",
        "nobody",
        "anyone",
        "appendix",
        "table",
        "figure",
        "chapter",
        "page",
        "part",
        "item",
        "rule",
        "principle",
        "hotline",
        "dispatch",
        "triage",
        "telehealth",
        "customer",
        "helpdesk",
        "it",
        "hr",
    ]
)


# Words after which a person verb still does not make the word before a name.
_MODALS = frozenset(["will", "may", "can", "must", "might", "should", "would", "could", "shall", "do"])
# Person verbs that also follow a name at the start of a sentence: "Bolanle left a review",
# "Adaeze showed up", "Przemek keeps viewing". Only people do these to a clinician.
_OPENING_VERBS = (
    _HUMAN_VERBS
    | _VERBS
    | frozenset(["drew", "made", "rang", "rings", "turned", "brings", "emails", "dms", "joined", "moved"])
) - frozenset(["lives", "goes", "went", "got", "works", "came", "started", "stopped", "thought"])
# "Begay family asked", "the Nguyen twins": a capitalised word before a kin group is a surname.
_KIN_GROUPS = frozenset(["family", "families", "household", "twins", "kids", "children", "siblings", "clan"])
# Honorifics written after a name ("Gurpreet ji", "Tanaka-san"): skip them to reach the verb.
_AFTER_NAME = frozenset(["ji", "san", "sahib", "bhai", "didi", "jnr", "snr", "jr", "sr"])
# "Sky (16) found", "Sasha (they/them)": a parenthesis with an age or pronouns follows a person.
_PERSON_PAREN = re.compile(
    r"\s*\((?:\d{1,2}\s*(?:yo|y/o|yrs?|m|f|M|F)?|\d{1,2}\s*,[^)]{0,20}|she/her|he/him|they/them|she/they|he/they)\)"
)
# Works and media a famous person's name comes with: "Taylor Swift TikToks", "Linehan's rules".
_WORKS = frozenset(
    [
        "tiktoks",
        "videos",
        "video",
        "songs",
        "song",
        "album",
        "lyrics",
        "music",
        "concert",
        "book",
        "books",
        "podcast",
        "podcasts",
        "quote",
        "quotes",
        "memes",
        "model",
        "method",
        "theory",
        "rules",
        "workbook",
        "talk",
        "talks",
        "ted",
        "fan",
        "fans",
        "interview",
        "show",
        "movie",
        "film",
    ]
)
_READS = frozenset(["read", "reads", "reading", "quoted", "quotes", "quoting", "cited", "cites", "citing"])


def _unknown(lex: Lexicon, w: Word) -> bool:
    """A word no dictionary or list explains: in a consultation, most likely someone's name."""
    low = w.lower
    return (
        low not in lex.english
        and len(low) >= 3
        and _VOWEL.search(low) is not None
        and (w.capitalised or w.base.islower())
        and not any(c.isupper() for c in _inner(w.base))
        and not lex.is_allowed(w.base)
        and low not in lex.ordinary_even_capitalised
        and low not in _NOT_OWNER
        and low not in _NOT_SURNAME
        and not lex.is_english(w.base)
        and "'" not in w.base
        and "’" not in w.base
        and not (w.base.islower() and low.endswith(("ed", "ing", "in'")))
    )


_VOWEL = re.compile(r"[aeiouy]")


def _inner(word: str) -> str:
    """Letters of ``word`` that should be lower case in a name: all but each hyphen part's first."""
    return "".join(part[1:] for part in word.split("-"))


def _in_name_lists(lex: Lexicon, w: Word) -> bool:
    return w.lower in lex.first_names or w.lower in lex.ambiguous_first_names or w.lower in lex.surnames


_INTO_VERBS = frozenset(["ran", "run", "running", "runs", "bumped", "bump", "bumping"])


def _known(lex: Lexicon, w: Word) -> bool:
    return w.lower in lex.first_names or w.lower in lex.ambiguous_first_names


def _is_name_word(lex: Lexicon, w: Word) -> bool:
    """Could this capitalised word be part of a name at all?"""
    return (
        w.capitalised
        and not lex.is_allowed(w.base)
        and w.lower not in _NOT_SURNAME
        and w.lower not in lex.ordinary_even_capitalised
    )


def _extend(lex: Lexicon, ws: list[Word], i: int, text: str) -> int:
    """Index of the last word of a name starting at ``ws[i]`` (surname, initial, hyphen)."""
    j = i
    while j + 1 < len(ws) and j - i < 2 and not ws[j].possessive:
        nxt = ws[j + 1]
        gap = text[ws[j].end : nxt.start]
        if gap not in (" ", "-") or not _is_name_word(lex, nxt):
            break
        if nxt.lower in lex.places or nxt.base in lex.places:
            break
        # "Maria DMed me": two leading capitals mark chat shorthand, not a surname.
        if nxt.text[:2].isupper() and not nxt.text.startswith("O'"):
            break
        j += 1
    return j


def _initial_end(text: str, end: int) -> int:
    """Include a trailing initial: "Jessica M." or "Jessica M"."""
    m = re.match(r" [A-Z]\.?(?![\w])", text[end:])
    return end + m.end() if m else end


def find_names(text: str, tokens: list[Word] | None = None) -> Iterator[Finding]:
    """Every likely person name in ``text`` (``tokens``: ``words(text)``, if already computed)."""
    lex = lexicon()
    masked = _BRANDS.sub(lambda m: "_" * len(m.group()), text)
    if tokens is None:
        ws = words(masked)
    elif masked == text:
        ws = tokens
    else:
        ws = [w for w in tokens if masked[w.start] != "_"]
    yield from _shape_names(text, masked, lex)
    taken_until = -1
    for i, w in enumerate(ws):
        if w.start < taken_until:
            continue
        prev = ws[i - 1] if i > 0 else None
        nxt = ws[i + 1] if i + 1 < len(ws) else None
        start = w.start

        # 0. Names no list holds, found by what surrounds them.
        opener = _opening_name(lex, ws, i, masked)
        if opener is not None:
            last = _extend(lex, ws, i, masked) if w.capitalised else i
            end = _initial_end(masked, ws[last].end)
            if not _famous(lex, ws, i, last):
                yield Finding("name", start, end, text[start:end])
            taken_until = end
            continue

        # 1. Title + capitalised word.
        if (
            w.lower in _TITLES
            and nxt is not None
            and nxt.capitalised
            and not lex.is_allowed(nxt.base)
            and nxt.lower not in _NOT_SURNAME
            and _TITLE_TAIL.fullmatch(masked[w.end : nxt.start])
            and (w.capitalised or w.lower not in _TITLES_NEED_CAPITAL)
            and (w.base[0].isupper() or w.lower in {"dr", "mr", "mrs", "ms", "mx"})
        ):
            last = _extend(lex, ws, i + 1, masked)
            end = _initial_end(masked, ws[last].end)
            yield Finding("name", start, end, text[start:end])
            taken_until = end
            continue

        # Strong context, even for words that are also months, states or ordinary words.
        if (
            w.capitalised
            and w.lower not in _NOT_OWNER
            and w.lower not in _CALENDAR
            and (not lex.is_allowed(w.base) or w.lower in lex.ambiguous_first_names)
            and not _place_word_before(prev)
            and (
                (w.possessive and nxt is not None and nxt.lower in _RELATIONS and not lex.is_allowed(w.base))
                or (
                    not w.possessive
                    and (not w.sentence_start or _in_name_lists(lex, w))
                    and APPOSITIVE_ROLE.match(masked, w.end) is not None
                )
                or (
                    w.lower in lex.ambiguous_first_names
                    and nxt is not None
                    and masked[w.end : nxt.start] == " "
                    and nxt.lower in _HUMAN_VERBS
                    and (prev is None or w.sentence_start or prev.lower not in _DETERMINERS)
                )
            )
        ):
            end = _initial_end(masked, w.end)
            yield Finding("name", start, end, text[start:end])
            taken_until = end
            continue

        if lex.is_allowed(w.base) and not (
            _known(lex, w) and _role_before(prev) and w.capitalised and not w.sentence_start
        ):
            continue

        lower = w.lower
        is_name = False
        # 2. Unambiguous first name (any case; lowercase only when 4+ letters).
        if (lower in lex.first_names and (w.capitalised or (w.base.islower() and len(lower) >= 4))) or (
            lower in lex.surnames and w.capitalised
        ):
            is_name = True
        # 4. Context.
        elif w.capitalised:
            ambiguous = lower in lex.ambiguous_first_names
            ordinary = lower in lex.ordinary_even_capitalised
            gap = masked[prev.end : w.start] if prev is not None else ""
            verb_after = (
                nxt is not None
                and masked[w.end : nxt.start] == " "
                and (
                    _is_verb(nxt.lower)
                    # "Maria IG messaged me": a platform acronym between the name and the verb.
                    or (
                        nxt.text.isupper()
                        and len(nxt.text) <= 3
                        and i + 2 < len(ws)
                        and _is_verb(ws[i + 2].lower)
                    )
                )
            )
            nxt_joined = nxt is not None and nxt.capitalised and masked[w.end : nxt.start] == " "
            shorthand = w.text[:2].isupper()  # "client DMed me": chat shorthand, not a name
            if _role_before(prev) and gap in (" ", ", ") and not w.sentence_start and not shorthand:
                # "my client Will", "her daughter, Hope,": a role noun names who follows.
                is_name = (
                    lower not in _NOT_SURNAME
                    and lower not in _NOT_PERSON_OBJECT
                    and (ambiguous or not ordinary)
                )
            elif ambiguous and not ordinary and (verb_after or w.possessive):
                # "Grace texted", "Faith's mom".
                is_name = True
            elif ambiguous and not ordinary and not w.sentence_start and not _place_word_before(prev):
                # Capitalised mid-sentence: "then Grace asked", "I told Hope" — but not
                # "Grace Church" or "Hope Street", unless a surname follows.
                is_name = not nxt_joined or (
                    nxt is not None and (nxt.lower in lex.surnames or nxt.lower in lex.first_names)
                )
            elif (
                not ambiguous
                and not ordinary
                and re.match(
                    r"\s*\((?:[a-z-]+\s+){0,3}(?:client|patient|supervisee|group\s+member|teen|kid)\b",
                    masked[w.end : w.end + 40],
                )
            ):
                # "Kowalski (adult client) asked": the parenthesis says a person was named.
                is_name = lower not in _NOT_SURNAME
            elif (
                not ordinary
                and not w.sentence_start
                and not w.text[1:].isupper()
                and lower not in _NOT_SURNAME
                and w.base not in lex.places
                and lower not in _NOT_PERSON_OBJECT
                and prev is not None
                and masked[prev.end : w.start] == " "
                and (not prev.capitalised or prev.sentence_start)
                and (
                    prev.lower in _PERSON_OBJECT_VERBS
                    or (prev.lower == "into" and i >= 2 and ws[i - 2].lower in _INTO_VERBS)
                )
            ):
                # "ran into Oluwaseun", "I told Siobhan": the verb only takes a person.
                is_name = True
            elif not ambiguous and not w.sentence_start and verb_after:
                # An unknown capitalised word mid-sentence followed by "said", "texted"... but not a
                # job title ("our Practice Manager says", "the Clinical Lead says") or chat shorthand
                # ("DMed", "FaceTimed"): dictionary words and inner capitals are not names here.
                is_name = (
                    lower not in _NOT_SURNAME
                    and not ordinary
                    and not any(c.isupper() for c in _inner(w.base))
                    and (not lex.is_english(w.base) or _in_name_lists(lex, w))
                )
        if not is_name or _PLATFORM_BEFORE.search(masked, max(0, w.start - 40), w.start):
            continue
        last = _extend(lex, ws, i, masked) if w.capitalised else i
        end = _initial_end(masked, ws[last].end)
        taken_until = end
        if _famous(lex, ws, i, last):
            continue
        yield Finding("name", start, end, text[start:end])


def _opening_name(lex: Lexicon, ws: list[Word], i: int, text: str) -> bool | None:
    """True when context alone shows ``ws[i]`` is a person's name that the lists lack.

    "Oluwaseun texted me", "Bolanle left a review" (an unknown word before a person verb),
    "my client ade" (an unknown word after a role noun), "Yazzie's probation officer",
    "Begay family", "Sky (16) found", "page told me" (a first name opening a lowercase chat line).
    """
    w = ws[i]
    low = w.lower
    if (
        low in lex.english
        and not (w.capitalised and "(" in text[w.end : w.end + 2])
        and not (w.sentence_start and (low in lex.ambiguous_first_names or low in lex.first_names))
    ):
        return None  # an ordinary word, not opening a line as a first name (the common case)
    prev = ws[i - 1] if i > 0 else None
    j = i + 1
    if j < len(ws) and ws[j].lower in _AFTER_NAME and text[w.end : ws[j].start] == " ":
        j += 1
    nxt = ws[j] if j < len(ws) else None
    joined = nxt is not None and text[ws[j - 1].end : nxt.start] == " "
    verb_after = joined and nxt is not None and (nxt.lower in _OPENING_VERBS or _is_verb(nxt.lower))
    unknown = _unknown(lex, w)
    if unknown:
        if w.possessive and nxt is not None and nxt.lower in _RELATIONS:
            return True
        if w.capitalised and not w.possessive and verb_after:
            return True
        if not w.capitalised and w.sentence_start and not w.possessive and verb_after:
            return True
        role_before = prev is not None and prev.lower in _ROLES and text[prev.end : w.start] in (" ", ", ")
        if not w.capitalised and role_before:
            return True
        if w.capitalised and not w.possessive and joined and nxt is not None and nxt.lower in _KIN_GROUPS:
            return True
        # "Becca from my Thursday group", "Kez from our DBT group": someone the writer knows.
        if w.capitalised and not w.possessive and _FROM_MY.match(text, w.end):
            return True
        if (
            not w.possessive
            and nxt is not None
            and nxt.lower == "and"
            and j + 1 < len(ws)
            and (_unknown(lex, ws[j + 1]) or _known(lex, ws[j + 1]))
            and _pair_context(ws, j + 1, text)
        ):
            return True
    if _PERSON_PAREN.match(text, w.end) and (
        unknown
        or (w.capitalised and not lex.is_allowed(w.base) and w.lower not in lex.ordinary_even_capitalised)
    ):
        return True
    # A lowercase chat line opening with a first name that is also a word: "summer wants to add
    # me", "page told me", "hunter's dad emailed".
    if (
        not w.capitalised
        and w.base.islower()
        and w.lower not in _MODALS
        and (w.lower in lex.ambiguous_first_names or w.lower in lex.first_names)
    ):
        if w.sentence_start and w.possessive and nxt is not None and nxt.lower in _RELATIONS:
            return True
        if w.sentence_start and verb_after and nxt is not None and nxt.lower in _HUMAN_VERBS:
            return True
    return None


# "sent a message through Jane", "booked via Jane": software named like a person (Jane App).
_PLATFORM_BEFORE = re.compile(
    r"\b(?:message|messages|messaged|booked|booking|book|paid|pay|scheduled|schedule|sent|sends|intake|forms?)"
    r"\s+(?:\w+\s+){0,2}?(?:through|via)\s+$",
    re.IGNORECASE,
)
_FROM_MY = re.compile(
    r" from (?:my|our) (?:[\w'’-]+ ){0,3}?(?:group|session|sessions|caseload|practice|class|team|program"
    r"|clients?|families|couples?)\b"
)
_PAIR_PAREN = re.compile(
    r"\s*\((?:[a-z]+\s+){0,2}(?:couple|clients?|twins|siblings|family|partners|parents)\b"
)


def _pair_context(ws: list[Word], k: int, text: str) -> bool:
    """After "X and Y": a verb, "both", or a parenthesis about them shows two people were named."""
    y = ws[k]
    if _PAIR_PAREN.match(text, y.end):
        return True
    if k + 1 < len(ws):
        z = ws[k + 1]
        return text[y.end : z.start] == " " and (z.lower == "both" or z.lower in _HUMAN_VERBS)
    return False


def _famous(lex: Lexicon, ws: list[Word], i: int, last: int) -> bool:
    """A full name with its works or after "read"/"quoted": an author or star, not the client."""
    before = ws[i - 1] if i > 0 else None
    # The first name may open the sentence ("Brené Brown's talk"), unless it is an ordinary word.
    first = (
        i - 1
        if before is not None
        and before.capitalised
        and before.end + 1 == ws[i].start
        and (not before.sentence_start or not lex.is_allowed(before.base))
        else i
    )
    if last == first:
        return False
    prev = ws[first - 1] if first > 0 else None
    after = ws[last + 1 : last + (4 if ws[last].possessive else 2)]
    return (prev is not None and prev.lower in _READS) or any(a.lower in _WORKS for a in after)


# Months that are also first names ("April", "May", "June", "August") are left to the name rules.
_CALENDAR = CALENDAR_WORDS - frozenset(["april", "may", "june", "august"])
_DETERMINERS = frozenset(["the", "a", "an", "this", "in", "on", "of", "since", "until", "by", "last", "next"])


def _shape_names(text: str, masked: str, lex: Lexicon) -> Iterator[Finding]:
    """Names found by their written shape rather than word by word: initials, Mc/O', families."""
    for m in ROLE_INITIALS.finditer(masked):
        before = _WORD_BEFORE.search(masked, max(0, m.start() - 20), m.start())
        if before is None or before.group(1).lower() not in _ROLES:
            continue
        yield from _initials(text, m, lex)
    for m in LEADING_INITIAL.finditer(masked):
        yield from _initials(text, m, lex)
    for m in GAELIC_SURNAME.finditer(masked):
        if m.group() not in _NOT_GAELIC:
            yield Finding("name", m.start(), m.end(), text[m.start() : m.end()])
    for m in FAMILY_PLURAL.finditer(masked):
        stem = m.group("stem").lower()
        alt = stem[:-1] if m.group("n").endswith("es") else stem
        known = any(x in lex.surnames or x in lex.first_names for x in {stem, alt, m.group("n")[:-1].lower()})
        # "the Kowalczyks": a plural no dictionary explains is a family's surname.
        known = known or not (lex.is_english(m.group("n")) or lex.is_english(m.group("stem")))
        if (
            known
            and not lex.is_allowed(m.group("stem"))
            and not lex.is_allowed(m.group("n"))
            and m.group("n").lower() not in lex.ordinary_even_capitalised
            and m.group("stem") not in lex.places
        ):
            yield Finding("name", m.start("n"), m.end("n"), text[m.start("n") : m.end("n")])


def _initials(text: str, m: re.Match[str], lex: Lexicon) -> Iterator[Finding]:
    n = m.group("n")
    if (n.isalpha() and lex.is_allowed(n)) or n.replace(" ", "") in _NOT_INITIALS:
        return  # "client ER visit", "U.S. has"
    yield Finding("name", m.start("n"), m.end("n"), text[m.start("n") : m.end("n")])


def _is_verb(lower: str) -> bool:
    """A reporting verb, also with a platform prefix: "IG-messaged", "fb-messaged", "snap-texted"."""
    return lower in _VERBS or ("-" in lower and lower.rsplit("-", 1)[1] in _VERBS)


def _role_before(prev: Word | None) -> bool:
    return prev is not None and prev.lower in _ROLES


def _place_word_before(prev: Word | None) -> bool:
    """ "in Hope", "to Mobile": a capitalised word after these is more likely a town."""
    return prev is not None and prev.lower in {"in", "from", "near", "to", "outside", "around"}
