"""`states:startExecution` from a durable parent: `.sync:2` children answer their parent task."""

import json

import pytest
from harness import drain

from designer.models import Execution, Status
from designer.services import executions

pytestmark = pytest.mark.django_db


def parent_of(child, resource="arn:aws:states:::states:startExecution.sync:2"):
    return {
        "StartAt": "Run child",
        "States": {
            "Run child": {
                "Type": "Task",
                "Resource": resource,
                "Parameters": {"StateMachineArn": child.arn, "Input": {"x": 1}},
                "End": True,
            }
        },
    }


def test_a_sync_child_execution_answers_its_parent_with_its_output(make_state_machine):
    child = make_state_machine(
        {
            "StartAt": "Echo",
            "States": {"Echo": {"Type": "Pass", "Parameters": {"got.$": "$.x"}, "End": True}},
        },
        name="child",
    )
    parent = executions.start(make_state_machine(parent_of(child), name="parent"), {})

    drain()

    parent.refresh_from_db()
    started = Execution.objects.get(parent=parent)
    assert parent.status == Status.SUCCEEDED
    assert parent.output["Output"] == {"got": 1} and parent.output["ExecutionArn"] == started.arn
    assert started.status == Status.SUCCEEDED and started.state_machine == child


def test_a_failed_child_fails_its_parent_task_with_states_task_failed(make_state_machine):
    child = make_state_machine(
        {"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "Nope"}}}, name="child"
    )
    parent = executions.start(
        make_state_machine(parent_of(child, "arn:aws:states:::states:startExecution.sync"), name="parent"), {}
    )

    drain()

    parent.refresh_from_db()
    assert (parent.status, parent.error) == (Status.FAILED, "States.TaskFailed")
    assert json.loads(parent.cause)["Error"] == "Nope"


def test_stopping_a_parent_stops_its_sync_child(make_state_machine):
    child = make_state_machine(
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}, name="child"
    )
    parent = executions.start(make_state_machine(parent_of(child), name="parent"), {})
    drain()

    executions.stop(parent)
    drain()

    assert Execution.objects.get(parent=parent).status == Status.ABORTED


def test_a_missing_child_state_machine_fails_the_task_as_aws_does(make_state_machine):
    ghost = make_state_machine({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}, name="ghost")
    definition = parent_of(ghost)
    ghost.delete()
    parent = executions.start(make_state_machine(definition, name="parent"), {})

    drain()

    parent.refresh_from_db()
    assert (parent.status, parent.error) == (Status.FAILED, "StepFunctions.StateMachineDoesNotExistException")
