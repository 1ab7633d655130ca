"""Dates more precise than a year, and ages over 89.

Safe Harbor lets a year stand but not a day or a month within it, because a session date, a
birthday or an admission day can single a client out. Relative phrases ("last Tuesday", "next
spring") and a month or weekday alone stay: they do not pin a calendar day. Ages up to 89 are
allowed; 90 and over are rare enough to identify, so any stated age of 90+ is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .finding import Finding
from .tokens import digit_windows, windows

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(?:19|20)\d{2}"
_WORD_ORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
    r"|twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth"
    r"|thirty[- ]first)"
)

# 2024-05-01, 05/01/2024, 5/1/24, 3/14, 30/04 (day first when it cannot be a month), 14.03.2024, 1-5-24
NUMERIC = re.compile(
    rf"(?<![\w/.-])(?:{_YEAR}[-/.](?:1[0-2]|0?[1-9])[-/.]{_DAY}"
    rf"|(?:1[0-2]|0?[1-9]|{_DAY})[/.-](?:{_DAY}|1[0-2]|0?[1-9])[/.-](?:{_YEAR}|\d{{2}})"
    rf"|(?:1[0-2]|0?[1-9])/{_DAY}|(?:1[3-9]|2\d|3[01])/(?:1[0-2]|0?[1-9]))(?![\w/-]|\.\d)"
)
# "March 3rd", "Mar. 3, 2024", "3rd of March", "14 March 2024", "March third", "March 2024".
MONTH_DAY = re.compile(
    rf"\b(?:{_MONTH}\.?\s+(?:the\s+)?(?:{_DAY}{_ORD}?\b|{_WORD_ORD}\b)(?:,?\s+{_YEAR}\b)?"
    rf"|(?:the\s+)?(?:{_DAY}{_ORD}?|{_WORD_ORD})\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+{_YEAR}\b)?"
    rf"|{_MONTH}\.?,?\s+(?:of\s+)?{_YEAR}\b)",
    re.IGNORECASE,
)
# "Christmas Eve 2023", "Thanksgiving 2022": a holiday pins a day once the year is given.
HOLIDAY_YEAR = re.compile(
    r"\b(?:christmas(?:\s+(?:eve|day))?|new\s+year'?s(?:\s+(?:eve|day))?|thanksgiving(?:\s+day)?"
    r"|easter(?:\s+sunday)?|halloween|valentine'?s\s+day|independence\s+day|july\s+4th|"
    r"fourth\s+of\s+july|memorial\s+day|labou?r\s+day|mother'?s\s+day|father'?s\s+day|boxing\s+day"
    rf"|juneteenth|yom\s+kippur|rosh\s+hashanah|hanukkah|diwali|eid)\s*,?\s+(?:of\s+)?{_YEAR}\b",
    re.IGNORECASE,
)
# "on the 12th", "the 14th." — a bare ordinal day; not "the 5th session" or "the 19th century".
ORDINAL_DAY = re.compile(
    rf"\b(?:(?P<prep>on|since|until|till|by|before|after|from|around|of|through|thru)\s+)?the\s+(?P<d>{_DAY}{_ORD})\b"
    r"(?P<next>\s*[^\s]*)",
    re.IGNORECASE,
)
_ORDINAL_NOUN = re.compile(
    r"\s*(?:session|sessions|time|times|grade|grader|floor|century|percentile|anniversary|birthday|"
    r"week|weeks|day|days|visit|visits|appointment|one|ones|place|amendment|edition|step|steps|"
    r"year|years|month|months|message|messages|post|posts|comment|comments|request|requests|"
    r"attempt|attempts|person|client|clients|street|st|avenue|ave|floor|hour|minute|round|draft|"
    r"version|chapter|page|item|question|note|email|text|call|group|cohort|meeting|class|period)\b",
    re.IGNORECASE,
)

# "92-year-old", "aged 94", "age: 93", "turned 91", "she is 95 years old", "94 y/o".
AGE = re.compile(
    r"(?<![\w.-])(?P<n>9\d|1[01]\d)(?:\s*-?\s*(?:year|yr)s?[\s-]*old\b|\s*(?:y/?o|yrs?\.?\s+old)\b)"
    r"|\b(?:aged|age|ages|turned|turns|turning|is\s+now|now)\s*:?\s*(?P<m>9\d|1[01]\d)\b(?!\s*(?:%|percent|minutes|mins|pounds|lbs|kg|days|miles|times|sessions|dollars))"
    r"|(?<=,)\s*(?P<a>9\d|1[01]\d)\s*(?=,)"
    r"|\b(?:she|he|they)(?:'s|\s+is|\s+was|\s+are|'re)\s+(?P<k>9\d|1[01]\d)\b(?=\s*(?:[.,;!?)]|$|\s+(?:and|but|so|now|years|yo)\b))",
    re.IGNORECASE,
)

# "on the twelfth he showed up": a spelled-out ordinal after "on the" is a day of the month when
# nothing follows that it could be counting ("on the third session", "on the first try").
WORD_ORDINAL_DAY = re.compile(
    rf"\b(?:on|since|until|till|by|before|after)\s+the\s+(?P<d>{_WORD_ORD})"
    r"(?=\s*(?:[.,;:!?)]|$)|\s+(?:and|but|or|so|then|when|he|she|they|i|we|it|you|her|his|their|my"
    r"|at|in|around|about|which|while|because|after|before|again|too|as\s+well|of\s+(?:this|that|next"
    r"|last)\s+month)\b)",
    re.IGNORECASE,
)

# Spelled-out ages: "ninety-three", "a hundred and one".
_SPELLED_AGE = (
    r"(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|(?:a|one)\s+hundred(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
)
_AGE_SUBJECT = (
    r"(?:she|he|they|client|patient|woman|man|lady|gentleman|mother|father|mom|mum|dad|grandmother"
    r"|grandfather|grandma|grandpa|widow|widower|veteran|who)"
)
# "Client is 92 and...", "the patient was 101.", "she's ninety-three": a person word, a form of
# "to be", the age, then the end of that clause. "a 95th birthday", "her ninetieth birthday".
AGE_CLAUSE = re.compile(
    rf"\b{_AGE_SUBJECT}(?:'s|\s+is|\s+was|\s+turned|\s+turns|\s+just\s+turned|\s+is\s+now)\s+"
    rf"(?P<k>9\d|1[01]\d|{_SPELLED_AGE})\b"
    # ...followed by anything but a unit: "is 96 and", "who is 96 asked" (not "is 95 minutes late").
    r"(?!\s*(?:%|percent|minutes?|mins?|hours?|hrs?|pounds?|lbs|kg|kilos?|days?|weeks?|months?|miles?"
    r"|km|times|sessions?|dollars?|cents?|feet|ft|inches|degrees|points?|pages?|messages?|texts?"
    r"|posts?|followers?|likes?|comments?|percentile|mg|ml|beats|bpm|of\b|out\b|-))"
    rf"|\b(?P<b>(?:9\d|1[01]\d)(?:st|nd|rd|th)|ninetieth|ninety-\w+th|(?:one\s+)?hundredth)\s+birthday\b"
    rf"|\b(?:aged|age)\s+(?P<w>{_SPELLED_AGE})\b|\b(?P<y>{_SPELLED_AGE})[\s-]+years?[\s-]+old\b",
    re.IGNORECASE,
)


def _ages_near_digits(text: str) -> Iterator[re.Match[str]]:
    for lo, hi in digit_windows(text, before=30, after=30):
        yield from AGE.finditer(text, lo, hi)


_AGE_HINT = re.compile(r"\b(?:9\d|1[01]\d)(?:st|nd|rd|th)?\b|ninet|hundred", re.IGNORECASE)

# Fractions people write as numbers: not dates.
_FRACTIONS = frozenset({"1/2", "1/3", "2/3", "1/4", "3/4", "1/5", "2/5", "1/8"})
# Numbers that look like a day and month but are set phrases ("texts me 24/7").
_NOT_DATES = frozenset({"24/7"})


def find_dates(text: str) -> Iterator[Finding]:
    """Calendar dates more precise than a year, in the spellings clinicians use.

    Numeric shapes run only near digits, month shapes only near a month word, so plain prose is
    cheap to screen.
    """
    digits = digit_windows(text, before=40, after=30)
    for lo, hi in digits:
        for m in NUMERIC.finditer(text, lo, hi):
            if m.group() in _NOT_DATES:
                continue
            if m.group() in _FRACTIONS and not _DATE_LEAD.search(text, max(0, m.start() - 16), m.start()):
                continue
            yield Finding("date", m.start(), m.end(), m.group())
        for m in HOLIDAY_YEAR.finditer(text, lo, hi):
            yield Finding("date", m.start(), m.end(), m.group())
        for m in ORDINAL_DAY.finditer(text, lo, hi):
            if _ORDINAL_NOUN.match(m.group("next")):
                continue
            # Keep the span to "the 14th": the preposition is not the identifier.
            start = m.start("d") - 4
            yield Finding("date", start, m.end("d"), text[start : m.end("d")])
    for lo, hi in windows(text, _MONTH_HINT, 40, 40):
        for m in MONTH_DAY.finditer(text, lo, hi):
            if _lowercase_count(text, m):
                continue
            yield Finding("date", m.start(), m.end(), m.group())
    for lo, hi in windows(text, _WORD_ORD_HINT, 20, 60):
        for m in WORD_ORDINAL_DAY.finditer(text, lo, hi):
            start = m.start("d") - 4
            yield Finding("date", start, m.end("d"), text[start : m.end("d")])


# Words before a number that make it a calendar day ("on 2/3", "discharged march 3").
_DATE_LEAD = re.compile(
    r"\b(?:on|since|until|till|til|by|before|after|from|discharged|admitted|ended|started|born|died"
    r"|due|dated|through|thru)\s+$",
    re.IGNORECASE,
)
# Words after "march 3" that make it a count ("march 3 times", "may 2 people").
_COUNTED = re.compile(
    r"\s+(?:times|people|persons|sessions|clients|kids|more|of|or|and\s+\d|to\s+\d|hours|days|weeks|minutes)\b",
    re.IGNORECASE,
)


def _lowercase_count(text: str, m: re.Match[str]) -> bool:
    """ "may 2 people come" / "march 3 times": a lowercase modal or verb, not a date.

    A lowercase month with a bare number stays a date after a date word ("discharged march 3",
    "ended on jan 5"), and for months that are not also verbs unless a count noun follows.
    """
    group = m.group()
    if not re.search(r"\b(?:may|march|mar|jan|jun|jul|aug|sep|oct|nov|dec)\b", group):
        return False
    if re.search(rf"\d{_ORD}|{_YEAR}", group, re.IGNORECASE):
        return False
    if _COUNTED.match(text, m.end()):
        return True
    dated = _DATE_LEAD.search(text, max(0, m.start() - 16), m.start()) is not None
    return not dated and re.match(r"(?:may|march|mar)\b", group) is not None


_MONTH_HINT = re.compile(rf"\b{_MONTH}", re.IGNORECASE)
# "first", "twelfth", "twentieth": the endings every spelled ordinal has.
_WORD_ORD_HINT = re.compile(r"(?:first|second|third|th)\b", re.IGNORECASE)


def find_ages(text: str) -> Iterator[Finding]:
    """Stated ages of 90 or more."""
    for m in _ages_near_digits(text):
        if m.group("a"):
            # "The client, 93, asked": an appositive number only counts after a person word.
            if not _PERSON_BEFORE.search(text, 0, m.start()):
                continue
            yield Finding("age", m.start("a"), m.end("a"), m.group("a"))
            continue
        yield Finding("age", m.start(), m.end(), m.group())
    # The clause rule is costly to try at every word, so it runs only in a window around a number
    # or number word that could be an age.
    searched = 0
    for hint in _AGE_HINT.finditer(text):
        lo, hi = max(searched, hint.start() - 40), min(len(text), hint.end() + 40)
        for m in AGE_CLAUSE.finditer(text, lo, hi):
            group = next(g for g in ("k", "b", "w", "y") if m.group(g))
            yield Finding("age", m.start(group), m.end(group), m.group(group))
        searched = max(searched, hint.start())


_PERSON_BEFORE = re.compile(
    r"\b(?:client|patient|woman|man|lady|gentleman|widow|widower|mother|father|grandmother"
    r"|grandfather|member|veteran|[A-Z][a-z]+)\s*,$"
)
