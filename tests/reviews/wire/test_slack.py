"""The review at the Slack wire: the nudge as Block Kit in the member's DM with its metadata, the Done
button clicked through the real server, a new workspace member from `team_join`, and the App Home."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from adapters.runtime import Runtime
from adapters.scheduler import tick
from tests.fakes import FakeClock
from tests.slack.conftest import Wire
from tests.slack.fake_slack import settle
from tests.slack.signing import block_action, event_body
from tests.slack.test_command import elements, texts

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


async def test_nudge_arrives_in_the_dm_and_done_closes_it(
    wire: Wire, runtime: Runtime, clock: FakeClock
) -> None:
    clock.set(MONDAY)
    await wire.command("help", user="U7")  # first contact registers the workspace and the clinician
    await tick(runtime, MONDAY)
    [posted] = await wire.fake.wait_for("chat.postMessage")
    assert posted.args["channel"] == "DU7"
    assert posted.args["metadata"]["event_payload"]["delivery"].startswith("boundary-review-")
    shown = texts(posted.args["blocks"])
    assert "The practice's ten policy points" in shown and "Your personal privacy checks" in shown
    done = next(b for b in elements(posted.args["blocks"], "button") if b["text"]["text"] == "Done")
    response = await wire.interact(block_action(done, user="U7", response_url=wire.fake.response_url("done")))
    assert response.status == 200
    [answer] = await wire.fake.wait_for("response_url")
    assert answer.args["replace_original"] is True
    assert "Review done" in texts(answer.args["blocks"])
    store = runtime.extras["review_store"]
    practice = runtime.practices.find("slack", "T0FAKE")
    assert practice is not None
    cycle = store.current_cycle(practice.id)
    assert [row.task.status for row in store.status(practice.id, cycle.id)] == ["done"]
    await tick(runtime, datetime(2026, 3, 9, 10, 0, tzinfo=UTC))  # no follow-up after Done
    await settle(wire.fake)
    assert len(wire.fake.calls_to("chat.postMessage")) == 1


async def test_someone_joining_the_workspace_gets_a_review_in_their_zone(
    wire: Wire, runtime: Runtime, clock: FakeClock
) -> None:
    clock.set(MONDAY)
    await wire.command("help", user="U1")
    await tick(runtime, MONDAY)
    await wire.fake.wait_for("chat.postMessage")
    user = {
        "id": "U9",
        "name": "new",
        "real_name": "New Clinician",
        "tz": "America/New_York",
        "deleted": False,
    }
    await wire.post(json.dumps(event_body({"type": "team_join", "user": user})), json_body=True)
    await settle(wire.fake)
    await tick(runtime, MONDAY)  # 05:00 in New York: not yet
    await settle(wire.fake)
    assert [c.args["channel"] for c in wire.fake.calls_to("chat.postMessage")] == ["DU1"]
    await tick(runtime, datetime(2026, 3, 2, 14, 0, tzinfo=UTC))  # 09:00 in New York
    calls = await wire.fake.wait_for("chat.postMessage", 2)
    assert calls[-1].args["channel"] == "DU9"
