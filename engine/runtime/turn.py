"""One step's machinery: drives frames through states until each must wait or ends.

Handlers (engine/states) decide what a state does; the Turn records events, moves frames from
state to state, applies Retry and Catch, and joins children back into their Parallel or Map.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any, Protocol

from engine.data.context import EvalContext
from engine.data.pipeline import bindings, evaluate_assign
from engine.definition.model import Catcher, Recoverable, Retrier, State
from engine.errors import DataLimitExceeded, StatesError, matches
from engine.json import JSON, MAX_PAYLOAD_BYTES, size_of
from engine.runtime.effects import CancelTask, CancelTimer, Finish, StartTimer
from engine.runtime.execution import Execution, Frame
from engine.runtime.history import Recorder
from engine.runtime.visit import StateVisit, variables_of
from engine.states.outcome import FailStateError, Outcome, Suspend

_SIZED = (dict, list, str)  # the values whose size can pass the payload limit


class Handler(Protocol):
    def enter(self, turn: Turn, frame: Frame, state: Any) -> Outcome: ...

    def resume(self, turn: Turn, frame: Frame, state: Any, kind: str, payload: Any) -> Outcome: ...


class Turn:
    __slots__ = ("execution", "handlers", "now", "recorder", "runnable")

    def __init__(self, execution: Execution, recorder: Recorder, handlers: Mapping[str, Handler]) -> None:
        self.execution = execution
        self.recorder = recorder
        self.now = recorder.now
        self.handlers = handlers
        self.runnable: deque[str] = deque()

    # --- driving -----------------------------------------------------------------------------

    def run(self) -> None:
        execution, runnable = self.execution, self.runnable
        frames = execution.frames
        while runnable and execution.status == "RUNNING":  # not `closed`: once per Map iteration
            frame = frames.get(runnable.popleft())
            if frame is not None and frame.status == "running":
                self.drive(frame)

    def drive(self, frame: Frame, resume: tuple[str, Any] | None = None) -> None:
        """Move `frame` from state to state until it waits or ends, or the execution closes."""
        # Each transition is a call of `transit`, not this loop's body: CPython 3.11 specialises
        # a function's bytecode once the function has been called a few times, never a loop
        # running inside one call, and a chain of a thousand states is one call of drive.
        execution = self.execution
        states = execution.machine.scopes[frame.scope].states
        recorder = self.recorder if frame.id[0] != "q" else None  # see `record`
        while frame.status == "running" and execution.status == "RUNNING":
            self.transit(frame, states[frame.state], recorder, resume)
            resume = None

    def transit(
        self, frame: Frame, state: State, recorder: Recorder | None, resume: tuple[str, Any] | None
    ) -> None:
        """One pass of a frame through a state: enter it (unless resuming it), run its handler,
        then advance past it or leave the frame waiting. The engine's hot path: entering and
        advancing are written out here rather than called."""
        try:
            if resume is not None:
                outcome = self.handlers[state.type].resume(self, frame, state, *resume)
            else:
                if not frame.entered:
                    frame.entered = True
                    frame.entered_time = self.now
                    if frame.retries:  # attempts count per state; an empty list can stay
                        frame.retries = []
                    frame.entered_event_id = (
                        recorder.entered(state.type, state.name, frame.input) if recorder is not None else 0
                    )
                outcome = self.handlers[state.type].enter(self, frame, state)
            if isinstance(outcome, Suspend):
                frame.status = "waiting"
                return
            output, target, assigned = outcome
            if isinstance(output, _SIZED) and size_of(output) > MAX_PAYLOAD_BYTES:
                raise self.too_big(state)
            if assigned:
                frame.variables.update(assigned)
            if recorder is not None:
                recorder.exited(state.type, state.name, output, assigned)
            if target is None:
                target = state.next
            if target is None or state.type == "Succeed":
                self.finish_frame(frame, output)
                return
            frame.state = target  # move(), written out
            frame.input = output
            frame.entered = False
            frame.task = None
            frame.fanout = None
        except StatesError as error:
            if not error.located:
                error.cause = self.error_prefix(frame, state) + (error.cause or "")
                error.located = True
            self.recover(frame, state, error)

    def resume(self, frame: Frame, kind: str, payload: Any) -> None:
        frame.status = "running"
        frame.waiting_on = None
        self.drive(frame, (kind, payload))
        self.run()

    def move(self, frame: Frame, target: str, value: JSON) -> None:
        frame.state = target
        frame.input = value
        frame.entered = False
        frame.task = None
        frame.fanout = None

    # --- events ------------------------------------------------------------------------------

    def record(self, frame: Frame | None, kind: str, *args: Any, **kwargs: Any) -> int:
        """Record an event unless the frame runs in a child run (distributed Map iterations)."""
        if frame is not None and frame.id[0] == "q":
            return 0
        recorder = self.recorder
        if kind == "add":
            return recorder.add(*args)
        if kind == "entered":
            return recorder.entered(*args)
        if kind == "exited":
            return recorder.exited(*args)
        if kind == "failure":
            return recorder.failure(*args, **kwargs)
        return recorder.add(*args)

    def event(self, frame: Frame, type_: str, details_key: str | None = None, details: Any = None) -> int:
        """record(frame, "add", ...) without the packing of its arguments: for the events a Map
        records for every item."""
        return 0 if frame.id[0] == "q" else self.recorder.add(type_, details_key, details)

    def check_size(self, value: JSON, state: State) -> None:
        if isinstance(value, _SIZED) and size_of(value) > MAX_PAYLOAD_BYTES:
            raise self.too_big(state)

    def too_big(self, state: State) -> DataLimitExceeded:
        return DataLimitExceeded(
            f"The state/task '{state.name}' returned a result with a size exceeding the maximum "
            f"number of bytes service limit."
        )

    # --- context -----------------------------------------------------------------------------

    def context(self, frame: Frame, state: State, extra: Mapping[str, Any] | None = None) -> EvalContext:
        return StateVisit(self.execution, frame, state, extra)

    def variables_of(self, frame: Frame) -> Mapping[str, JSON]:
        return variables_of(self.execution, frame)

    def error_prefix(self, frame: Frame, state: State) -> str:
        return (
            f"An error occurred while executing the state '{state.name}' "
            f"(entered at the event id #{frame.entered_event_id}). "
        )

    # --- waiting -----------------------------------------------------------------------------

    def wait_for(self, frame: Frame, wait_id: str) -> None:
        frame.waiting_on = wait_id
        self.execution.waits[wait_id] = frame.id

    def start_timer(self, frame: Frame | None, delay: float, purpose: str) -> str:
        timer_id = self.execution.next_id("timer-")
        if frame is not None:
            self.execution.waits[timer_id] = frame.id
        self.recorder.effect(StartTimer(timer_id, self.now + max(0.0, delay), purpose))
        return timer_id

    def forget(self, wait_id: str | None, task: bool = False) -> None:
        if wait_id is None or self.execution.waits.pop(wait_id, None) is None:
            return
        self.recorder.effect(CancelTask(wait_id) if task else CancelTimer(wait_id))

    # --- errors ------------------------------------------------------------------------------

    def recover(self, frame: Frame, state: State, error: StatesError) -> None:
        """Retry, then Catch, then fail the frame: AWS's order for Task, Parallel and Map."""
        if isinstance(state, Recoverable) and not error.terminal and not isinstance(error, FailStateError):
            if self.retry(frame, state, error):
                return
            for catcher in state.catch:
                if matches(catcher.error_equals, error):
                    try:
                        self.catch(frame, state, catcher, error)
                    except StatesError as failure:  # the Catcher's own ResultPath or Output failed
                        self.fail_frame(frame, failure)
                    return
        self.fail_frame(frame, error)

    def retry(self, frame: Frame, state: Recoverable, error: StatesError) -> bool:
        retriers: tuple[Retrier, ...] = state.retry
        for index, retrier in enumerate(retriers):
            if not matches(retrier.error_equals, error):
                continue
            while len(frame.retries) < len(retriers):
                frame.retries.append(0)
            attempt = frame.retries[index]
            if attempt >= retrier.max_attempts:
                return False
            frame.retries[index] = attempt + 1
            delay = retrier.interval_seconds * retrier.backoff_rate**attempt
            if retrier.max_delay_seconds is not None:
                delay = min(delay, retrier.max_delay_seconds)
            if retrier.jitter == "FULL":
                delay = self.execution.rng().uniform(0, delay)
            frame.status = "waiting"
            frame.fanout = None
            timer_id = self.start_timer(frame, delay, "retry")
            frame.task = {"retry": timer_id}
            frame.waiting_on = timer_id
            return True
        return False

    def catch(self, frame: Frame, state: State, catcher: Catcher, error: StatesError) -> None:
        error_output = error.as_output()
        ctx = self.context(frame, state)
        assigned = None
        if state.jsonata:
            binds = bindings(ctx, frame.input, errorOutput=error_output)
            output = (
                catcher.output.evaluate(binds, "Output", ctx.rng)
                if catcher.output is not None
                else error_output
            )
            if catcher.assign is not None:
                assigned = evaluate_assign(
                    catcher.assign, error_output, ctx, frame.input, errorOutput=error_output
                )
        else:
            if catcher.assign is not None:
                assigned = evaluate_assign(catcher.assign, error_output, ctx, frame.input)
            if catcher.discard_result:
                output = frame.input
            elif catcher.result_path is None:
                output = error_output
            else:
                output = catcher.result_path.write(frame.input, error_output)
        if assigned:
            frame.variables.update(assigned)
        # AWS records the state's exit with the error output, then enters the Catcher's Next
        self.record(frame, "exited", state.type, state.name, output, assigned)
        frame.status = "running"
        self.move(frame, catcher.next, output)

    def fail_frame(self, frame: Frame, error: StatesError) -> None:
        frame.status = "failed"
        frame.error, frame.cause = error.error, error.cause
        # A terminal error (States.Runtime, ...) stays terminal in the Parallel or Map above;
        # a Fail state's error is the branch's ordinary failure there.
        frame.fatal = error.terminal and not isinstance(error, FailStateError)
        if frame.parent is None:
            self.finish_execution("FAILED", error=error.error, cause=error.cause)
            return
        parent = self.execution.frames[frame.parent]
        self.child_ended(parent, frame)

    def finish_frame(self, frame: Frame, output: JSON) -> None:
        frame.status = "done"
        frame.output = output
        if frame.parent is None:
            self.finish_execution("SUCCEEDED", output=output)
            return
        self.child_ended(self.execution.frames[frame.parent], frame)

    def child_ended(self, parent: Frame, child: Frame) -> None:
        """A branch or iteration ended: its Parallel or Map decides at once what that means."""
        parent.status = "running"
        self.drive(parent, ("child", child))

    def spawn(
        self,
        parent: Frame,
        scope: str,
        value: JSON,
        index: int,
        quiet: bool = False,
        map_item: dict[str, Any] | None = None,
    ) -> Frame:
        execution = self.execution
        frame = Frame(
            id=execution.next_id("q" if quiet or parent.id[0] == "q" else "f"),
            scope=scope,
            state=execution.machine.scopes[scope].start_at,
            input=value,
            parent=parent.id,
            index=index,
            map_item=map_item,
        )
        execution.frames[frame.id] = frame
        self.runnable.append(frame.id)
        return frame

    def discard(self, frame_id: str) -> None:
        """Drop a finished or abandoned child frame and everything it waits on."""
        frame = self.execution.frames.pop(frame_id, None)
        if frame is None:
            return
        if frame.waiting_on is not None:
            self.forget(frame.waiting_on, task=frame.waiting_on.startswith("task-"))
        if frame.task:
            for timer in frame.task.get("timers", ()):
                self.forget(timer)
        # Only a Parallel or Map still waiting on its children has any: they are in its fanout
        # (no scan of every frame, which made a Map over n items cost n² on its iterations).
        if frame.fanout is not None:
            for child_id in list(frame.fanout.get("children", ())):
                self.discard(child_id)

    def finish_execution(
        self, status: str, output: JSON = None, error: str | None = None, cause: str | None = None
    ) -> None:
        execution = self.execution
        if execution.closed:
            return
        execution.status = status
        execution.output, execution.error, execution.cause = output, error, cause
        if execution.execution_timer is not None and status != "TIMED_OUT":
            self.recorder.effect(CancelTimer(execution.execution_timer))  # a durable timer must not linger
        if status == "SUCCEEDED":
            self.recorder.add(
                "ExecutionSucceeded",
                "executionSucceededEventDetails",
                {"output": output, "outputDetails": {"truncated": False}},
            )
        else:
            kind = {
                "FAILED": "ExecutionFailed",
                "TIMED_OUT": "ExecutionTimedOut",
                "ABORTED": "ExecutionAborted",
            }
            self.recorder.failure(kind[status], error, cause)
        for wait_id in list(execution.waits):
            self.forget(wait_id, task=wait_id.startswith("task-"))
        self.recorder.effect(Finish(status, output, error, cause))
