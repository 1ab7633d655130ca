"""The clinician's own side of a consultation: colleagues and the practice's own offices.

A consultation names people and places that say nothing about the client: the colleague it is
addressed to ("Dr. Patel, can we..."), the writer ("Sarah here"), staff named by their role at the
practice ("my supervisor, Dr. Reyes", "our office manager, Jane"), and the practice's own city
("our Denver office", "we're a small practice in Chicago"). Labelling rule (Safe Harbor is about
identifiers of the client and their relatives, employers and household): these stay clean, because
they cannot locate or name the client. The same words tied to the client ("her psychiatrist,
Dr. Lindqvist", "a client from Denver", "works at the Denver office of...") are still findings.

The rules only look at the few characters around a finding, so they cost nothing on clean text.
"""

from __future__ import annotations

import re

from .finding import Finding

# "our Denver office", "a Sydney practice", "my Austin clinic": a place naming the practice's site.
_OFFICE_AFTER = re.compile(
    r"\s+(?:offices?|practices?|clinics?|branch(?:es)?|locations?|site|team|staff|headquarters|HQ)\b",
    re.IGNORECASE,
)
_OFFICE_BEFORE = re.compile(
    r"\b(?:our|my|a|an|this|the)\s+(?:(?:small|main|new|old|other|group|downtown|satellite|private|own)\s+){0,2}$",
    re.IGNORECASE,
)
# "the Denver office" is ours, unless a client works there: "works at the Denver office of ...".
_WORKPLACE_BEFORE = re.compile(r"\b(?:works?|working|worked|job|employed)\s+(?:at|in|for)\s+the\s+\S*\s*$")
# "We're a small practice in Chicago", "I practice in Boston", "our office is in Austin".
_OWN_CITY_BEFORE = re.compile(
    r"\b(?:we|we're|we’re|i|i'm|i’m|our|my)\b(?P<mid>[^.!?\n]{0,40}?)\b(?:practice|practise|office|clinic|based"
    r"|located|licensed)\s+(?:is\s+|are\s+)?(?:in|out\s+of)\s+(?:downtown\s+)?$",
    re.IGNORECASE,
)
_CLIENT_WORDS = re.compile(r"client|patient|['’]s\b|\b(?:her|his|their)\b", re.IGNORECASE)

# "Dr. Patel, can we...", "Hey Maria, did you see...": the colleague the message is addressed to.
_GREETING = re.compile(
    r"(?:(?:hi|hey|hello|morning|thanks|thank\s+you)(?:\s+(?:all|team|everyone|folks))?[,!]?)?", re.IGNORECASE
)
_VOCATIVE_AFTER = re.compile(
    r",\s*(?:can|could|did|do|does|are|have|has|would|will|were|quick|just|any|thoughts|question)\b",
    re.IGNORECASE,
)
# "Hi all, Sarah here.": the writer introducing themself.
_SELF_AFTER = re.compile(r"\s+here\b(?!\s+(?:in|at|on|for|to|with|is|was))", re.IGNORECASE)
_SELF_BEFORE = re.compile(r"(?:^|[.!?]\s+|(?:hi|hey|hello)\b[^.!?\n]{0,12}[,.!-]\s*)$", re.IGNORECASE)
# "my supervisor, Dr. Reyes", "our Office Manager, Jane,": a colleague named by their role here.
_COLLEAGUE_BEFORE = re.compile(
    r"\b(?:my|our)\s+(?:(?:clinical|practice|office|intake|medical|program|billing|front[\s-]desk|new|senior)\s+)?"
    r"(?:supervisor|colleague|coworker|co-worker|manager|director|coordinator|lead|receptionist|biller"
    r"|admin|administrator|psychiatrist|co-therapist|cotherapist|supervisee|intern|owner)\s*,?\s*$",
    re.IGNORECASE,
)
# "Dr. Kim and I disagree": a doctor acting with the writer is a colleague.
_WITH_ME_AFTER = re.compile(r"\s+and\s+I\b")


def own_side(text: str, f: Finding) -> bool:
    """True when ``f`` names the clinician's side (a colleague, the writer, the practice's site)."""
    before = text[max(0, f.start - 60) : f.start]
    if f.kind not in ("name", "location"):
        return False
    if _OFFICE_AFTER.match(text, f.end) and _OFFICE_BEFORE.search(before):
        return not _WORKPLACE_BEFORE.search(before)
    m = _OWN_CITY_BEFORE.search(before)
    if m and not _CLIENT_WORDS.search(m.group("mid")):
        return True
    if f.kind != "name":
        return False
    if _VOCATIVE_AFTER.match(text, f.end) and _GREETING.fullmatch(text[: f.start].strip()):
        return True
    if _SELF_AFTER.match(text, f.end) and _SELF_BEFORE.search(before):
        return True
    if _COLLEAGUE_BEFORE.search(before):
        return True
    return f.text.split()[0].rstrip(".").lower() in _DOCTOR and _WITH_ME_AFTER.match(text, f.end) is not None


_DOCTOR = frozenset(["dr", "doctor", "prof", "professor"])
