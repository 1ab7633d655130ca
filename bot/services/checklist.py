"""The yearly review checklist: the practice's ten policy points and the personal privacy checks.

Written in our own words from the practice knowledge in DOMAIN.md. Boundary shows the list and
records only whether the review was done, never which boxes a clinician would tick: the answers
are the clinician's own business, and storing them would turn a reminder into surveillance.
"""

from __future__ import annotations

POLICY_POINTS: tuple[str, ...] = (
    "I do not friend, follow or connect with current or former clients from my personal accounts.",
    "Any public outreach or education happens from a separate professional profile.",
    "Direct messages on my professional pages are off, or point people to the portal or practice email.",
    "My professional bio says the page is for education, is not therapy and is not for emergencies.",
    "I do not like, comment on or otherwise engage with clients' posts.",
    "I share no stories from therapy online, not even disguised ones.",
    "I have read this year's version of the practice's written social-media policy.",
    "Our consent paperwork covers social media, says it is not for crises, and asks explicit consent "
    "before any testimonial, photo or sharing.",
    "I take digital dilemmas to supervision or peer consultation rather than deciding alone.",
    "I document every online contact from a client and every boundary crossing, as with any other contact.",
)

PRIVACY_CHECKS: tuple[str, ...] = (
    "Personal accounts are private, or limited to people I choose.",
    "I know who can see my posts, my friends list and photos I am tagged in.",
    'Contact syncing and "people you may know" suggestions are off where I can turn them off.',
    "Location sharing and check-ins are off on personal accounts.",
    "Payment-app activity (such as Venmo feeds) is private.",
    "I searched my own name and know what a client would find; search-engine listing of personal "
    "profiles is off where possible.",
)

WHY = (
    "Platform updates quietly reset privacy settings, so once a year we look again. "
    "Boundary records only that you finished, never your answers."
)


def numbered(items: tuple[str, ...]) -> str:
    return "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


def bulleted(items: tuple[str, ...]) -> str:
    return "\n".join(f"- {item}" for item in items)
