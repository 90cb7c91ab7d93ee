"""The functional core: one happening in, new state plus events plus effects out."""

from __future__ import annotations

from dataclasses import dataclass

from engine.definition.model import StateMachine
from engine.errors import ErrorName, StatesError
from engine.json import MAX_PAYLOAD_BYTES, size_of
from engine.runtime.effects import Effect
from engine.runtime.execution import Execution, Frame
from engine.runtime.happenings import (
    Happening,
    Start,
    Stop,
    TaskFailed,
    TaskHeartbeat,
    TaskStarted,
    TaskSucceeded,
    TimerFired,
)
from engine.runtime.history import HistoryEvent, HistoryLimitExceeded, Recorder
from engine.runtime.turn import Turn
from engine.states import HANDLERS


@dataclass(frozen=True, slots=True)
class Step:
    execution: Execution  # persist this ...
    events: list[HistoryEvent]  # ... and these, in one transaction ...
    effects: list[Effect]  # ... and only then carry these out


def start(machine: StateMachine, happening: Start, now: float) -> Step:
    """Begin an execution of `machine`."""
    execution = Execution(machine=machine, input=happening.input, start={})
    return step(execution, happening, now)


def step(execution: Execution, happening: Happening, now: float) -> Step:
    """Apply one happening to an execution (which this call updates and returns).

    Pure: no I/O, no sleeping, no clock but `now`. Whatever a definition or its data can
    cause ends as history (ExecutionFailed at worst), never as an exception.
    """
    recorder = Recorder(execution.last_event_id, now)
    turn = Turn(execution, recorder, HANDLERS)
    if not execution.closed:
        try:
            _apply(turn, happening)
        except HistoryLimitExceeded as error:
            turn.finish_execution("FAILED", error=error.error, cause=error.cause)
        except RecursionError:
            turn.finish_execution(
                "FAILED", error=ErrorName.RUNTIME, cause="The state machine nests too deeply."
            )
    execution.last_event_id = recorder.last_id
    return Step(execution, recorder.events, recorder.effects)


def _apply(turn: Turn, happening: Happening) -> None:
    execution = turn.execution
    if isinstance(happening, Start):
        _start(turn, happening)
    elif isinstance(happening, Stop):
        turn.finish_execution("ABORTED", error=happening.error, cause=happening.cause)
    elif isinstance(happening, TaskSucceeded):
        _resume(turn, execution.waits.pop(happening.task_id, None), "succeeded", happening.output)
    elif isinstance(happening, TaskFailed):
        _resume(
            turn, execution.waits.pop(happening.task_id, None), "failed", (happening.error, happening.cause)
        )
    elif isinstance(happening, TaskHeartbeat):
        _resume(turn, execution.waits.get(happening.task_id), "heartbeat", None)
    elif isinstance(happening, TaskStarted):
        _resume(turn, execution.waits.get(happening.task_id), "started", happening.worker_name)
    elif isinstance(happening, TimerFired):
        _timer(turn, happening.timer_id)


def _start(turn: Turn, happening: Start) -> None:
    execution = turn.execution
    arn = happening.state_machine_arn
    execution.start = {
        "execution_arn": happening.execution_arn,
        "state_machine_arn": arn,
        "state_machine_name": arn.rsplit(":", 1)[-1],
        "name": happening.name,
        "role_arn": happening.role_arn,
        "seed": happening.seed,
        "start_time": turn.now,
        "redrive_count": happening.redrive_count,
        "type": happening.machine_type,
        "synchronous": happening.synchronous,
        "region": arn.split(":")[3] if arn.count(":") >= 3 else "us-east-1",
    }
    turn.recorder.add(
        "ExecutionStarted",
        "executionStartedEventDetails",
        {
            "input": happening.input,
            "inputDetails": {"truncated": False},
            "roleArn": happening.role_arn,
            "stateMachineArn": arn,
        },
    )
    if size_of(happening.input) > MAX_PAYLOAD_BYTES:
        turn.finish_execution(
            "FAILED", error=ErrorName.DATA_LIMIT_EXCEEDED, cause="The execution input exceeds 262144 bytes."
        )
        return
    if execution.machine.timeout_seconds is not None:
        execution.execution_timer = turn.start_timer(
            None, execution.machine.timeout_seconds, "execution-timeout"
        )
    root = Frame(id="f0", scope="", state=execution.machine.root.start_at, input=happening.input)
    execution.frames[root.id] = root
    turn.runnable.append(root.id)
    turn.run()


def _resume(turn: Turn, frame_id: str | None, kind: str, payload: object) -> None:
    frame = turn.execution.frames.get(frame_id) if frame_id is not None else None
    if frame is None or frame.status != "waiting":
        return  # a late answer for a task that timed out or was abandoned: AWS ignores it too
    turn.resume(frame, kind, payload)


def _timer(turn: Turn, timer_id: str) -> None:
    execution = turn.execution
    if timer_id == execution.execution_timer:
        turn.finish_execution(
            "TIMED_OUT", error=ErrorName.TIMEOUT, cause="The execution timed out (TimeoutSeconds)."
        )
        return
    frame_id = execution.waits.pop(timer_id, None)
    frame = execution.frames.get(frame_id) if frame_id is not None else None
    if frame is None:
        return
    if frame.task is not None and frame.task.get("retry") == timer_id:
        frame.task = None
        frame.status, frame.waiting_on = "running", None
        turn.drive(frame)
        turn.run()
        return
    turn.resume(frame, "timer", timer_id)


__all__ = ["StatesError", "Step", "start", "step"]
