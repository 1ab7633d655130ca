"""The independent evaluation set: phrasings written by someone who never read the matcher or its data.

`phrasings_eval.yaml` is excluded from training and was never tuned against. Measured once the
learned component was in: 98.0% correct (147/150), 1 wrong ("fromer client sent me a request" ->
friend-request), 2 not sure, no crisis phrasing missed. The rules alone measured 96.0% before the
learned component. Floors sit about five points under the measurement.
"""

from __future__ import annotations

from bot.content.matcher import Matcher
from tests.content.conftest import phrasings

EVAL = phrasings("phrasings_eval.yaml")


def test_independent_set_is_answered_at_least_93_percent(matcher: Matcher) -> None:
    results = [(expected, matcher.match(text).situation) for text, expected in EVAL]
    correct = sum(got == expected for expected, got in results)
    wrong = sum(got is not None and got != expected for expected, got in results)
    assert len(EVAL) == 150
    assert correct / len(EVAL) >= 0.93, correct
    assert wrong <= 2, "a wrong script is worse than a question back"


def test_no_crisis_phrasing_of_the_independent_set_is_missed(matcher: Matcher) -> None:
    for text, expected in EVAL:
        if expected != "crisis-post":
            continue
        found = matcher.match(text)
        assert found.situation == "crisis-post" or (
            found.situation is None and found.suggestions[:1] == ("crisis-post",)
        ), text
