"""What can happen to an execution: the only inputs of the stepper besides `now`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from engine.json import JSON


@dataclass(frozen=True, slots=True)
class Start:
    input: JSON
    execution_arn: str = "arn:aws:states:us-east-1:123456789012:execution:StateMachine:execution"
    state_machine_arn: str = "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine"
    name: str = "execution"
    role_arn: str = "arn:aws:iam::123456789012:role/StatecraftExecutionRole"
    seed: str = "0" * 64  # 256 random bits from the runner: task tokens and random values derive from it
    redrive_count: int = 0
    machine_type: str = "STANDARD"  # or "EXPRESS"
    synchronous: bool = False  # started by StartSyncExecution: no redrive, so no RedriveCount

    kind = "Start"


@dataclass(frozen=True, slots=True)
class TaskSucceeded:
    task_id: str
    output: JSON

    kind = "TaskSucceeded"


@dataclass(frozen=True, slots=True)
class TaskFailed:
    task_id: str
    error: str | None
    cause: str | None = None

    kind = "TaskFailed"


@dataclass(frozen=True, slots=True)
class TaskHeartbeat:
    task_id: str

    kind = "TaskHeartbeat"


@dataclass(frozen=True, slots=True)
class TaskStarted:
    """An activity worker or a callback target took the task (TaskStarted / ActivityStarted)."""

    task_id: str
    worker_name: str | None = None

    kind = "TaskStarted"


@dataclass(frozen=True, slots=True)
class TimerFired:
    timer_id: str

    kind = "TimerFired"


@dataclass(frozen=True, slots=True)
class Stop:
    error: str | None = None
    cause: str | None = None

    kind = "Stop"


Happening = Start | TaskSucceeded | TaskFailed | TaskHeartbeat | TaskStarted | TimerFired | Stop

_KINDS: dict[str, type[Any]] = {
    c.kind: c for c in (Start, TaskSucceeded, TaskFailed, TaskHeartbeat, TaskStarted, TimerFired, Stop)
}


def happening_to_json(happening: Happening) -> dict[str, Any]:
    return {"kind": happening.kind, **asdict(happening)}


def happening_from_json(data: dict[str, Any]) -> Happening:
    fields = dict(data)
    cls = _KINDS[fields.pop("kind")]
    happening: Happening = cls(**fields)
    return happening
