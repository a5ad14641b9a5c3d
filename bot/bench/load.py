"""The load: conversations of a fixed script, sent one user at a time or by N users at
once in a closed loop (each sends its next message when the last reply arrives)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.bench.client import RestClient, new_sender


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = pct / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Figures:
    """Latencies (seconds) of the turns one run measured, and how long it measured."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    failed: int = 0  # turns without a proper reply (error item, empty, HTTP error)

    def ms(self, pct: float) -> float:
        return percentile(self.latencies, pct) * 1000

    @property
    def throughput(self) -> float:
        """Turns answered properly, per second: an empty reply is not an answer."""
        return (len(self.latencies) - self.failed) / self.seconds if self.seconds else 0.0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.latencies + other.latencies, self.seconds + other.seconds,
                       self.failed + other.failed)

    def as_dict(self) -> dict[str, float]:
        return {"turns": len(self.latencies), "unanswered": self.failed, "seconds": round(self.seconds, 1),
                "p50_ms": round(self.ms(50), 1), "p95_ms": round(self.ms(95), 1),
                "p99_ms": round(self.ms(99), 1), "answered_per_second": round(self.throughput, 1)}


async def single_user(urls: list[str], script: list[str], turns: int) -> Figures:
    """One user, one message at a time: a new conversation every len(script) turns."""
    figures = Figures()
    async with RestClient(urls) as client:
        start = time.perf_counter()
        sender = new_sender()
        for n in range(turns):
            if n and n % len(script) == 0:
                sender = new_sender()
            turn = await client.turn(sender, script[n % len(script)], retry=False)
            figures.latencies.append(turn.seconds)
            figures.failed += not turn.answered
        figures.seconds = time.perf_counter() - start
    return figures


async def closed_loop(urls: list[str], script: list[str], users: int, seconds: float,
                      warm_up: float = 3.0, every: float | None = None,
                      sample: Callable[[], None] | None = None) -> Figures:
    """`users` conversations at once for `warm_up` + `seconds`; turns that end in the
    warm-up are not counted. `sample` is called every `every` seconds meanwhile."""
    figures = Figures()
    async with RestClient(urls, connections=users + 4) as client:
        loop = asyncio.get_running_loop()
        begin = loop.time() + warm_up
        end = begin + seconds

        async def user() -> None:
            while loop.time() < end:
                sender = new_sender()
                for text in script:
                    turn = await client.turn(sender, text, retry=False)
                    if begin <= loop.time() <= end:
                        figures.latencies.append(turn.seconds)
                        figures.failed += not turn.answered
                    if loop.time() >= end:
                        return

        async def sampler() -> None:
            while every and sample and loop.time() < end:
                sample()
                await asyncio.sleep(every)

        await asyncio.gather(sampler(), *(user() for _ in range(users)))
        figures.seconds = seconds
    return figures
