"""The pacer keeps our sends inside the platform's windows, whatever the latency of each send."""

from __future__ import annotations

import asyncio

from bot.services.pacing import Pacer


class FakeTime:
    """A monotonic clock the pacer's sleeps move forward."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def busiest_window(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


async def test_a_workspace_gets_no_more_than_its_limit_in_any_second() -> None:
    clock = FakeTime()
    pacer = Pacer(workspace_limit=5, channel_limit=1, monotonic=clock.monotonic, sleep=clock.sleep)
    started: list[float] = []
    for member in range(12):
        async with pacer.slot("T1", f"U{member}"):
            started.append(clock.now)
            clock.now += 0.01  # each send takes 10 ms
    assert busiest_window(started) <= 5
    assert started[-1] < 3.0  # and it does not wait longer than the limit needs


async def test_one_channel_gets_one_message_a_second_and_other_workspaces_are_not_held_up() -> None:
    clock = FakeTime()
    pacer = Pacer(workspace_limit=50, channel_limit=1, monotonic=clock.monotonic, sleep=clock.sleep)
    same_channel: list[float] = []
    for _ in range(3):
        async with pacer.slot("T1", "U1"):
            same_channel.append(clock.now)
    assert busiest_window(same_channel) == 1
    async with pacer.slot("T2", "U1"):
        assert clock.now == same_channel[-1]  # a different workspace waits for nothing


async def test_a_slow_send_keeps_its_slot_until_a_window_after_it_finished() -> None:
    clock = FakeTime()
    pacer = Pacer(workspace_limit=1, channel_limit=1, monotonic=clock.monotonic, sleep=clock.sleep)
    async with pacer.slot("T1", "U1"):
        clock.now += 0.8  # the message may reach the platform at any moment up to here
    async with pacer.slot("T1", "U2"):
        assert clock.now >= 1.8
