"""Places smaller than a state: addresses, towns, neighbourhoods, schools and other institutions.

Safe Harbor allows a state ("a client in Ohio") but nothing smaller, because a town, a street or a
school narrows a client down fast in a small community. Rules:
1. Street addresses with or without a number ("412 Elm St", "on Maple Street", "5th Avenue").
2. Named institutions: a capitalised name before School/High/Elementary/Academy/College/
   University/Hospital/Church/Park/Heights... ("Lincoln High", "St. Mary's Hospital").
3. Towns and cities from the shipped gazetteer; names that are also ordinary words ("Reading",
   "Mobile") count only after "in", "from", "near"... or before ", OH"/", Ohio".
4. "Town, ST" and "the Fremont neighborhood" patterns for places the gazetteer lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .finding import Finding
from .lexicon import lexicon
from .tokens import Word, words

_STATES = (
    r"Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii"
    r"|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan"
    r"|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico"
    r"|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island"
    r"|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia"
    r"|Wisconsin|Wyoming"
)
_STATE_ABBR = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ"
    r"|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_STATE_WORDS = frozenset(w for s in _STATES.split("|") for w in s.split())

_STREET_FULL = (
    r"Street|Avenue|Road|Boulevard|Lane|Drive|Court|Terrace|Circle|Parkway|Highway|Place|Way"
    r"|Close|Crescent|Trail|Row|Pike|Turnpike|Square"
)
_STREET_ABBR = r"St|Ave|Rd|Blvd|Ln|Dr|Ct|Ter|Cir|Pkwy|Hwy|Pl"
_CAP = r"[A-Z][a-z]+(?:['’-][A-Za-z]+)*"
# The commonest US/UK street names: "the Starbucks on Elm" names a street without saying "Street".
_COMMON_STREETS = (
    r"Main|Elm|Oak|Maple|Pine|Cedar|Walnut|Chestnut|Spruce|Birch|Willow|Ash|Hickory|Sycamore"
    r"|Magnolia|Dogwood|Poplar|Laurel|Locust|Cherry|Juniper|Mulberry|Lincoln|Jefferson|Madison"
    r"|Franklin|Broadway|Broad|Market|Front|Water|Mill|Church|Ridge|Sunset|Highland|Lakeview"
    r"|Meadow|Hillside|Fifth|Third|Second|Fourth|Sixth|Seventh|Eighth|Ninth|Tenth|High Street"
)

# "412 Elm St", "1600 Pennsylvania Avenue NW, Apt 4", "the 400 block of Oak", "5th Avenue".
STREET_NUMBERED = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:{_CAP}\s+){{0,3}}(?:{_CAP}|\d+(?:st|nd|rd|th))\s+"
    rf"(?:{_STREET_FULL}|{_STREET_ABBR})\b\.?(?:\s+[NS][EW]\b)?"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*#?\s*[A-Za-z0-9-]+)?"
    rf"|\bthe\s+\d{{2,5}}\s+block\s+of\s+(?:{_CAP}\s+)*{_CAP}"
)
STREET_NAMED = re.compile(
    rf"\b(?:(?:{_CAP}|\d+(?:st|nd|rd|th))\s+){{1,3}}(?:{_STREET_FULL})\b"
    rf"|\b(?:{_CAP}\s+){{1,2}}(?:{_STREET_ABBR})\b\.?(?!\s+[A-Z][a-z])"
    r"|\b(?:on|off|near|at|down)\s+(?!the\b|a\b|this\b|that\b|my\b|her\b|his\b|their\b|our\b|your\b|same\b|main\b)"
    r"[a-z]+\s+(?:street|avenue|road|boulevard|lane|drive|st|ave|rd|blvd)\b"
    rf"|\b(?:on|off)\s+(?:{_COMMON_STREETS})\b(?!\s+(?:{_STREET_FULL}|{_STREET_ABBR})\b)"
    rf"|\b(?:corner|intersection)\s+of\s+{_CAP}(?:\s+{_CAP})*\s+and\s+{_CAP}(?:\s+{_CAP})*"
)

_INSTITUTION = (
    r"High\s+School|High|Middle\s+School|Middle|Junior\s+High|Elementary(?:\s+School)?|Primary(?:\s+School)?"
    r"|Academy|Prep|Preparatory(?:\s+School)?|School|College|University|Community\s+College|Seminary"
    r"|Hospital|Medical\s+Center|Medical\s+Centre|Clinic|Health\s+Center|Church|Chapel|Temple"
    r"|Synagogue|Mosque|Cathedral|Library|YMCA|Rec\s+Center|Community\s+Center|Mall|Plaza"
    r"|Park|Heights|Hills|Village|Gardens|Estates|Commons|Apartments|Towers|Manor|Lake|Beach"
    r"|Cafe|Café|Coffee|Diner|Bakery|Brewery|Gym|Fitness|Pharmacy|Neighbou?rhood|District"
)
INSTITUTION = re.compile(
    rf"\b(?:St\.?\s+)?(?:{_CAP}(?:'s)?\s+){{0,2}}{_CAP}(?:'s)?\s+(?:{_INSTITUTION})\b"
    rf"|\b(?:University|College)\s+of\s+(?:the\s+)?{_CAP}(?:\s+{_CAP})?"
)
# Words that start a capitalised phrase without naming a particular place.
_GENERIC_LEAD = frozenset(
    [
        "the",
        "a",
        "an",
        "my",
        "her",
        "his",
        "their",
        "our",
        "your",
        "this",
        "that",
        "local",
        "public",
        "private",
        "catholic",
        "christian",
        "jewish",
        "charter",
        "state",
        "community",
        "city",
        "county",
        "regional",
        "national",
        "new",
        "old",
        "big",
        "small",
        "best",
        "same",
        "other",
        "another",
        "any",
        "every",
        "some",
        "which",
        "what",
        "whose",
        "each",
        "high",
        "middle",
        "junior",
        "senior",
        "elementary",
        "primary",
        "medical",
        "health",
        "mental",
        "private",
        "group",
        "therapy",
        "in",
        "at",
        "on",
        "to",
        "from",
        "for",
        "and",
        "or",
        "but",
        "if",
        "so",
        "should",
        "would",
        "could",
        "can",
        "did",
        "does",
        "do",
        "is",
        "was",
        "i",
        "we",
        "you",
        "they",
        "she",
        "he",
        "it",
        "psychology",
        "today",
    ]
)

# "Dayton, OH", "Springfield, Illinois": a capitalised name before a state.
TOWN_STATE = re.compile(rf"\b(?P<t>{_CAP}(?:\s+{_CAP}){{0,2}}),\s+(?:{_STATE_ABBR}|{_STATES})\b")
# "the Fremont neighborhood", "the Wedgwood area", "Oak Hollow subdivision".
NEIGHBOURHOOD = re.compile(
    rf"\b(?P<n>{_CAP}(?:\s+{_CAP}){{0,2}})\s+(?:neighbou?rhood|district|suburb|subdivision|area|side\s+of\s+town|estate)\b"
)

# "She attends Spelman", "graduated from Morehouse": a capitalised name after a verb of studying.
ATTENDS = re.compile(
    r"\b(?:attends|attended|attending|enrolled\s+(?:at|in)|studies\s+at|studied\s+at|studying\s+at"
    r"|(?:a\s+)?(?:student|freshman|sophomore|junior|senior|pupil)\s+at|graduated\s+from|transferred\s+to"
    rf"|goes\s+to\s+school\s+at)\s+(?P<p>(?:St\.?\s+)?{_CAP}(?:['’]s)?(?:\s+{_CAP}){{0,3}})"
)
# "Hebden Bridge", "Lake Placid", "Fort Lee", "Sioux Falls": a capitalised word joined to a word that
# only names places. Mid-sentence, so "Lake" opening a sentence about a lake stays clean.
PLACE_AFFIX = re.compile(
    rf"\b(?:Lake|Mount|Mt\.?|Fort|Ft\.?|Port|Glen|Cape|Point|San|Santa|Los|Las|Saint)\s+(?!Claus\b){_CAP}"
    rf"(?:\s+{_CAP})?"
    rf"|\b(?!Animal\b){_CAP}\s+(?:Bridge|Falls|Springs|Creek|Harbou?r|Bay|Valley|Junction|Mills|Wells|Green|Heath"
    r"|Vale|Ridge|Grove|Crossing|Landing|Township|Borough|Town|City|Springs|Bluffs|Shores|Pines"
    r"|Rapids|Hollow|Meadows)\b"
)
# A single capitalised word with a town-forming ending, after "in", "from", "moved to"...:
# "from Tewkesbury", "near Hopeville". Countries and states are allowed words and never reach here.
TOWN_SUFFIX = re.compile(
    r"\b(?:in|from|near|outside|around|to|of)\s+(?P<t>[A-Z][a-z]+"
    r"(?:ton|ford|bury|borough|boro|ville|field|wood|ham|chester|caster|cester|mouth|burg|burgh|port"
    r"|dale|stead|wich|worth|minster|thorpe|ley|leigh|combe|hurst|bridge|brook|haven|heath|ington))\b"
)
# "St. Mary's", "St Thomas'": a saint's name is a hospital, school or church (not "St. Patrick's Day").
SAINT = re.compile(
    r"\b(?:St\.?|Saint)\s+[A-Z][a-z]+\b(?!(?:['’]s?)?\s+(?:Day|Eve|Night|[Ww]ort)\b)(?:['’]s\b|['’](?!\w))?"
)
# "on 5th and Main": a street corner without the word "street".
CORNER = re.compile(
    rf"\b(?:on|at)\s+(?P<c>(?:\d+(?:st|nd|rd|th)|{_COMMON_STREETS})\s+(?:and|&)\s+(?:\d+(?:st|nd|rd|th)|{_CAP}))\b"
)

# "the Starbucks on Colfax", "the TD on Yonge and Bloor", "lives on Kingsway": a capitalised word
# after a store or a home and "on" is a street even without "Street" (checked against the allowed
# words, so "the Walgreens on Monday" and "the group on Zoom" stay clean).
STREET_BARE = re.compile(
    r"(?:\b(?:the|a)\s+(?:[A-Z][\w'’&]*\s+){1,2}?"
    r"|\b(?i:lives?|living|lived|moved|apartment|house|home|place|condo|staying|stays)\s+(?:is\s+)?)"
    rf"(?:on|off)\s+(?P<s>{_CAP}(?:\s+(?:and|&)\s+{_CAP})?)\b(?!\s+(?:{_STREET_FULL}|{_STREET_ABBR})\b)"
)
# "a receptionist at Sunnybrook", "works at Deloitte": a workplace no list holds, after a job word.
WORKPLACE = re.compile(
    r"\b(?i:works?|working|worked|job|employed|volunteers?|volunteering|nurse|receptionist|teacher|aide"
    r"|cashier|manager|admitted|inpatient|student|intern|resident|physician|tech|technician)\s+(?:\w+\s+)?"
    rf"at\s+(?:the\s+)?(?P<w>{_CAP})\b"
)
# What people live or are "on" that is not a street: benefits, a schedule, a platform's feature.
_NOT_STREET = frozenset(
    ["social", "disability", "welfare", "benefits", "probation", "parole", "hold", "leave", "call", "time"]
)
# "on Hwy 99", "the Walgreens on Route 9", "off I-95": a numbered road narrows a place down.
NUMBERED_ROAD = re.compile(
    r"\b(?:(?i:route|rte|rt|hwy|highway|interstate|state\s+route|county\s+road|rural\s+route)\.?\s*\d{1,4}[A-Z]?"
    r"|I-\d{1,3})\b"
)
# "lives in Toorak", "moved to Ballarat", "a client from Wagga": an unknown capitalised word after
# a verb of living (or a client word and "in"/"from") is most likely a town or suburb.
_RESIDENCE = re.compile(
    r"\b(?:(?:lives?|living|lived|based|moved|grew\s+up|raised|resides|born|stays|staying|settled)"
    r"\s+(?:in|to|near|outside(?:\s+of)?|just\s+outside(?:\s+of)?)"
    r"|(?:client|patient|family|kid|teen|student|couple|man|woman)\s+(?:in|from))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_CLIENT_AFTER = frozenset(["client", "clients", "patient", "patients", "family", "teen", "kid", "couple"])

_PLACE_PREPS = frozenset(
    [
        "in",
        "from",
        "near",
        "to",
        "outside",
        "around",
        "at",
        "of",
        "toward",
        "towards",
        "into",
        "by",
        "moved",
        "lives",
        "lived",
        "grew",
    ]
)


def _generic(phrase: str) -> bool:
    """True when the capitalised lead-in is not a particular name ("The High School")."""
    first = re.split(r"[\s']", phrase.strip())[0].lower()
    return first in _GENERIC_LEAD


def find_places(text: str, tokens: list[Word] | None = None) -> Iterator[Finding]:
    """Every likely place smaller than a state in ``text`` (``tokens``: ``words(text)``, if known)."""
    lex = lexicon()
    for m in STREET_NUMBERED.finditer(text):
        yield Finding("location", m.start(), m.end(), m.group())
    for m in STREET_NAMED.finditer(text):
        phrase = m.group()
        lead = phrase.split()[0]
        if lead.lower() in ("on", "off", "near", "at", "down") and lead.islower():
            start = m.start() + len(lead) + 1
            yield Finding("location", start, m.end(), text[start : m.end()])
        elif not _generic(phrase) and not lex.is_allowed(lead):
            yield Finding("location", m.start(), m.end(), phrase)
    for m in INSTITUTION.finditer(text):
        phrase = m.group()
        # Drop generic lead words ("the", "her") but keep the name after them.
        start = m.start()
        for part in phrase.split():
            if part.lower().strip("'s") in _GENERIC_LEAD or lex.is_allowed(part):
                start = text.index(part, start) + len(part)
                while start < m.end() and text[start] == " ":
                    start += 1
            else:
                break
        rest = text[start : m.end()]
        if " " not in rest.strip() or start >= m.end():
            continue
        head = rest.split()[0]
        if head.lower() in _GENERIC_LEAD or (
            head in _STATE_WORDS and rest.split()[-1] in ("Park", "Lake", "Beach")
        ):
            continue
        yield Finding("location", start, m.end(), rest)
    for m in TOWN_STATE.finditer(text):
        town = m.group("t")
        if not _generic(town) and not lex.is_allowed(town.split()[0]) and town not in _STATE_WORDS:
            yield Finding("location", m.start("t"), m.end("t"), town)
    for m in NEIGHBOURHOOD.finditer(text):
        name = m.group("n")
        if not _generic(name) and not lex.is_allowed(name.split()[-1]) and name not in _STATE_WORDS:
            yield Finding("location", m.start(), m.end(), m.group())
    for m in ATTENDS.finditer(text):
        first = m.group("p").split()[0]
        if (
            not _generic(first)
            and not lex.is_allowed(first.rstrip("'’s"))
            and first not in _STATE_WORDS
            and first.lower() not in _GATHERINGS
        ):
            yield Finding("location", m.start("p"), m.end("p"), m.group("p"))
    for m in PLACE_AFFIX.finditer(text):
        words_ = m.group().split()
        if (
            not _sentence_start(text, m.start())
            and not _generic(m.group())
            and not any(lex.is_allowed(w) or w in _STATE_WORDS for w in words_ if w not in _AFFIXES)
        ):
            yield Finding("location", m.start(), m.end(), m.group())
    for m in TOWN_SUFFIX.finditer(text):
        town = m.group("t")
        if not lex.is_allowed(town) and town not in _STATE_WORDS and town.lower() not in lex.first_names:
            yield Finding("location", m.start("t"), m.end("t"), town)
    for m in SAINT.finditer(text):
        yield Finding("location", m.start(), m.end(), m.group())
    for m in CORNER.finditer(text):
        yield Finding("location", m.start("c"), m.end("c"), m.group("c"))
    if " on " in text or " off " in text:
        for m in STREET_BARE.finditer(text):
            names = [n for n in re.split(r"\s+(?:and|&)\s+", m.group("s"))]
            if all(
                not lex.is_allowed(n)
                and n not in _STATE_WORDS
                and n.lower() not in lex.ordinary_even_capitalised
                and n.lower() not in _NOT_STREET
                for n in names
            ):
                yield Finding("location", m.start("s"), m.end("s"), m.group("s"))
    if " at " in text:
        for m in WORKPLACE.finditer(text):
            w = m.group("w")
            low = w.lower()
            if not (
                lex.is_allowed(w)
                or lex.is_english(w)
                or w in _STATE_WORDS
                or low in lex.ordinary_even_capitalised
                or low in lex.first_names
                or low in lex.ambiguous_first_names
            ):
                yield Finding("location", m.start("w"), m.end("w"), w)
    if _DIGIT.search(text):
        for m in NUMBERED_ROAD.finditer(text):
            yield Finding("location", m.start(), m.end(), m.group())
    yield from _gazetteer(text, words(text) if tokens is None else tokens)


# What people attend that is not a school: "attends Mass", "attended Alcoholics Anonymous".
_GATHERINGS = frozenset(
    [
        "mass",
        "church",
        "temple",
        "services",
        "service",
        "alcoholics",
        "narcotics",
        "overeaters",
        "gamblers",
        "celebrate",
        "smart",
        "grand",
        "rounds",
        "group",
        "groups",
        "therapy",
        "sessions",
        "meetings",
        "meeting",
        "classes",
        "class",
        "school",
        "college",
        "university",
        "court",
    ]
)

_AFFIXES = frozenset(
    [
        "Lake",
        "Mount",
        "Mt",
        "Mt.",
        "Fort",
        "Ft",
        "Ft.",
        "Port",
        "Glen",
        "Cape",
        "Point",
        "San",
        "Santa",
        "Los",
        "Las",
        "Saint",
        "Bridge",
        "Falls",
        "Springs",
        "Creek",
        "Harbor",
        "Harbour",
        "Bay",
        "Valley",
        "Junction",
        "Mills",
        "Wells",
        "Green",
        "Heath",
        "Vale",
        "Ridge",
        "Grove",
        "Crossing",
        "Landing",
        "Township",
        "Borough",
        "Town",
        "City",
        "Bluffs",
        "Shores",
        "Pines",
        "Rapids",
        "Hollow",
        "Meadows",
    ]
)


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in '.!?:;\n\r•*-–—"“(>'


def _gazetteer(text: str, ws: list[Word]) -> Iterator[Finding]:
    """Towns and cities from the shipped lists, matched on capitalised words."""
    lex = lexicon()
    i = 0
    while i < len(ws):
        w = ws[i]
        if not w.capitalised and w.base.islower() and len(w.base) >= 4:
            # "in brampton", "my yellowknife client": a lower-case town (the list holds no town that
            # is also an ordinary word, so "in reading" stays clean).
            prev = ws[i - 1] if i > 0 else None
            nxt = ws[i + 1] if i + 1 < len(ws) else None
            title = w.base.capitalize()
            if title in lex.places and (
                (prev is not None and prev.lower in _PLACE_PREPS)
                or (nxt is not None and nxt.lower in _CLIENT_AFTER)
            ):
                yield Finding("location", w.start, w.end, w.base)
            i += 1
            continue
        if not w.capitalised or lex.is_allowed(w.base):
            i += 1
            continue
        if (
            w.base not in lex.places
            and not w.sentence_start
            and len(w.base) >= 4
            and not w.base[1:].isupper()
            and not any(c.isupper() for c in w.base[1:])
            and w.lower not in lex.first_names
            and w.lower not in lex.ordinary_even_capitalised
            and not lex.is_english(w.base)
            and _RESIDENCE.search(text, max(0, w.start - 40), w.start)
        ):
            yield Finding("location", w.start, w.end, w.base)
            i += 1
            continue
        matched = 0
        for option in lex.place_heads.get(w.base, ()):
            n = len(option)
            if (
                n > 1
                and i + n <= len(ws)
                and all(
                    ws[i + k].base == option[k] and text[ws[i + k - 1].end : ws[i + k].start] == " "
                    for k in range(1, n)
                )
            ):
                matched = n
                break
        if matched > 1:
            end = ws[i + matched - 1].end
            yield Finding("location", w.start, end, text[w.start : end])
            i += matched
            continue
        prev = ws[i - 1] if i > 0 else None
        after = text[w.end : w.end + 30]
        in_context = (prev is not None and prev.lower in _PLACE_PREPS and not prev.capitalised) or bool(
            re.match(rf",\s+(?:{_STATE_ABBR}|{_STATES})\b", after)
        )
        if (w.base in lex.places and (in_context or w.base not in _NAMES_TOO)) or (
            w.base in lex.ambiguous_places and in_context and not w.sentence_start
        ):
            yield Finding("location", w.start, w.end, w.base)
        i += 1


# Places that are also common first names stay with the name rules unless context says place.
_NAMES_TOO: frozenset[str] = frozenset()
