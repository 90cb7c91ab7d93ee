"""What the stepper asks its runner to carry out. Plain data; the runner owns all I/O."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from engine.json import JSON


@dataclass(frozen=True, slots=True)
class InvokeTask:
    """Call a Task state's resource; the outcome returns as TaskSucceeded or TaskFailed."""

    task_id: str  # unique within the execution; happenings name it
    resource: str  # the Resource ARN as written (integration suffixes included)
    parameters: JSON  # the effective input: after InputPath and Parameters / Arguments
    state_name: str
    timeout_seconds: float | None = None
    heartbeat_seconds: float | None = None
    task_token: str | None = None  # set for `.waitForTaskToken` and activities
    credentials: JSON = None

    kind = "InvokeTask"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}


@dataclass(frozen=True, slots=True)
class StartTimer:
    """Fire TimerFired(timer_id) at `due` (epoch seconds): Wait states, retries, timeouts."""

    timer_id: str
    due: float
    purpose: str  # "wait" | "retry" | "task-timeout" | "heartbeat" | "execution-timeout"

    kind = "StartTimer"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}


@dataclass(frozen=True, slots=True)
class CancelTimer:
    """A timer that no longer matters (the task finished before its timeout)."""

    timer_id: str

    kind = "CancelTimer"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}


@dataclass(frozen=True, slots=True)
class CancelTask:
    """A task whose result no longer matters (timed out, its branch failed, stopped)."""

    task_id: str

    kind = "CancelTask"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}


@dataclass(frozen=True, slots=True)
class Finish:
    """The execution ended. `status` is SUCCEEDED, FAILED, TIMED_OUT or ABORTED."""

    status: str
    output: JSON = None
    error: str | None = None
    cause: str | None = None

    kind = "Finish"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}


Effect = InvokeTask | StartTimer | CancelTimer | CancelTask | Finish

_KINDS: dict[str, type[Any]] = {c.kind: c for c in (InvokeTask, StartTimer, CancelTimer, CancelTask, Finish)}


def effect_from_json(data: dict[str, Any]) -> Effect:
    fields = dict(data)
    cls = _KINDS[fields.pop("kind")]
    effect: Effect = cls(**fields)
    return effect
