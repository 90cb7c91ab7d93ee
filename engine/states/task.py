"""Task: hand the effective input to a resource and wait for its outcome.

The stepper never calls anything: it records TaskScheduled, emits an InvokeTask effect (plus
timers for TimeoutSeconds and HeartbeatSeconds) and resumes on TaskSucceeded, TaskFailed,
TaskHeartbeat or a timer.
"""

from __future__ import annotations

from typing import Any

from engine.data.context import EvalContext
from engine.data.pipeline import (
    bindings,
    effective_input,
    process_result,
)
from engine.data.templates import read_path
from engine.definition.model import TaskState
from engine.errors import ErrorName, StatesError, StatesRuntime
from engine.json import JSON
from engine.runtime.effects import InvokeTask
from engine.runtime.execution import Frame
from engine.runtime.tokens import task_token
from engine.states.outcome import SUSPEND, Outcome


def enter(turn: Any, frame: Frame, state: TaskState) -> Outcome:
    task_id = turn.execution.next_id("task-")
    resource = _resource(turn, frame, state)
    kind = _kind(resource)
    token = task_token(turn.execution.start["seed"], task_id) if _needs_token(resource, kind) else None
    extra = {"Task": {"Token": token}} if token is not None else None
    ctx = turn.context(frame, state, extra)
    raw = frame.input
    if state.jsonata:
        params = (
            state.arguments.evaluate(bindings(ctx, raw), "Arguments", ctx.rng)
            if state.arguments is not None
            else raw
        )
    else:
        params = effective_input(state, raw, ctx)
    timeout, heartbeat = _seconds(state, raw, ctx)
    _record_scheduled(turn, frame, kind, resource, params, timeout, heartbeat)
    timers = {}
    if timeout is not None:
        timers[turn.start_timer(frame, timeout, "task-timeout")] = "timeout"
    if heartbeat is not None:
        timers[turn.start_timer(frame, heartbeat, "heartbeat")] = "heartbeat"
    frame.task = {"id": task_id, "kind": kind, "resource": resource, "timers": timers, "heartbeat": heartbeat}
    turn.recorder.effect(
        InvokeTask(task_id, resource, params, state.name, timeout, heartbeat, token, state.credentials)
    )
    turn.wait_for(frame, task_id)
    return SUSPEND


def resume(turn: Any, frame: Frame, state: TaskState, kind: str, payload: Any) -> Outcome:
    task = frame.task
    assert task is not None
    if kind == "succeeded":
        _stop_timers(turn, task)
        turn.record(
            frame,
            "add",
            *_event(task, "Succeeded", {"output": payload, "outputDetails": {"truncated": False}}),
        )
        turn.check_size(payload, state)
        return _result(turn, frame, state, payload)
    if kind == "failed":
        _stop_timers(turn, task)
        error, cause = payload
        turn.record(frame, "failure", _type(task, "Failed"), error, cause, **_resource_details(task))
        failure = StatesError(error if error is not None else ErrorName.TASK_FAILED, cause)
        # States.Runtime from an integration (nothing handles the resource) is terminal, as it
        # would be on AWS; States.DataLimitExceeded from a task stays catchable (conformance:
        # error_handling.test_states_errors.*).
        failure.terminal = failure.error == ErrorName.RUNTIME
        failure.located = True
        raise failure
    if kind == "heartbeat":
        for timer, purpose in list(task["timers"].items()):
            if purpose == "heartbeat":
                turn.forget(timer)
                del task["timers"][timer]
                task["timers"][turn.start_timer(frame, task["heartbeat"], "heartbeat")] = "heartbeat"
        turn.wait_for(frame, task["id"])
        return SUSPEND
    if kind == "started":
        if task["kind"] == "activity":
            turn.record(
                frame, "add", "ActivityStarted", "activityStartedEventDetails", {"workerName": payload}
            )
        turn.wait_for(frame, task["id"])
        return SUSPEND
    # a timer: TimeoutSeconds or HeartbeatSeconds ran out before the task answered
    purpose = task["timers"].pop(payload, None)
    if purpose is None:  # a timer we no longer care about
        turn.wait_for(frame, task["id"])
        return SUSPEND
    _stop_timers(turn, task)
    turn.forget(task["id"], task=True)
    error = ErrorName.TIMEOUT if purpose == "timeout" else ErrorName.HEARTBEAT_TIMEOUT
    turn.record(frame, "failure", _type(task, "TimedOut"), error, None, **_resource_details(task))
    timed_out = StatesError(error, None)
    timed_out.located = True
    raise timed_out


def _result(turn: Any, frame: Frame, state: TaskState, result: JSON) -> Outcome:
    return process_result(state, frame.input, result, turn.context(frame, state))


def _resource(turn: Any, frame: Frame, state: TaskState) -> str:
    if state.resource_expression is None:
        return state.resource
    ctx = turn.context(frame, state)
    value = state.resource_expression.evaluate(bindings(ctx, frame.input), "Resource", ctx.rng)
    if not isinstance(value, str):
        raise StatesRuntime(f"The Resource field must be a string, not {value!r}.")
    return value


def _kind(resource: str) -> str:
    if resource.startswith("arn:") and ":lambda:" in resource and ":function:" in resource:
        return "lambda"
    if ":activity:" in resource:
        return "activity"
    return "task"


def _needs_token(resource: str, kind: str) -> bool:
    return resource.endswith(".waitForTaskToken") or kind == "activity"


def _seconds(state: TaskState, raw: JSON, ctx: EvalContext) -> tuple[float | None, float | None]:
    t = state.timeouts

    def one(value: float | None, path: Any, expression: Any, field: str) -> float | None:
        if value is not None:
            return value
        if path is not None:
            found = read_path(path, raw, ctx)
            if not isinstance(found, int) or isinstance(found, bool) or found <= 0:
                raise StatesRuntime(f"The {field}Path field must reference a positive integer: {path.text}")
            return float(found)
        if expression is not None:
            found = expression.evaluate(bindings(ctx, raw), field, ctx.rng)
            if not isinstance(found, (int, float)) or isinstance(found, bool) or found <= 0:
                raise StatesRuntime(f"The {field} field must evaluate to a positive integer.")
            return float(found)
        return None

    timeout = one(t.timeout_seconds, t.timeout_path, t.timeout_expression, "TimeoutSeconds")
    heartbeat = one(t.heartbeat_seconds, t.heartbeat_path, t.heartbeat_expression, "HeartbeatSeconds")
    return timeout, heartbeat


def _record_scheduled(
    turn: Any,
    frame: Frame,
    kind: str,
    resource: str,
    params: JSON,
    timeout: float | None,
    heartbeat: float | None,
) -> None:
    limits = {}
    if timeout is not None:
        limits["timeoutInSeconds"] = int(timeout)
    if heartbeat is not None:
        limits["heartbeatInSeconds"] = int(heartbeat)
    if kind == "lambda":
        turn.record(
            frame,
            "add",
            "LambdaFunctionScheduled",
            "lambdaFunctionScheduledEventDetails",
            {"resource": resource, "input": params, "inputDetails": {"truncated": False}, **limits},
        )
        turn.record(frame, "add", "LambdaFunctionStarted")
    elif kind == "activity":
        turn.record(
            frame,
            "add",
            "ActivityScheduled",
            "activityScheduledEventDetails",
            {"resource": resource, "input": params, "inputDetails": {"truncated": False}, **limits},
        )
    else:
        resource_type, action = _split(resource)
        region = turn.execution.start.get("region", "us-east-1")
        turn.record(
            frame,
            "add",
            "TaskScheduled",
            "taskScheduledEventDetails",
            {
                "resourceType": resource_type,
                "resource": action,
                "region": region,
                "parameters": params,
                **limits,
            },
        )
        turn.record(
            frame,
            "add",
            "TaskStarted",
            "taskStartedEventDetails",
            {"resourceType": resource_type, "resource": action},
        )


def _split(resource: str) -> tuple[str, str]:
    """`arn:aws:states:::lambda:invoke` → ("lambda", "invoke"), as TaskScheduled names them."""
    parts = resource.split(":")
    if len(parts) >= 7 and parts[2] == "states":
        return parts[5], ":".join(parts[6:])
    return (parts[2] if len(parts) > 2 else resource), resource


def _type(task: dict[str, Any], outcome: str) -> str:
    return {"lambda": "LambdaFunction", "activity": "Activity"}.get(task["kind"], "Task") + outcome


def _resource_details(task: dict[str, Any]) -> dict[str, str]:
    if task["kind"] != "task":
        return {}
    resource_type, action = _split(task["resource"])
    return {"resourceType": resource_type, "resource": action}


def _event(task: dict[str, Any], outcome: str, details: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    type_ = _type(task, outcome)
    return type_, type_[0].lower() + type_[1:] + "EventDetails", {**_resource_details(task), **details}


def _stop_timers(turn: Any, task: dict[str, Any]) -> None:
    for timer in task["timers"]:
        turn.forget(timer)
    task["timers"] = {}
