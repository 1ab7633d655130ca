"""The thirteen built-in situations are complete, cite only what ETHICS.md lists, and read plainly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat

from bot.content.catalogue import Catalogue
from bot.content.schema import PLACEHOLDER

KEYS = [
    "friend-request",
    "direct-message",
    "tagged",
    "comment",
    "former-client",
    "invitation",
    "found-online",
    "client-search",
    "crisis-post",
    "review-request",
    "regretted-post",
    "colleague-post",
    "policy-clause",
]
#: Situations with nobody to answer carry steps instead of client-facing words.
NO_REPLY = {"client-search", "regretted-post", "colleague-post", "crisis-post"}
CLIENT_FACING = ("written", "sensitive")
_REPLY = {"written", "sensitive", "in-session", "avoid", "document"}
#: The variants each situation must carry: the words it needs and what to avoid and record.
REQUIRED: dict[str, set[str]] = {
    "friend-request": _REPLY,
    "direct-message": _REPLY,
    "tagged": _REPLY,
    "comment": _REPLY,
    "invitation": _REPLY,
    "former-client": {"written", "sensitive", "steps", "avoid", "document"},
    "found-online": {"in-session", "sensitive", "steps", "avoid", "document"},
    "review-request": {"steps", "written", "in-session", "avoid", "document"},
    "client-search": {"steps", "avoid", "document"},
    "regretted-post": {"steps", "avoid", "document"},
    "colleague-post": {"steps", "avoid", "document"},
    "crisis-post": {"steps", "in-session", "avoid", "document"},
    "policy-clause": {"clause", "avoid", "document"},
}

REPO = Path(__file__).resolve().parents[2]
ETHICS = REPO.parent / "shared" / "ETHICS.md"
#: Used only where ../shared/ETHICS.md is not present (a checkout outside the team workspace).
FALLBACK_CITATIONS = {
    *(f"ACA {s}" for s in ["A.5.e", "A.6.e", "A.2.b", "H.2.a", "H.6.a", "H.6.b", "H.6.c", "H.6.d", "C.3.b"]),
    *(
        f"NASW {s}"
        for s in [
            "1.03(e)",
            "1.03(i)",
            "1.06(c)",
            "1.06(e)",
            "1.06(f)",
            "1.06(g)",
            "1.06(h)",
            "1.07(a)",
            "1.07(q)",
            "1.07(r)",
        ]
    ),
    "APA 3.05",
    "APA 4.01",
    "APA 4.02",
    "APA 5.05",
    "AAMFT 1.3",
    "AAMFT 6.1",
    "BACP Good practice 33",
    "BACP social-media guidance",
}


def allowed_citations() -> set[str]:
    """Every 'CODE section' in ETHICS.md's table, with multi-section rows split ('4.01, 4.02')."""
    if not ETHICS.exists():
        return FALLBACK_CITATIONS
    allowed: set[str] = set()
    for line in ETHICS.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not re.match(r"^(ACA|NASW|APA|AAMFT|BACP)\b", cells[0]):
            continue
        code = cells[0].split()[0]
        for section in cells[1].split(","):
            allowed.add(f"{code} {section.strip().rstrip('*')}")
    return allowed


def test_all_thirteen_situations_are_present(catalogue: Catalogue) -> None:
    assert set(KEYS) <= set(catalogue.keys())


@pytest.mark.parametrize("key", KEYS)
def test_situation_has_the_variants_it_needs(catalogue: Catalogue, key: str) -> None:
    situation = catalogue.get(key)
    assert situation is not None
    assert REQUIRED[key] <= set(situation.variants)
    if key in NO_REPLY:
        assert situation.first_variant() == "steps"
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", situation.why.strip()) if s]
    assert 1 <= len(sentences) <= 4, f"{key}: 'why' should be 2-4 short sentences"
    assert situation.aliases and len(situation.examples) >= 5


@pytest.mark.parametrize("key", KEYS)
def test_citations_come_only_from_the_ethics_table(catalogue: Catalogue, key: str) -> None:
    situation = catalogue.get(key)
    assert situation is not None
    unknown = set(situation.citations) - allowed_citations()
    assert not unknown, f"{key} cites sections not in ETHICS.md: {sorted(unknown)}"


def test_crisis_post_leads_with_the_crisis_steps(catalogue: Catalogue) -> None:
    situation = catalogue.get("crisis-post")
    assert situation is not None
    assert situation.first_variant() == "steps" and situation.ordered_variants()[0] == "steps"
    steps = situation.variants["steps"].text.splitlines()
    assert "do not reply" in steps[0].lower() and "platform" in steps[0].lower()
    assert "crisis plan" in steps[1].lower()
    numbers = " ".join(steps[:3]) + situation.summary
    for number in ("988", "911", "999", "116 123"):
        assert number in numbers


def test_former_client_points_to_the_licensing_board(catalogue: Catalogue) -> None:
    situation = catalogue.get("former-client")
    assert situation is not None
    everything = " ".join([situation.why, *(v.text + (v.note or "") for v in situation.variants.values())])
    assert "licensing board" in everything.lower()
    assert not re.search(r"\b\d+ years?\b", everything), "no single time limit for every board"


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.usefixtures("offline_textstat")
def test_client_facing_words_are_plain_and_fit_one_section(catalogue: Catalogue, key: str) -> None:
    situation = catalogue.get(key)
    assert situation is not None
    for name in (*CLIENT_FACING, "clause"):
        if name not in situation.variants:
            continue
        text = catalogue.fill(situation.variants[name].text)
        limit = 130 if name == "clause" else 120
        assert len(text) < 3000 and len(text.split()) <= limit, f"{key}/{name} is too long"
        grade = textstat.flesch_kincaid_grade(text)
        assert grade <= 8.0, f"{key}/{name} reads at grade {grade:.1f}"


def test_no_placeholder_is_left_unfilled_with_the_defaults(catalogue: Catalogue) -> None:
    for situation in catalogue:
        texts = [situation.summary, situation.why]
        for variant in situation.variants.values():
            texts += [variant.text, variant.note or ""]
        for text in texts:
            filled = catalogue.fill(text)
            assert not PLACEHOLDER.search(filled), f"{situation.key}: {filled!r}"


def test_body_text_uses_only_the_markup_renderers_know(catalogue: Catalogue) -> None:
    """Lines are plain text, '- ' bullets or '1. ' steps; steps are numbered in order."""
    for situation in catalogue:
        for name, variant in situation.variants.items():
            numbers = [int(m.group(1)) for m in re.finditer(r"^(\d+)\. ", variant.text, flags=re.M)]
            assert numbers == list(range(1, len(numbers) + 1)), f"{situation.key}/{name}"
            assert "#" not in variant.text and "**" not in variant.text
