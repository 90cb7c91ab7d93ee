"""Several executions in one process: callbacks, activity workers and nested executions."""

import pytest

from engine.definition import load_machine
from engine.integrations.callbacks import CallbackError
from engine.local import LocalWorld


def machine(definition):
    compiled, diagnostics = load_machine(definition)
    assert compiled is not None, [d.as_json() for d in diagnostics]
    return compiled


APPROVAL = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {
                "FunctionName": "notify",
                "Payload": {"token.$": "$$.Task.Token", "order.$": "$.order"},
            },
            "ResultPath": "$.approval",
            "End": True,
        }
    },
}


def test_a_callback_task_waits_until_its_token_is_answered():
    world = LocalWorld()
    tokens = []
    world.functions.register("notify", lambda event: tokens.append(event["token"]) or {"sent": True})
    world.register("Approval", machine(APPROVAL))

    waiting = world.start("Approval", {"order": 7}, "first")
    done = world.send_task_success(tokens[0], {"approved": True})

    assert waiting.status == "RUNNING"
    assert len(tokens[0]) >= 43  # 256 bits in URL-safe base64
    assert done.status == "SUCCEEDED"
    assert done.output == {"order": 7, "approval": {"approved": True}}


def test_a_token_answers_once():
    world = LocalWorld()
    tokens = []
    world.functions.register("notify", lambda event: tokens.append(event["token"]) or {})
    world.register("Approval", machine(APPROVAL))
    world.start("Approval", {"order": 7})
    world.send_task_failure(tokens[0], "Rejected", "too expensive")

    with pytest.raises(CallbackError) as again:
        world.send_task_success(tokens[0], {})

    assert again.value.code == "TaskTimedOut"


def test_a_failed_callback_fails_the_task_with_the_given_error():
    world = LocalWorld()
    tokens = []
    world.functions.register("notify", lambda event: tokens.append(event["token"]) or {})
    world.register("Approval", machine(APPROVAL))
    world.start("Approval", {"order": 7})

    result = world.send_task_failure(tokens[0], "Rejected", "too expensive")

    assert (result.status, result.error, result.cause) == ("FAILED", "Rejected", "too expensive")


def test_an_activity_worker_takes_the_task_and_answers_it():
    activity = "arn:aws:states:us-east-1:123456789012:activity:hello"
    world = LocalWorld()
    world.register(
        "Hello",
        machine(
            {"StartAt": "Greet", "States": {"Greet": {"Type": "Task", "Resource": activity, "End": True}}}
        ),
    )
    world.start("Hello", {"who": "world"}, "run")

    token, task_input = world.get_activity_task(activity, "worker-1")
    result = world.send_task_success(token, {"greeting": f"Hello, {task_input['who']}!"})

    assert result.output == {"greeting": "Hello, world!"}
    assert "ActivityStarted" in result.event_types()
    assert world.get_activity_task(activity) is None


CHILD = {
    "StartAt": "Double",
    "States": {"Double": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, $.n)"}, "End": True}},
}


def parent(resource, extra=None):
    return {
        "StartAt": "Run child",
        "States": {
            "Run child": {
                "Type": "Task",
                "Resource": resource,
                "Parameters": {
                    "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Child",
                    "Input": {"n.$": "$.n", **(extra or {})},
                },
                "End": True,
            }
        },
    }


def test_a_sync_2_child_execution_returns_its_output_as_json():
    world = LocalWorld()
    world.register("Child", machine(CHILD))
    world.register("Parent", machine(parent("arn:aws:states:::states:startExecution.sync:2")))

    result = world.start("Parent", {"n": 21})

    assert result.status == "SUCCEEDED"
    assert result.output["Output"] == {"n": 42}
    assert result.output["Status"] == "SUCCEEDED"


def test_a_sync_child_execution_returns_its_output_as_text():
    world = LocalWorld()
    world.register("Child", machine(CHILD))
    world.register("Parent", machine(parent("arn:aws:states:::states:startExecution.sync")))

    result = world.start("Parent", {"n": 1})

    assert result.output["Output"] == '{"n":2}'


def test_a_child_that_waits_finishes_its_parent_when_it_ends():
    waiting_child = {"StartAt": "Ask", "States": {"Ask": {**APPROVAL["States"]["Ask"], "ResultPath": None}}}
    world = LocalWorld()
    tokens = []
    world.functions.register("notify", lambda event: tokens.append(event["token"]) or {})
    world.register("Child", machine(waiting_child))
    world.register("Parent", machine(parent("arn:aws:states:::states:startExecution.sync:2", {"order": 1})))
    parent_run = world.start("Parent", {"n": 3}, "p")

    world.send_task_success(tokens[0], {"approved": True})

    finished = world.result("arn:aws:states:us-east-1:123456789012:execution:Parent:p")
    assert parent_run.status == "RUNNING"
    assert finished.status == "SUCCEEDED"
    assert finished.output["Output"] == {"n": 3, "order": 1}


def test_a_request_response_start_answers_with_the_child_arn_at_once():
    world = LocalWorld()
    world.register("Child", machine(CHILD))
    world.register("Parent", machine(parent("arn:aws:states:::states:startExecution")))

    result = world.start("Parent", {"n": 1})

    assert result.output["ExecutionArn"].startswith("arn:aws:states:us-east-1:123456789012:execution:Child:")


def test_an_unknown_child_state_machine_fails_the_task():
    world = LocalWorld()
    world.register("Parent", machine(parent("arn:aws:states:::states:startExecution.sync:2")))

    result = world.start("Parent", {"n": 1})

    assert result.status == "FAILED"
    assert "StateMachineDoesNotExist" in (result.error or "") + (result.cause or "")
