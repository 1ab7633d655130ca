"""The learned component: it ships, loads, answers the same way every time, never adds wrong keys to
vague or unrelated text, and understands wording and typos the rules alone leave "not sure".

Honest figures (each final set left out of training): tests/bench/RESULTS-content.md, "Learned
component"; `python scripts/train_matcher.py --evaluate` reproduces them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.catalogue import Catalogue
from bot.content.matcher import Matcher
from bot.content.model import MODEL_PATH, NONE_CLASS, Model, load_model
from tests.content.conftest import DATA, phrasings

#: Every labelled set; a set with "eval" in its name belongs to a later, independent evaluation.
SETS = sorted(path.name for path in DATA.glob("*.yaml") if "eval" not in path.name.lower())
NULLS = [text for name in SETS for text, expected in phrasings(name) if expected is None]


@pytest.fixture(scope="module")
def rules_only(catalogue: Catalogue) -> Matcher:
    return Matcher(catalogue, model=False)


def test_the_model_ships_small_and_knows_every_situation(catalogue: Catalogue) -> None:
    model = load_model()
    assert model is not None, "bot/content/model.json.gz is missing: run python scripts/train_matcher.py"
    assert MODEL_PATH.stat().st_size < 1024 * 1024
    assert set(model.classes) == {*catalogue.keys(), NONE_CLASS}
    # Calibrated to answer only when clearly sure.
    assert model.thresholds.answer >= 0.5 and model.thresholds.margin > 0


def test_a_fresh_load_gives_the_same_answers(catalogue: Catalogue, matcher: Matcher) -> None:
    load_model.cache_clear()
    fresh = Matcher(catalogue)
    texts = [text for name in SETS for text, _expected in phrasings(name)]
    assert [fresh.match(text) for text in texts] == [matcher.match(text) for text in texts]
    assert [fresh.match(text) for text in texts] == [fresh.match(text) for text in texts]


def test_a_missing_model_file_leaves_the_rules_working(catalogue: Catalogue, tmp_path: Path) -> None:
    assert load_model(tmp_path / "absent.json.gz") is None
    plain = Matcher(catalogue, model=load_model(tmp_path / "absent.json.gz"))
    assert plain.match("client sent me a friend request on facebook").situation == "friend-request"


def test_a_malformed_model_file_is_refused() -> None:
    with pytest.raises(ValueError):
        Model.from_json({"classes": ["a", "b"], "bias": [0.0], "weights": {}, "thresholds": {}})


def test_vague_or_unrelated_text_rarely_gets_a_key(matcher: Matcher) -> None:
    """Over every null phrasing of every set: at most 2% answered with a key (the rules' own bar)."""
    wrong = [f"{text!r} -> {got}" for text in NULLS if (got := matcher.match(text).situation) is not None]
    assert len(NULLS) >= 140
    assert len(wrong) <= 0.02 * len(NULLS), wrong


def test_the_model_never_turns_a_rules_not_sure_on_null_text_into_a_key(
    matcher: Matcher, rules_only: Matcher
) -> None:
    added = [
        text
        for text in NULLS
        if rules_only.match(text).situation is None and matcher.match(text).how == "model"
    ]
    assert added == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Wording none of the sets, aliases or cues has: the rules alone say "not sure".
        ("client knows my running times from strava", "found-online"),
        ("clint saw my holliday fotos", "found-online"),  # typos the corrector leaves alone
        ("client posted that she has a plan and a date", "crisis-post"),
    ],
)
def test_new_wording_and_typos_now_answer(
    matcher: Matcher, rules_only: Matcher, text: str, expected: str
) -> None:
    assert rules_only.match(text).situation is None
    result = matcher.match(text)
    assert (result.situation, result.how) == (expected, "model")


def test_when_the_rules_are_sure_they_answer(matcher: Matcher) -> None:
    result = matcher.match("client sent me a friend request on facebook")
    assert (result.situation, result.how) == ("friend-request", "fuzzy")
    assert matcher.match("she says she wants to kill herself").how == "crisis"
