"""Clocks for runners: the engine itself only ever sees `now` as a number (epoch seconds)."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...

    def wait_until(self, moment: float) -> None: ...


class SystemClock:
    """Real time: waiting sleeps."""

    def now(self) -> float:
        return time.time()

    def wait_until(self, moment: float) -> None:
        delay = moment - time.time()
        if delay > 0:
            time.sleep(delay)


class VirtualClock:
    """Time that jumps: a one-year Wait completes at once, and timestamps still move on."""

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else start

    def now(self) -> float:
        return self._now

    def wait_until(self, moment: float) -> None:
        self._now = max(self._now, moment)
