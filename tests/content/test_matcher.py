"""The matcher answers the way clinicians actually type, and says "not sure" rather than guess.

The tuning set (phrasings.yaml) must score 95% or better. The held-out set (phrasings_holdout.yaml)
was written after the first tuning. The blind set (phrasings_blind.yaml) was written before anyone
read the matcher or its situation files, by the way clinicians type in Slack; the matcher's cues were
then improved with it in view (general mechanisms only, none of its phrasings copied into the
situation files). The final set (phrasings_final.yaml) was written after tuning stopped and never
tuned against: its figure is the honest estimate for new phrasings. Round 2 repeated this: the round-2
set (phrasings_round2.yaml) was written in a deliberately different style before anyone read the
matcher, then guided general changes; the round-2 final set (phrasings_round2_final.yaml) was written
after tuning stopped (90.0% when first measured). Round 3 did it again with new personas and platforms
(phrasings_round3.yaml: 77.1% before, 99.2% after) and a final set written after tuning stopped
(phrasings_round3_final.yaml: 71.2% when first measured, 19 of 22 crisis phrasings missed; 88.5% after
a crisis-only fix). Figures: tests/bench/RESULTS-content.md.
"""

from __future__ import annotations

import pytest

from bot.content.catalogue import Catalogue
from bot.content.matcher import Matcher, normalize
from tests.content.conftest import phrasings

TUNING = phrasings("phrasings.yaml")
HOLDOUT = phrasings("phrasings_holdout.yaml")
BLIND = phrasings("phrasings_blind.yaml")
FINAL = phrasings("phrasings_final.yaml")
ROUND2 = phrasings("phrasings_round2.yaml")
ROUND2_FINAL = phrasings("phrasings_round2_final.yaml")
ROUND3 = phrasings("phrasings_round3.yaml")
ROUND3_FINAL = phrasings("phrasings_round3_final.yaml")
ALL = [*TUNING, *HOLDOUT, *BLIND]


def accuracy(matcher: Matcher, items: list[tuple[str, str | None]]) -> tuple[float, list[str]]:
    misses = []
    for text, expected in items:
        got = matcher.match(text).situation
        if got != expected:
            misses.append(f"{text!r}: expected {expected}, got {got}")
    return 1 - len(misses) / len(items), misses


def test_sets_are_big_enough_and_use_known_keys(catalogue: Catalogue) -> None:
    assert len(TUNING) >= 150 and len(HOLDOUT) >= 40 and len(BLIND) >= 200
    assert sum(expected is None for _text, expected in BLIND) >= 20
    assert len(ROUND2) >= 220 and sum(expected == "crisis-post" for _text, expected in ROUND2) >= 40
    assert sum(expected is None for _text, expected in ROUND2) >= 25
    assert len(ROUND2_FINAL) >= 80
    assert sum(expected == "crisis-post" for _text, expected in ROUND2_FINAL) >= 12
    assert len(ROUND3) >= 250 and sum(expected == "crisis-post" for _text, expected in ROUND3) >= 45
    assert sum(expected is None for _text, expected in ROUND3) >= 30
    assert len(ROUND3_FINAL) >= 100
    assert sum(expected == "crisis-post" for _text, expected in ROUND3_FINAL) >= 20
    for _text, expected in [*ALL, *FINAL, *ROUND2, *ROUND2_FINAL, *ROUND3, *ROUND3_FINAL]:
        assert expected is None or expected in catalogue


def test_tuning_set_is_answered_correctly_at_least_95_percent(matcher: Matcher) -> None:
    score, misses = accuracy(matcher, TUNING)
    print(f"tuning set: {score:.1%} of {len(TUNING)}")
    assert score >= 0.95, "\n".join(misses)


def test_holdout_set_stays_above_its_floor(matcher: Matcher) -> None:
    score, misses = accuracy(matcher, HOLDOUT)
    print(f"held-out set: {score:.1%} of {len(HOLDOUT)}")
    assert score >= 0.85, "\n".join(misses)


def test_blind_set_is_answered_correctly_at_least_97_percent(matcher: Matcher) -> None:
    score, misses = accuracy(matcher, BLIND)
    print(f"blind set: {score:.1%} of {len(BLIND)}")
    assert score >= 0.97, "\n".join(misses)


def test_final_set_stays_above_its_floor(matcher: Matcher) -> None:
    """Never tuned against: 84.7% when written (RESULTS-content.md); the floor sits 5 points under."""
    score, misses = accuracy(matcher, FINAL)
    print(f"final set: {score:.1%} of {len(FINAL)}")
    assert len(FINAL) >= 60 and score >= 0.79, "\n".join(misses)


def test_final_set_wrong_answers_stay_rare(matcher: Matcher) -> None:
    wrong = wrong_answers(matcher, FINAL)
    assert len(wrong) <= 0.05 * len(FINAL), wrong


def test_round2_set_stays_above_its_floor(matcher: Matcher) -> None:
    """Written before reading the matcher, then used to guide round 2: 81.9% before, 99.3% after."""
    score, misses = accuracy(matcher, ROUND2)
    print(f"round-2 set: {score:.1%} of {len(ROUND2)}")
    assert score >= 0.94, "\n".join(misses)


def test_round2_final_set_stays_above_its_floor(matcher: Matcher) -> None:
    """Written after round-2 tuning stopped: 90.0% when first measured; the floor sits 5 points under."""
    score, misses = accuracy(matcher, ROUND2_FINAL)
    print(f"round-2 final set: {score:.1%} of {len(ROUND2_FINAL)}")
    assert score >= 0.85, "\n".join(misses)


def test_round2_wrong_answers_stay_rare(matcher: Matcher) -> None:
    items = [*ROUND2, *ROUND2_FINAL]
    wrong = wrong_answers(matcher, items)
    assert len(wrong) <= 0.02 * len(items), wrong


def test_round3_set_stays_above_its_floor(matcher: Matcher) -> None:
    """New personas and platforms, written before reading the matcher, then used to guide round 3:
    77.1% before, 99.2% after; the floor sits 5 points under."""
    score, misses = accuracy(matcher, ROUND3)
    print(f"round-3 set: {score:.1%} of {len(ROUND3)}")
    assert score >= 0.94, "\n".join(misses)


def test_round3_final_set_stays_above_its_floor(matcher: Matcher) -> None:
    """Written after round-3 tuning stopped: 71.2% when first measured, 88.5% after a crisis-only fix
    (so no longer unseen); the floor sits 5 points under the current figure."""
    score, misses = accuracy(matcher, ROUND3_FINAL)
    print(f"round-3 final set: {score:.1%} of {len(ROUND3_FINAL)}")
    assert score >= 0.83, "\n".join(misses)


def test_round3_wrong_answers_stay_rare(matcher: Matcher) -> None:
    items = [*ROUND3, *ROUND3_FINAL]
    wrong = wrong_answers(matcher, items)
    assert len(wrong) <= 0.02 * len(items), wrong


def wrong_answers(matcher: Matcher, items: list[tuple[str, str | None]]) -> list[str]:
    return [
        f"{text!r}: expected {expected}, got {got}"
        for text, expected in items
        if (got := matcher.match(text).situation) is not None and got != expected
    ]


def test_when_wrong_it_is_almost_always_unsure_rather_than_a_wrong_script(matcher: Matcher) -> None:
    wrong = wrong_answers(matcher, ALL)
    assert len(wrong) <= 0.01 * len(ALL), wrong


@pytest.mark.parametrize("text", [t for t, e in [*ALL, *ROUND2, *ROUND3] if e is None])
def test_unrelated_or_vague_text_gets_suggestions_not_an_answer(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.situation is None and result.how == "none"
    assert 1 <= len(result.suggestions) <= 3


@pytest.mark.parametrize(
    "text",
    [
        *(t for t, e in ALL if e == "crisis-post"),
        "client tagged me in a post about wanting to die",
        "ex-client dmed me saying she is suicidal",
        "client commented on my post that he wants to kill himself",
        "client invited me to what sounds like a goodbye party, posts mention overdose",
        "pt posted about self harm",
        "Client’s story: 'i cant do this anymore, ending it all'",
    ],
)
def test_crisis_wording_is_never_missed(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).situation == "crisis-post"


@pytest.mark.parametrize("text", [t for t, e in [*ALL, *ROUND2, *ROUND3] if e == "crisis-post"])
def test_every_crisis_phrasing_of_the_tuned_sets_answers_crisis(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).situation == "crisis-post"


@pytest.mark.parametrize("text", [t for t, e in [*FINAL, *ROUND2_FINAL, *ROUND3_FINAL] if e == "crisis-post"])
def test_final_sets_answer_crisis_or_offer_it_first(matcher: Matcher, text: str) -> None:
    """Sets never tuned against: crisis must at least be the first thing offered, never hidden."""
    result = matcher.match(text)
    assert result.situation == "crisis-post" or (
        result.situation is None and result.suggestions[:1] == ("crisis-post",)
    )


@pytest.mark.parametrize(
    "text",
    [
        "client posted about her grandma's funeral, says she is at peace with it now",
        "client posted that her little boy was hit at school today",
    ],
)
def test_two_crisis_families_or_a_child_with_harm_lean_crisis(matcher: Matcher, text: str) -> None:
    """The structured net leans crisis: a wrong crisis answer costs a click back, a miss can cost a life."""
    assert matcher.match(text).situation == "crisis-post"


def test_people_outside_the_practice_are_not_client_situations(matcher: Matcher) -> None:
    for text in ("my mum sent me a friend request", "a colleague invited me to her wedding"):
        assert matcher.match(text).situation is None
    assert matcher.match("my mum's friend is my client and sent me a friend request").situation == (
        "friend-request"
    )


def test_crisis_comes_first_among_suggestions_when_unsure(catalogue: Catalogue) -> None:
    # Rules only: nothing is ever sure, only suggestions (the learned model would answer crisis here).
    strict = Matcher(catalogue, threshold=1000.0, model=False)
    result = strict.match("client posted something worrying, seems not safe at all")
    assert result.situation == "crisis-post"  # crisis wording answers even then
    unsure = strict.match("client post about her dark thoughts and dying")
    assert unsure.situation is None and unsure.suggestions[0] == "crisis-post"
    with_model = Matcher(catalogue, threshold=1000.0)
    assert with_model.match("client post about her dark thoughts and dying").situation == "crisis-post"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("current client sent me a friend request", "friend-request"),
        ("former client sent me a friend request", "former-client"),
        ("client wants coffee", "invitation"),
        ("ex-client wants coffee", "former-client"),
        ("client messaged me on fb", "direct-message"),
        ("client i saw years ago messaged me on fb", "former-client"),
        ("googled my client", "client-search"),
        ("my current client used to follow me before therapy", "friend-request"),
    ],
)
def test_current_and_former_clients_route_apart(matcher: Matcher, text: str, expected: str) -> None:
    assert matcher.match(text).situation == expected


def test_keys_and_aliases_answer_exactly(matcher: Matcher) -> None:
    assert matcher.match("friend-request").how == "key"
    assert matcher.match("Friend Request").situation == "friend-request"
    alias = matcher.match("testimonial")
    assert (alias.situation, alias.how) == ("review-request", "alias")


def test_shorthand_and_typos_are_understood(matcher: Matcher) -> None:
    assert normalize("Pt DMed me on IG!!") == "client direct messaged me on instagram"
    assert normalize("ex-pt's fb") == "former client facebook"
    assert matcher.match("clinet sent me a freind reqest on insta").situation == "friend-request"


def test_empty_text_offers_suggestions(matcher: Matcher) -> None:
    result = matcher.match("  ?! ")
    assert result.situation is None and result.suggestions
