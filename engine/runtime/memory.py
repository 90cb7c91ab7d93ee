"""The in-memory runner: loops step() and carries out its effects (Express, the CLI, tests).

With a VirtualClock, Waits and retry delays complete at once while timestamps still advance;
with the SystemClock the runner sleeps until the next timer is due (the engine never does).
"""

from __future__ import annotations

import heapq
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Protocol

from engine.clock import Clock, VirtualClock
from engine.definition.model import StateMachine
from engine.integrations import Integrations
from engine.json import JSON
from engine.runtime.effects import CancelTask, CancelTimer, Effect, Finish, InvokeTask, StartTimer
from engine.runtime.execution import Execution
from engine.runtime.happenings import Happening, Start, TimerFired
from engine.runtime.history import HistoryEvent
from engine.runtime.stepper import start, step


@dataclass
class RunResult:
    status: str  # SUCCEEDED | FAILED | TIMED_OUT | ABORTED | RUNNING (waiting on a callback)
    output: JSON = None
    error: str | None = None
    cause: str | None = None
    events: list[HistoryEvent] = field(default_factory=list)
    execution: Execution | None = None
    pending: dict[str, InvokeTask] = field(default_factory=dict)  # tasks waiting on a callback or worker

    def as_json(self) -> dict[str, Any]:
        if self.status == "SUCCEEDED":
            return {"status": self.status, "output": self.output}
        result: dict[str, Any] = {"status": self.status}
        if self.error is not None:
            result["error"] = self.error
        if self.cause is not None:
            result["cause"] = self.cause
        return result

    def event_types(self) -> list[str]:
        return [event["type"] for event in self.events]


class RunnerHooks(Protocol):
    """What a host of several executions (engine.local.LocalWorld) needs to hear from a runner."""

    def before_invoke(self, runner: MemoryRunner, call: InvokeTask) -> None: ...

    def task_abandoned(self, runner: MemoryRunner, call: InvokeTask) -> None: ...

    def finished(self, runner: MemoryRunner, finish: Finish) -> None: ...


class MemoryRunner:
    """Runs one execution to its end (or until only callbacks could move it)."""

    def __init__(
        self,
        machine: StateMachine,
        integrations: Integrations | None = None,
        clock: Clock | None = None,
        record_history: bool = True,
        hooks: RunnerHooks | None = None,
    ) -> None:
        self.machine = machine
        self.integrations = integrations or Integrations([])
        self.clock = clock or VirtualClock()
        self.record_history = record_history
        self.happenings: deque[Happening] = deque()
        self.timers: list[tuple[float, int, str]] = []
        self.cancelled: set[str] = set()
        self.pending: dict[str, InvokeTask] = {}
        self.events: list[HistoryEvent] = []
        self.finish: Finish | None = None
        self.execution: Execution | None = None
        self.hooks = hooks
        self.running = False  # inside resume(): a hook must not re-enter it
        self._sequence = 0

    def run(self, value: JSON, **start_fields: Any) -> RunResult:
        start_fields.setdefault("seed", secrets.token_hex(32))
        result = start(self.machine, Start(input=value, **start_fields), self.clock.now())
        self._absorb(result.execution, result.events, result.effects)
        return self.resume()

    def send(self, happening: Happening) -> RunResult:
        """Feed a happening from outside (a callback, a heartbeat, a stop) and run on."""
        self.happenings.append(happening)
        return self.resume()

    def resume(self) -> RunResult:
        self.running = True
        try:
            while self.finish is None:
                happening = self._next_happening()
                if happening is None:
                    break
                assert self.execution is not None
                result = step(self.execution, happening, self.clock.now())
                self._absorb(result.execution, result.events, result.effects)
        finally:
            self.running = False
        return self._result()

    def _next_happening(self) -> Happening | None:
        if self.happenings:
            return self.happenings.popleft()
        while self.timers:
            due, _, timer_id = heapq.heappop(self.timers)
            if timer_id in self.cancelled:
                self.cancelled.discard(timer_id)
                continue
            self.clock.wait_until(due)
            return TimerFired(timer_id)
        return None

    def _absorb(self, execution: Execution, events: list[HistoryEvent], effects: list[Effect]) -> None:
        self.execution = execution
        if self.record_history:
            self.events.extend(events)
        for effect in effects:
            self._carry_out(effect)

    def _carry_out(self, effect: Effect) -> None:
        if isinstance(effect, InvokeTask):
            if self.hooks is not None:
                self.hooks.before_invoke(self, effect)
            outcome = self.integrations.invoke(effect)
            happening = outcome.to_happening(effect.task_id)
            if happening is None:
                self.pending[effect.task_id] = effect
            else:
                self.happenings.append(happening)
        elif isinstance(effect, CancelTimer):
            self.cancelled.add(effect.timer_id)
        elif isinstance(effect, StartTimer):
            self._sequence += 1
            heapq.heappush(self.timers, (effect.due, self._sequence, effect.timer_id))
        elif isinstance(effect, CancelTask):
            call = self.pending.pop(effect.task_id, None)
            if call is not None and self.hooks is not None:
                self.hooks.task_abandoned(self, call)
        elif isinstance(effect, Finish):
            self.finish = effect
            if self.hooks is not None:
                self.hooks.finished(self, effect)

    def _result(self) -> RunResult:
        finish = self.finish
        if finish is None:
            return RunResult(
                "RUNNING", events=self.events, execution=self.execution, pending=dict(self.pending)
            )
        return RunResult(
            finish.status,
            finish.output,
            finish.error,
            finish.cause,
            self.events,
            self.execution,
            dict(self.pending),
        )


def run(
    machine: StateMachine,
    value: JSON,
    integrations: Integrations | None = None,
    clock: Clock | None = None,
    **start_fields: Any,
) -> RunResult:
    """Run `machine` on `value` in memory and return how it ended."""
    return MemoryRunner(machine, integrations, clock).run(value, **start_fields)
