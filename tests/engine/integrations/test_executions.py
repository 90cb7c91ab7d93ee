"""Nested executions: what the parent task returns for each integration pattern."""

import json
from typing import Any

import pytest

from engine.integrations.executions import (
    ChildRequest,
    ChildResult,
    ChildStarted,
    ChildStartRefused,
    ChildStatus,
    ExecutionIntegration,
    describe_child_result,
)
from engine.runtime.effects import InvokeTask

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:Child"
EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:Child:run-1"


def finished(status: ChildStatus = "SUCCEEDED", **fields: Any) -> ChildResult:
    return ChildResult(EXECUTION, MACHINE, "run-1", status, {"in": 1}, 1700000000.0, 1700000002.5, **fields)


class Starter:
    def __init__(self, answer: ChildStarted | ChildResult | ChildStartRefused) -> None:
        self.answer = answer
        self.requests: list[ChildRequest] = []

    def __call__(self, request: ChildRequest) -> ChildStarted | ChildResult:
        self.requests.append(request)
        if isinstance(self.answer, ChildStartRefused):
            raise self.answer
        return self.answer


def start(resource_suffix: str, starter: Starter, parameters: Any = None, token: str | None = None) -> Any:
    params = parameters if parameters is not None else {"StateMachineArn": MACHINE, "Input": {"in": 1}}
    call = InvokeTask(
        "task-1",
        f"arn:aws:states:::states:startExecution{resource_suffix}",
        params,
        "Child",
        task_token=token,
    )
    return ExecutionIntegration(starter).invoke(call)


def test_request_response_returns_the_execution_arn_and_start_date() -> None:
    starter = Starter(ChildStarted(EXECUTION, 1700000000.123))

    outcome = start("", starter)

    assert outcome.output["ExecutionArn"] == EXECUTION
    assert outcome.output["StartDate"] == 1700000000123
    assert outcome.output["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert starter.requests[0].pattern == "request-response"


@pytest.mark.parametrize(
    ("given", "child_input"), [('{"a": [1]}', {"a": [1]}), (None, {}), ({"b": False}, {"b": False})]
)
def test_the_child_input_may_be_json_text_an_object_or_absent(given: Any, child_input: Any) -> None:
    starter = Starter(ChildStarted(EXECUTION, 0.0))
    parameters = {"StateMachineArn": MACHINE, "Name": "run-1"}
    if given is not None:
        parameters["Input"] = given

    start("", starter, parameters)

    assert (starter.requests[0].input, starter.requests[0].name) == (child_input, "run-1")


def test_sync_waits_for_a_child_that_runs_on() -> None:
    outcome = start(".sync", Starter(ChildStarted(EXECUTION, 0.0)))

    assert outcome.status == "pending"


def test_sync_gives_describe_execution_with_output_as_json_text() -> None:
    outcome = start(".sync", Starter(finished(output={"out": 2})))

    result = outcome.output
    assert (result["Status"], result["Output"], result["Input"]) == ("SUCCEEDED", '{"out":2}', '{"in":1}')
    assert (result["StartDate"], result["StopDate"]) == (1700000000000, 1700000002500)
    assert result["RedriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven"


def test_sync_2_gives_the_output_as_json() -> None:
    outcome = describe_child_result("sync:2", finished(output={"out": 2}))

    assert (outcome.output["Output"], outcome.output["Input"]) == ({"out": 2}, {"in": 1})


def test_a_failed_child_fails_the_task_with_its_description_as_cause() -> None:
    outcome = describe_child_result("sync", finished("FAILED", error="Boom", cause="it broke"))

    assert outcome.error == "States.TaskFailed"
    cause = json.loads(outcome.cause or "")
    assert (cause["Status"], cause["Error"], cause["Cause"]) == ("FAILED", "Boom", "it broke")
    assert "Output" not in cause
    assert outcome.to_happening("task-1") is not None


def test_wait_for_task_token_hands_over_the_token_and_waits() -> None:
    starter = Starter(ChildStarted(EXECUTION, 0.0))

    outcome = start(".waitForTaskToken", starter, token="tok-1")

    assert outcome.status == "pending"
    assert starter.requests[0].task_token == "tok-1"


def test_a_refused_start_fails_as_the_step_functions_api_error() -> None:
    refusal = ChildStartRefused("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{MACHINE}'")

    outcome = start(".sync", Starter(refusal))

    assert outcome.error == "StepFunctions.StateMachineDoesNotExistException"
    assert (outcome.cause or "").startswith(
        f"State Machine Does Not Exist: '{MACHINE}' (Service: AWSStepFunctions;"
    )


def test_input_text_that_is_not_json_is_refused_before_starting() -> None:
    starter = Starter(ChildStarted(EXECUTION, 0.0))

    outcome = start("", starter, {"StateMachineArn": MACHINE, "Input": "{oops"})

    assert outcome.error == "StepFunctions.InvalidExecutionInputException"
    assert starter.requests == []


def test_a_missing_state_machine_arn_fails() -> None:
    outcome = start("", Starter(ChildStarted(EXECUTION, 0.0)), {"Input": {}})

    assert outcome.error == "States.Runtime"
