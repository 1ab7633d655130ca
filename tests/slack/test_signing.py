"""Our test signer matches Slack's published example, and Bolt's verifier agrees with it."""

from __future__ import annotations

from slack_sdk.signature import SignatureVerifier

from tests.slack.signing import signature

# From Slack's "Verifying requests from Slack" page.
VECTOR_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
VECTOR_TIMESTAMP = 1531420618
VECTOR_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
VECTOR_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_signer_reproduces_slacks_published_signature() -> None:
    assert signature(VECTOR_SECRET, VECTOR_TIMESTAMP, VECTOR_BODY) == VECTOR_SIGNATURE


def test_bolts_verifier_accepts_the_vector_only_at_its_time() -> None:
    at_the_time = SignatureVerifier(VECTOR_SECRET, clock=_Clock(VECTOR_TIMESTAMP + 10))
    assert at_the_time.is_valid(VECTOR_BODY, VECTOR_TIMESTAMP, VECTOR_SIGNATURE)
    six_minutes_later = SignatureVerifier(VECTOR_SECRET, clock=_Clock(VECTOR_TIMESTAMP + 360))
    assert not six_minutes_later.is_valid(VECTOR_BODY, VECTOR_TIMESTAMP, VECTOR_SIGNATURE)


class _Clock:
    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now
