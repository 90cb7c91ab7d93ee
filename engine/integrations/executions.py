"""Nested executions: `arn:aws:states:::states:startExecution` and its `.sync`, `.sync:2` and
`.waitForTaskToken` forms.

The adapter does not run state machines; the runner does, through `start_child`:

    start_child(ChildRequest) -> ChildStarted | ChildResult

- Return ChildStarted when the child runs on (a durable runner). For `.sync` and `.sync:2`
  the task stays pending; when the child ends, the runner builds a ChildResult and feeds
  `describe_child_result(pattern, result).to_happening(task_id)` back to the parent. For
  `.waitForTaskToken` it stays pending until someone answers with the token.
- Return ChildResult when the child already ran to its end (the in-memory runner may run
  it inline); `.sync` and `.sync:2` then complete at once.
- Raise ChildStartRefused(code, message) when StartExecution itself fails
  (StateMachineDoesNotExist, ExecutionAlreadyExists, InvalidExecutionInput, ...).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any, Literal

from engine.errors import ErrorName
from engine.integrations.base import TaskOutcome, new_request_id
from engine.integrations.resources import Pattern, parse_resource
from engine.json import JSON, dumps
from engine.runtime.effects import InvokeTask

ChildStatus = Literal["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]


@dataclass(frozen=True, slots=True)
class ChildRequest:
    """StartExecution as a parent task asks for it."""

    task_id: str  # the parent's task: a `.sync` child's result goes back to it
    state_machine_arn: str
    input: JSON  # parsed: the Input string of the API is already JSON here
    name: str | None
    pattern: Pattern
    task_token: str | None  # for `.waitForTaskToken`; the definition puts it into Input


@dataclass(frozen=True, slots=True)
class ChildStarted:
    execution_arn: str
    start_date: float  # epoch seconds


@dataclass(frozen=True, slots=True)
class ChildResult:
    """A child execution that ended, as DescribeExecution would describe it."""

    execution_arn: str
    state_machine_arn: str
    name: str
    status: ChildStatus
    input: JSON
    start_date: float  # epoch seconds
    stop_date: float
    output: JSON = None
    error: str | None = None
    cause: str | None = None
    redrive_count: int = 0


class ChildStartRefused(Exception):
    """StartExecution refused: `code` as AWS names it, e.g. "StateMachineDoesNotExist"."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


StartChild = Callable[[ChildRequest], ChildStarted | ChildResult]


class ExecutionIntegration:
    def __init__(self, start_child: StartChild) -> None:
        self.start_child = start_child

    def handles(self, resource: str) -> bool:
        return parse_resource(resource).is_service("states", "startExecution")

    def invoke(self, call: InvokeTask) -> TaskOutcome:
        pattern = parse_resource(call.resource).pattern
        params = call.parameters if isinstance(call.parameters, dict) else {}
        arn, name = params.get("StateMachineArn"), params.get("Name")
        if not isinstance(arn, str) or not (name is None or isinstance(name, str)):
            cause = "startExecution needs a StateMachineArn string (and, optionally, a Name string)."
            return TaskOutcome.failed(ErrorName.RUNTIME, cause)
        request_id = new_request_id()
        try:
            child_input = _input_of(params.get("Input"))
            started = self.start_child(
                ChildRequest(call.task_id, arn, child_input, name, pattern, call.task_token)
            )
        except ChildStartRefused as refused:
            return _refused(refused, request_id)
        if pattern == "request-response":
            if isinstance(started, ChildResult):
                started = ChildStarted(started.execution_arn, started.start_date)
            return TaskOutcome.succeeded(_start_response(started, request_id))
        if pattern in ("sync", "sync:2") and isinstance(started, ChildResult):
            return describe_child_result(pattern, started)
        return TaskOutcome.pending()


def describe_child_result(pattern: Pattern, result: ChildResult) -> TaskOutcome:
    """The parent task's outcome for a `.sync` (Input and Output as JSON text) or `.sync:2`
    (as JSON) child. A child that did not succeed fails the task with States.TaskFailed and
    its DescribeExecution JSON as the cause."""
    as_json = pattern == "sync:2"
    described: dict[str, Any] = {}
    if result.status != "SUCCEEDED":
        if result.cause is not None:
            described["Cause"] = result.cause
        if result.error is not None:
            described["Error"] = result.error
    described.update(
        ExecutionArn=result.execution_arn,
        Input=result.input if as_json else dumps(result.input),
        InputDetails={"Included": True},
        Name=result.name,
    )
    if result.status == "SUCCEEDED":
        described["Output"] = result.output if as_json else dumps(result.output)
        described["OutputDetails"] = {"Included": True}
    described["RedriveCount"] = result.redrive_count
    if result.status == "SUCCEEDED":
        described["RedriveStatus"] = "NOT_REDRIVABLE"
        described["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
    else:
        described["RedriveStatus"] = "REDRIVABLE"
    described.update(
        StartDate=_millis(result.start_date),
        StateMachineArn=result.state_machine_arn,
        Status=result.status,
        StopDate=_millis(result.stop_date),
    )
    if result.status == "SUCCEEDED":
        return TaskOutcome.succeeded(described)
    return TaskOutcome.failed(ErrorName.TASK_FAILED, dumps(described))


def _input_of(value: JSON) -> JSON:
    # StartExecution takes Input as text; a definition may give an object or that text.
    if value is None:
        return {}  # "If you don't include any JSON input data, you still must include the two braces"
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as error:
            raise ChildStartRefused(
                "InvalidExecutionInput", f"Invalid State Machine Execution Input: {error}"
            ) from None
    return value


def _refused(refused: ChildStartRefused, request_id: str) -> TaskOutcome:
    cause = (
        f"{refused.message} (Service: AWSStepFunctions; Status Code: 400; Error Code: {refused.code}; "
        f"Request ID: {request_id}; Proxy: null)"
    )
    return TaskOutcome.failed(f"StepFunctions.{refused.code}Exception", cause)


def _start_response(started: ChildStarted, request_id: str) -> dict[str, Any]:
    """StartExecution's response with the SDK metadata AWS adds (recorded in LocalStack's
    test_sfn_task_service snapshot)."""
    body = dumps({"executionArn": started.execution_arn, "startDate": started.start_date})
    headers = {
        "Content-Length": str(len(body.encode("utf-8"))),
        "Content-Type": "application/x-amz-json-1.0",
        "Date": formatdate(usegmt=True),
        "x-amzn-RequestId": request_id,
    }
    return {
        "ExecutionArn": started.execution_arn,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {key: [value] for key, value in headers.items()},
            "HttpHeaders": headers,
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StartDate": _millis(started.start_date),
    }


def _millis(epoch_seconds: float) -> int:
    return round(epoch_seconds * 1000)
