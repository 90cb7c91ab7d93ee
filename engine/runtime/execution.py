"""An execution's whole state as plain data: frames, pending tasks and timers, counters.

Owned by the stepper while it runs: `step()` updates the Execution it is given. Runners that
need the state before a step keep `to_json()`; `from_json()` rebuilds it in any process.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

from engine.data.context import DeferredRandom
from engine.definition.model import StateMachine
from engine.json import JSON


@dataclass(slots=True)
class Frame:
    """One thread of control: the machine itself, a Parallel branch or a Map iteration."""

    id: str
    scope: str  # pointer of the Scope whose states this frame runs ("" is the machine)
    state: str  # the current state's name
    input: JSON  # the current state's raw input
    status: str = "running"  # running | waiting | done | failed
    parent: str | None = None
    index: int = 0  # branch or item index within the parent's Parallel or Map
    variables: dict[str, JSON] = field(default_factory=dict)
    entered: bool = False
    entered_event_id: int = 0
    entered_time: float = 0.0
    retries: list[int] = field(default_factory=list)  # attempts used, per Retrier of this state
    waiting_on: str | None = None  # the task id or timer id this frame waits for
    task: dict[str, Any] | None = None  # the in-flight task: effective input, timers, retry count
    fanout: dict[str, Any] | None = None  # Parallel/Map bookkeeping while children run
    map_item: dict[str, Any] | None = None  # {"Index": i, "Value": v} inside a Map iteration
    output: JSON = None
    error: str | None = None
    cause: str | None = None
    fatal: bool = False  # failed with a terminal error: no Catch above may take it

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class Execution:
    machine: StateMachine
    input: JSON
    start: dict[str, Any]  # ARNs, name, start time, role, seed, redrive count
    status: str = "RUNNING"
    output: JSON = None
    error: str | None = None
    cause: str | None = None
    last_event_id: int = 0
    counter: int = 0  # for task, timer and frame ids and per-use random seeds
    frames: dict[str, Frame] = field(default_factory=dict)
    waits: dict[str, str] = field(default_factory=dict)  # task id or timer id -> frame id
    execution_timer: str | None = None

    @property
    def closed(self) -> bool:
        return self.status != "RUNNING"

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def rng(self) -> random.Random:
        """A generator for one use, seeded from the execution's seed: replays draw the same values."""
        return self.rng_for(self.claim_seed())

    def claim_seed(self) -> int:
        """The next generator's number, taken now; `rng_for` makes the generator if it is needed."""
        self.counter += 1
        return self.counter

    def rng_for(self, number: int) -> random.Random:
        # seeded on its first draw: many evaluations that take a generator never draw
        return DeferredRandom(f"{self.start['seed']}:{number}")

    def to_json(self) -> dict[str, Any]:
        return copy.deepcopy(
            {
                "input": self.input,
                "start": self.start,
                "status": self.status,
                "output": self.output,
                "error": self.error,
                "cause": self.cause,
                "last_event_id": self.last_event_id,
                "counter": self.counter,
                "frames": {key: frame.to_json() for key, frame in self.frames.items()},
                "waits": self.waits,
                "execution_timer": self.execution_timer,
            }
        )

    @classmethod
    def from_json(cls, data: dict[str, Any], machine: StateMachine) -> Execution:
        data = copy.deepcopy(data)
        frames = {key: Frame(**value) for key, value in data.pop("frames").items()}
        return cls(machine=machine, frames=frames, **data)
