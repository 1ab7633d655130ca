"""Identifiers with a recognisable shape: contact details, record numbers, plates, IPs, zips.

Each rule is a regular expression because these identifiers are defined by their form (an email
has an ``@`` and a domain, an SSN is 3-2-4 digits). Where the form alone is too weak (a 5-digit
number, an 8-character code) the rule asks for a keyword nearby ("MRN", "plate", "zip").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .finding import Finding
from .tokens import digit_windows

# Platform home pages carry no identity; a path after them ("instagram.com/someone") does.
_PLATFORM_DOMAINS = frozenset(
    [
        "facebook.com",
        "instagram.com",
        "linkedin.com",
        "venmo.com",
        "tiktok.com",
        "snapchat.com",
        "whatsapp.com",
        "twitter.com",
        "x.com",
        "google.com",
        "gmail.com",
        "yelp.com",
        "psychologytoday.com",
        "youtube.com",
        "reddit.com",
        "healthgrades.com",
        "zocdoc.com",
        "simplepractice.com",
        "therapynotes.com",
        "zoom.us",
        "zoom.com",
        "pinterest.com",
        "threads.net",
        "bsky.app",
        "apa.org",
        "counseling.org",
        "socialworkers.org",
        "aamft.org",
        "bacp.co.uk",
        "hhs.gov",
        "nhs.uk",
        "yahoo.com",
        "outlook.com",
        "hotmail.com",
        "icloud.com",
        "wikipedia.org",
        "paypal.com",
        "cash.app",
        "nextdoor.com",
        "discord.com",
        "telegram.org",
        "tumblr.com",
        "medium.com",
    ]
)

_TLD = (
    r"(?:com|net|org|edu|gov|io|me|co|us|uk|ca|au|ly|app|info|biz|tv|link|page|site|online"
    r"|blog|xyz|dev|ai|gg|fm|social)"
)

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# Full URLs, "www." addresses and bare domains; the path decides whether a platform link counts.
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>()\"']+"
    rf"|(?<![\w@.-])(?:[a-z0-9-]+\.)+{_TLD}\b(?:/[^\s<>()\"']*)?",
    re.IGNORECASE,
)

# "@name": not inside an email, not Slack's @here/@channel/@everyone.
HANDLE = re.compile(
    r"(?<![\w@./])@(?!(?:here|channel|everyone)\b)[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?"
)

# A handle said without "@": after a word that introduces one, or a token with an underscore
# (people rarely type snake_case otherwise), or a reddit-style u/name.
# "her handle is sunny.kate", "username: moonchild77". The word "handle" also is a verb, so it
# counts only after a determiner or platform ("her handle", "IG handle").
HANDLE_CONTEXT = re.compile(
    r"(?:\b(?:her|his|their|my|your|the|a|client'?s|ig|insta|instagram|tiktok|twitter|x|threads|snap|snapchat)\s+handle"
    r"|\b(?:username|user\s?name|screen\s?name|display\s+name|gamertag|account\s+name|goes\s+by|posts?\s+as"
    r"|known\s+online\s+as))\b"  # "posts as", not "posts asking"
    r"(?:\s+(?:is|was))?\s*[:=]?\s*[\"'“]?(?P<h>[A-Za-z0-9_.]{3,30})(?<![.])",
    re.IGNORECASE,
)
# "her insta is jess.rose99", "IG: sunnyside.kate": after a platform word, a token that looks like
# a handle (digits, dots or underscores inside), or after "her insta is" a lowercase word that is
# not one of the words that usually follow there ("private", "full of").
HANDLE_PLATFORM = re.compile(
    r"\b(?P<own>(?:her|his|their|my|your|client'?s)\s+)?(?:ig|insta|instagram|tiktok|snap|snapchat|sc|twitter|venmo|threads)"
    r"(?:\s+(?:is|was|handle\s+is|name\s+is)\s*|\s*:\s*)[\"'“]?"
    r"(?P<h>[A-Za-z0-9]+[._][A-Za-z0-9_.]*[A-Za-z0-9_]|[A-Za-z]*\d[A-Za-z0-9]*|[a-z][a-z0-9]{4,29}\b)",
    re.IGNORECASE,
)
UNDERSCORE_TOKEN = re.compile(
    r"(?<![\w@./])(?:u/)?[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*(?:_[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)+\b"
    r"|(?<![\w/])u/[A-Za-z0-9_-]{3,}"
)
# "found him on Twitch as xXShadowWolfXx": a platform, then "as"/"under" and a handle-shaped token
# (digits, dots, underscores or capitals inside, so "on Instagram as well" stays clean).
HANDLE_AS = re.compile(
    r"\b(?:on|in)\s+(?:ig|insta|instagram|tiktok|snap|snapchat|twitter|x|threads|twitch|reddit|discord"
    r"|youtube|tumblr|bluesky|mastodon|telegram|steam|xbox|roblox|minecraft|facebook|fb|linkedin|venmo)"
    r"\s+(?:as|under)\s+[\"'“]?@?(?P<h>[A-Za-z0-9_.]{3,30})(?<![.])",
    re.IGNORECASE,
)

IPV4 = re.compile(
    r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]\d)"
)
IPV6 = re.compile(
    r"(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}:?){1,6}(?![\w:])"
)

# US and UK phone numbers in the usual spellings, plus 7-digit local numbers ("555-0142").
PHONE = re.compile(
    r"(?<![\w/-])(?:"
    r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}"
    r"|\+?1?\d{10}(?!\d)"
    r"|\+44\s?\(?0?\)?\s?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}"
    r"|0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}"
    r"|\d{3}[.-]\d{4}"
    r")(?![\w-])"
)
# Any other country: "+61 412 345 678", "+353 (0)87 123 4567"; checked for 8 to 15 digits.
PHONE_INTL = re.compile(r"(?<![\w+])\+[1-9]\d{0,2}(?:[\s.-]?\(?\d{1,5}\)?){2,5}(?![\w-])")
# "jwoo at naver dot com", "kate [at] gmail [dot] com": an address spelled out to dodge filters.
EMAIL_SPELLED = re.compile(
    r"(?<![\w.])[A-Za-z0-9._%+-]{2,}\s*(?:\(at\)|\[at\]|\s+at\s+)\s*[A-Za-z0-9-]+"
    r"\s*(?:(?:\(dot\)|\[dot\]|\s+dot\s+)\s*[A-Za-z]{2,6}\b)+",
    re.IGNORECASE,
)
# "moonbeam#4421": a Discord-style tag.
DISCORD_TAG = re.compile(r"(?<![\w#@])[A-Za-z0-9_.]{2,32}#\d{4}(?!\w)")
# "number ending in 4471", "cell ends with 0199": part of a number still narrows who it is.
PHONE_PARTIAL = re.compile(
    r"\b(?:number|phone|cell|mobile|line|digits)\b[^.\n]{0,20}?\b(?:ending|ends|end)\s+(?:in|with)\s+"
    r"(?P<d>\d{3,4})\b",
    re.IGNORECASE,
)

SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")

_RECORD_WORDS = (
    r"mrn|medical\s+record(?:\s+(?:number|no\.?|num|#))?|record\s*(?:number|no\.?|num|#)|chart\s*(?:number|no\.?|#)"
    r"|ssn|ss\s?#|social\s+security(?:\s+(?:number|no\.?|#))?|sin|ni\s+number|national\s+insurance(?:\s+number)?"
    r"|nhs\s+(?:number|no\.?)|insurance\s*(?:id|number|no\.?|#|card)|member\s*(?:id|number|no\.?|#)"
    r"|policy\s*(?:number|no\.?|#)|subscriber\s*(?:id|number|#)|group\s*(?:number|no\.?|#)"
    r"|case\s*(?:number|no\.?|#|id)|docket(?:\s+number)?|account\s*(?:number|no\.?|#|id)|acct\.?\s*#?"
    r"|licen[cs]e\s*(?:number|no\.?|#)?|npi|dea(?:\s+number)?|patient\s*(?:id|number|#)"
    r"|client\s*(?:id|number|#)|claim\s*(?:number|no\.?|#|id)|medicaid\s*(?:id|number|#)?"
    r"|medicare\s*(?:id|number|#)?|student\s*(?:id|number|#)|employee\s*(?:id|number|#)"
    r"|passport(?:\s+(?:number|no\.?|#))?|id\s*(?:number|no\.?|#)|routing\s+number|badge\s*(?:number|#)"
    # Provincial and national health numbers (OHIP, PHN, CHI, MBI, PPS), health and care cards, and
    # any acronym followed by "number" ("IHI number", "CRN no.").
    r"|ohip|phn|mbi|chi\s+(?:number|no\.?)|pps(?:n|\s+number)?|health\s*(?:card|number|id)|care\s+card"
    r"|(?-i:[A-Z]{2,6})\s+(?:number|no\.?|#|id)"
    # Device identifiers and serial numbers (Safe Harbor lists them too).
    r"|serial(?:\s+(?:number|no\.?|#))?|imei|device\s*(?:id|serial)"
    # A bare record word right before a code with four digits or more ("account 7782-1034").
    # A year ("policy 2024") is no code: a dashed one, or five digits or more.
    r"|(?:account|acct|case|chart|file|claim|member|policy|record)"
    r"(?=\s+[A-Z]{0,4}-?(?:\d{2,}-\d{2,}|\d{5,}))"
)
# The keyword, a few linking words, then a code with at least three digits.
RECORD = re.compile(
    rf"\b(?:{_RECORD_WORDS})(?:\s*[:#=]\s*|\s+(?:is|was|of|ending|ends|in|with|number|no\.?|#|:)\s*){{0,3}}\s*"
    r"(?P<id>\d{3}\s\d{3}\s\d{4}|[A-Z]{0,4}[-\s]?(?=[A-Z0-9-]*\d[A-Z0-9-]*\d[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{2,19})(?![\w-])",
    re.IGNORECASE,
)
# A long run of digits, or letters followed by many digits, is an identifier of some kind.
LONG_NUMBER = re.compile(r"(?<![\w$£€.,-])(?:[A-Z]{1,3}-?)?\d{6,}(?![\w.,]\d|%)")

# A code of capitals and digits in dashed parts ("2024-JV-00382", "CR-22-10874"): case, docket and
# file numbers are written this way even when no record word sits right before them. Five digits
# or more, so "COVID-19", "PHQ-9", "DSM-5" and "1099-NEC" stay clean.
DASHED_CODE = re.compile(r"(?<![\w-])(?=[A-Z0-9-]*[A-Z])(?:[A-Z0-9]{1,8}-){1,3}[A-Z0-9]{1,8}(?![\w-])")
# "The plate on the car that followed me was 8TRD512", "plates, ABC123": a plate word, a few words
# of the same sentence, then a plate-shaped code (letters and digits, no lowercase).
VEHICLE_NEAR = re.compile(
    r"\b(?i:plates?|rego)\b[^.!?\n]{0,40}?(?<![\w-])"
    r"(?P<p>(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{2,4}-?[A-Z0-9]{2,4})(?![\w-])"
)
# Plates: after a plate word ("plate ABC-1234"), or the UK format by itself ("AB12 CDE").
VEHICLE = re.compile(
    r"\b(?:licen[cs]e\s+plate|plates?|number\s+plate|reg(?:istration)?(?:\s+(?:number|plate))?"
    r"|tag\s+number|tags?|rego|vin)"
    r"(?:\s+(?:number|no\.?|#))?(?:\s+(?:is|was|reads|read|of|that\s+(?:says|said|reads)))?\s*[:#,]?\s*"
    r"(?-i:(?P<p>(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}[- ]?[A-Z0-9]{1,4}[- ]?[A-Z0-9]{0,4}"
    r"|[A-HJ-NPR-Z0-9]{17}))(?![\w-])",
    re.IGNORECASE,
)
UK_PLATE = re.compile(r"(?<![\w-])[A-Z]{2}\d{2}\s?[A-Z]{3}(?![\w-])")

# Zip codes: a 5-digit number after a state, "zip" or "postcode"; UK postcodes by their shape.
_STATE_ABBR = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ"
    r"|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
ZIP = re.compile(
    rf"(?:\b(?i:zip|zipcode|zip\s+code|postal\s+code|post\s?code)\b\s*(?:is|was|of|:)?\s*|\b(?:{_STATE_ABBR}),?\s+|\bin\s+(?:the\s+)?)"
    r"(?P<z>\d{5}(?:-\d{4})?)\b",
)
ZIP_PLAIN = re.compile(
    r"(?<!cpt\s)(?<!code\s)(?<!codes\s)(?<!CPT\s)(?<![\w$£€.,#-])\d{5}(?:-\d{4})?(?![\w.,%-]|\s+(?:followers|views|likes|people|words|steps"
    r"|miles|feet|dollars|pounds|calories|members|subscribers|times|hours|minutes|characters))"
)
UK_POSTCODE = re.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?![\w-])")
CA_POSTCODE = re.compile(r"(?<![\w-])[ABCEGHJ-NPRSTVXY]\d[A-Z]\s?\d[A-Z]\d(?![\w-])")


# Procedure codes clinicians bill under (psychotherapy 908xx, testing 96xxx, E/M 99xxx): a five-digit
# number in those ranges beside a billing word is a code, not a zip code.
_CPT = re.compile(r"90[78]\d\d|9[679]\d{3}")
_BILLING = re.compile(
    r"\b(?:bill(?:s|ed|ing)?|cpt|codes?|coded|coding|claims?|modifiers?|add-?ons?|units?|reimburs\w*"
    r"|superbills?|invoic\w*|payers?|insurers?|denied|denial|vs\.?|versus)\b",
    re.IGNORECASE,
)
# "Change.org", "Doxy.me", "Booking.com": a capitalised bare domain (no scheme, path or digits) is how
# people write a company's name; a person's page comes with a path or in lower case.
_BRAND_DOMAIN = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)?\.[a-z]{2,6}")


def _platform_only(url: str) -> bool:
    """A bare platform address ("instagram.com") says nothing about who the client is."""
    bare = re.sub(r"^(?:https?://)?(?:www\.|m\.)?", "", url.lower()).rstrip("/.,;:!?")
    return bare in _PLATFORM_DOMAINS


def _make(text: str, kind: str, start: int, end: int) -> Finding:
    return Finding(kind, start, end, text[start:end])


def _trim_url_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in ".,;:!?)'\"":
        end -= 1
    return end


_URL_HINT = re.compile(r"[A-Za-z0-9]\.[A-Za-z]|://")
_IPV4_HINT = re.compile(r"\d\.\d")
_HANDLE_WORDS = ("handle", "name", "gamertag", "goes by", "post", "known online")


def find_patterns(text: str) -> Iterator[Finding]:
    """Every shape-defined identifier in ``text``; overlaps are resolved by the caller.

    Each rule first checks for what it cannot match without (an ``@``, a dot between letters, a
    digit), so ordinary prose costs little; the digit rules run only near digits.
    """
    lower = text.lower()
    if "@" in text:
        for m in EMAIL.finditer(text):
            yield _make(text, "email", m.start(), m.end())
        for m in HANDLE.finditer(text):
            yield _make(text, "handle", m.start(), m.end())
    if _URL_HINT.search(text):
        yield from _urls(text)
    if " dot " in lower or "[dot]" in lower or "(dot)" in lower:
        for m in EMAIL_SPELLED.finditer(text):
            yield _make(text, "email", m.start(), m.end())
    if any(w in lower for w in _HANDLE_WORDS):
        for m in HANDLE_CONTEXT.finditer(text):
            if m.group("h").lower() not in _HANDLE_STOP:
                yield _make(text, "handle", m.start("h"), m.end("h"))
    for m in HANDLE_PLATFORM.finditer(text):
        h = m.group("h")
        plain = h.isalpha() and h.islower()
        if h.lower() in _HANDLE_STOP or (plain and (not m.group("own") or h in _AFTER_PLATFORM)):
            continue
        yield _make(text, "handle", m.start("h"), m.end("h"))
    if " as " in lower or " under " in lower:
        for m in HANDLE_AS.finditer(text):
            h = m.group("h")
            if h.lower() not in _HANDLE_STOP and re.search(r"[\d_.]|.[A-Z]", h):
                yield _make(text, "handle", m.start("h"), m.end("h"))
    if "_" in text or "u/" in text:
        for m in UNDERSCORE_TOKEN.finditer(text):
            yield _make(text, "handle", m.start(), m.end())
    if "::" in text or text.count(":") >= 7:
        for m in IPV6.finditer(text):
            yield _make(text, "ip", m.start(), m.end())
    spans = digit_windows(text, before=70, after=40)
    if not spans:
        return
    has_ip = _IPV4_HINT.search(text) is not None
    has_ending = "end" in lower
    for lo, hi in spans:
        if has_ip:
            for m in IPV4.finditer(text, lo, hi):
                yield _make(text, "ip", m.start(), m.end())
        for m in PHONE.finditer(text, lo, hi):
            yield _make(text, "phone", m.start(), m.end())
        if has_ending:
            for m in PHONE_PARTIAL.finditer(text, lo, hi):
                yield _make(text, "phone", m.start("d"), m.end("d"))
        for m in SSN.finditer(text, lo, hi):
            yield _make(text, "record", m.start(), m.end())
        for m in RECORD.finditer(text, lo, hi):
            start = m.start("id")
            while text[start] == " ":
                start += 1
            yield _make(text, "record", start, m.end("id"))
        for m in LONG_NUMBER.finditer(text, lo, hi):
            yield _make(text, "other", m.start(), m.end())
        for m in VEHICLE.finditer(text, lo, hi):
            plate = m.group("p").strip()
            if len(plate.replace(" ", "").replace("-", "")) >= 4 and plate.lower() not in _HANDLE_STOP:
                yield _make(text, "vehicle", m.start("p"), m.start("p") + len(plate))
        for m in VEHICLE_NEAR.finditer(text, lo, hi):
            plate = m.group("p")
            if sum(c.isdigit() for c in plate) >= 1 and sum(c.isalpha() for c in plate) >= 2:
                yield _make(text, "vehicle", m.start("p"), m.end("p"))
        for m in DASHED_CODE.finditer(text, lo, hi):
            if sum(c.isdigit() for c in m.group()) >= 5:
                yield _make(text, "record", m.start(), m.end())
        for m in UK_PLATE.finditer(text, lo, hi):
            yield _make(text, "vehicle", m.start(), m.end())
        for m in ZIP.finditer(text, lo, hi):
            yield _make(text, "location", m.start("z"), m.end("z"))
        for m in ZIP_PLAIN.finditer(text, lo, hi):
            if _CPT.fullmatch(m.group()) and _BILLING.search(text, max(0, m.start() - 60), m.end() + 60):
                continue
            yield _make(text, "other", m.start(), m.end())
        for m in UK_POSTCODE.finditer(text, lo, hi):
            yield _make(text, "location", m.start(), m.end())
        for m in CA_POSTCODE.finditer(text, lo, hi):
            yield _make(text, "location", m.start(), m.end())
        if "+" in text:
            for m in PHONE_INTL.finditer(text, lo, hi):
                if 8 <= sum(c.isdigit() for c in m.group()) <= 15:
                    yield _make(text, "phone", m.start(), m.end())
        if "#" in text:
            for m in DISCORD_TAG.finditer(text, lo, hi):
                yield _make(text, "handle", m.start(), m.end())


def _urls(text: str) -> Iterator[Finding]:
    for m in URL.finditer(text):
        end = _trim_url_end(text, m.start(), m.end())
        if end > m.start() and not _platform_only(text[m.start() : end]):
            # "5.30pm" or "v2.0" are not domains: a bare domain needs letters before the TLD.
            if re.fullmatch(r"[\d.]+[a-z]*", text[m.start() : end], re.IGNORECASE):
                continue
            if _BRAND_DOMAIN.fullmatch(text[m.start() : end]):
                continue
            yield _make(text, "url", m.start(), end)


# Words that follow "her insta is" without being a handle.
_AFTER_PLATFORM = frozenset(
    [
        "private",
        "public",
        "locked",
        "blocked",
        "deleted",
        "gone",
        "down",
        "full",
        "mostly",
        "really",
        "basically",
        "about",
        "where",
        "just",
        "still",
        "also",
        "actually",
        "empty",
        "active",
        "inactive",
        "closed",
        "open",
        "hidden",
        "new",
        "different",
        "separate",
        "fake",
        "anonymous",
        "pretty",
        "super",
        "very",
        "totally",
        "entirely",
        "filled",
        "where",
        "here",
        "there",
        "about",
    ]
)

# Words that can follow "handle is", "tag", "plate"... without being one.
_HANDLE_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "was",
        "of",
        "and",
        "or",
        "but",
        "that",
        "this",
        "it",
        "her",
        "his",
        "their",
        "my",
        "our",
        "your",
        "private",
        "public",
        "there",
        "here",
        "someone",
        "something",
        "account",
        "page",
        "profile",
        "story",
        "stories",
        "post",
        "posts",
        "name",
    ]
)
