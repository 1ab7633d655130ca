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

# 2024-05-01, 05/01/2024, 5/1/24, 3/14, 14.03.2024, 1-5-24
NUMERIC = re.compile(
    rf"(?<![\w/.-])(?:{_YEAR}[-/.](?:1[0-2]|0?[1-9])[-/.]{_DAY}"
    rf"|(?:1[0-2]|0?[1-9]|{_DAY})[/.-](?:{_DAY}|1[0-2]|0?[1-9])[/.-](?:{_YEAR}|\d{{2}})"
    rf"|(?:1[0-2]|0?[1-9])/{_DAY})(?![\w/-]|\.\d)"
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

# Fractions people write as numbers: not dates.
_FRACTIONS = frozenset({"1/2", "1/3", "2/3", "1/4", "3/4", "1/5", "2/5", "1/8"})


def find_dates(text: str) -> Iterator[Finding]:
    """Calendar dates more precise than a year, in the spellings clinicians use."""
    for m in NUMERIC.finditer(text):
        if m.group() in _FRACTIONS:
            continue
        yield Finding("date", m.start(), m.end(), m.group())
    for m in MONTH_DAY.finditer(text):
        if re.search(r"\b(?:may|march|mar|jan|jun|jul|aug|sep|oct|nov|dec)\b", m.group()) and not re.search(
            rf"\d{_ORD}|{_YEAR}", m.group(), re.IGNORECASE
        ):
            # "may 2 people come" / "march 3 times": lowercase modal or verb, not a date.
            continue
        yield Finding("date", m.start(), m.end(), m.group())
    for m in HOLIDAY_YEAR.finditer(text):
        yield Finding("date", m.start(), m.end(), m.group())
    for m in ORDINAL_DAY.finditer(text):
        if _ORDINAL_NOUN.match(m.group("next")):
            continue
        # Keep the span to "the 14th": the preposition is not the identifier.
        start = m.start("d") - 4
        yield Finding("date", start, m.end("d"), text[start : m.end("d")])


def find_ages(text: str) -> Iterator[Finding]:
    """Stated ages of 90 or more."""
    for m in AGE.finditer(text):
        if m.group("a"):
            # "The client, 93, asked": an appositive number only counts after a person word.
            if not _PERSON_BEFORE.search(text, 0, m.start()):
                continue
            yield Finding("age", m.start("a"), m.end("a"), m.group("a"))
            continue
        yield Finding("age", m.start(), m.end(), m.group())


_PERSON_BEFORE = re.compile(
    r"\b(?:client|patient|woman|man|lady|gentleman|widow|widower|mother|father|grandmother"
    r"|grandfather|member|veteran|[A-Z][a-z]+)\s*,$"
)
