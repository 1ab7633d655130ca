"""Fixtures for the script library's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.content.catalogue import Catalogue
from bot.content.matcher import Matcher

DATA = Path(__file__).parent / "data"


def phrasings(name: str) -> list[tuple[str, str | None]]:
    items = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return [(item["text"], item["expected"]) for item in items]


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue.load()


@pytest.fixture(scope="session")
def matcher(catalogue: Catalogue) -> Matcher:
    return Matcher(catalogue)


@pytest.fixture
def offline_textstat(monkeypatch: pytest.MonkeyPatch) -> None:
    """textstat counts syllables with NLTK's CMU dictionary and tries to download it on first use.
    Tests run offline, so when the dictionary is not installed, count with textstat's own
    hyphenation fallback (pyphen) instead of reaching for the network."""
    import nltk
    from textstat.backend.counts import _count_syllables

    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        monkeypatch.setattr(_count_syllables, "get_cmudict", lambda _lang: None)
        _count_syllables.count_syllables.cache_clear()
