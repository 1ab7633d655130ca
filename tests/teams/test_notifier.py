"""Proactive Teams messages against the fake connector: stored references, channels, retries."""

from __future__ import annotations

import random

import pytest
from aiohttp.test_utils import TestClient

from adapters.runtime import Runtime
from adapters.teams.notifier import NoConversation, RetryPolicy, TeamsNotifier
from bot.messages import Reply, Section
from bot.records import Member, Practice
from tests.teams.conftest import APP_ID, TENANT, message
from tests.teams.fake_connector import FakeConnector
from tests.teams.test_wire import post, texts
from tests.teams.tokens import OpenIdServer

NUDGE = Reply(title="Time for your yearly policy review", sections=(Section("It takes about ten minutes."),))


async def alice(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, runtime: Runtime
) -> tuple[Practice, Member]:
    await post(client, openid, message("help", service_url=connector.url))
    connector.sent.clear()
    practice = runtime.practices.find("teams", TENANT)
    assert practice is not None
    member = runtime.members.find(practice.id, "aad-alice")
    assert member is not None
    return practice, member


def notifier_with(runtime: Runtime, waits: list[float]) -> TeamsNotifier:
    registered = runtime.notifiers["teams"]
    assert isinstance(registered, TeamsNotifier)

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return TeamsNotifier(
        registered._adapter,
        registered.references,
        APP_ID,
        policy=RetryPolicy(attempts=4),
        sleep=sleep,
        rand=random.Random(7).uniform,
    )


async def test_direct_message_is_retried_after_429_and_honours_retry_after(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    practice, member = await alice(client, openid, connector, teams_runtime)
    waits: list[float] = []
    connector.fail_next(429, retry_after="2")

    sent = await notifier_with(teams_runtime, waits).send_direct(practice, member, NUDGE)

    assert connector.refused == [429]
    assert len(connector.sent) == 1 and NUDGE.title in texts(connector.sent[0].card)
    assert sent.message_id and connector.sent[0].conversation_id == "a:1-personal-alice"
    assert len(waits) == 1 and waits[0] >= 2.0


async def test_transient_gateway_errors_back_off_exponentially(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    practice, member = await alice(client, openid, connector, teams_runtime)
    waits: list[float] = []
    connector.fail_next(502)
    connector.fail_next(504)
    connector.fail_next(412)

    await notifier_with(teams_runtime, waits).send_direct(practice, member, NUDGE)

    assert connector.refused == [502, 504, 412] and len(connector.sent) == 1
    policy = RetryPolicy(attempts=4)
    assert all(0 <= wait <= policy.base_seconds * 2**attempt for attempt, wait in enumerate(waits))


async def test_gives_up_after_the_last_attempt_and_other_errors_are_not_retried(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    practice, member = await alice(client, openid, connector, teams_runtime)
    waits: list[float] = []
    notifier = notifier_with(teams_runtime, waits)
    connector.fail_next(429, times=4)
    with pytest.raises(Exception):  # noqa: B017 - the SDK's own error type
        await notifier.send_direct(practice, member, NUDGE)
    assert connector.refused == [429] * 4 and connector.sent == [] and len(waits) == 3

    connector.fail_next(403)
    with pytest.raises(Exception):  # noqa: B017
        await notifier.send_direct(practice, member, NUDGE)
    assert connector.refused[-1] == 403 and len(waits) == 3


async def test_channel_post_and_thread_reply(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    practice, _member = await alice(client, openid, connector, teams_runtime)
    notifier = teams_runtime.notifiers["teams"]

    root = await notifier.send_channel(practice, "19:consult@thread.tacv2", NUDGE)
    await notifier.send_channel(practice, "19:consult@thread.tacv2", NUDGE, thread=root.message_id)

    assert [sent.conversation_id for sent in connector.sent] == [
        "19:consult@thread.tacv2",
        f"19:consult@thread.tacv2;messageid={root.message_id}",
    ]


async def test_member_never_seen_in_teams_is_reported_not_guessed(
    client: TestClient, openid: OpenIdServer, connector: FakeConnector, teams_runtime: Runtime
) -> None:
    practice, _member = await alice(client, openid, connector, teams_runtime)
    stranger = teams_runtime.members.get_or_create(
        practice.id, "aad-stranger", None, None, teams_runtime.clock.now()
    )
    with pytest.raises(NoConversation):
        await teams_runtime.notifiers["teams"].send_direct(practice, stranger, NUDGE)
    assert connector.sent == []
    assert await teams_runtime.notifiers["teams"].find_direct(practice, stranger, "key") is None
