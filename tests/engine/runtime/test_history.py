"""History events: named and shaped as GetExecutionHistory returns them, numbered by the Recorder."""

import pytest

from engine.json import MAX_HISTORY_EVENTS
from engine.runtime.history import ENTERED, EXITED, HistoryLimitExceeded, Recorder
from engine.testing import machine_of, run


def test_the_recorder_numbers_events_on_from_the_last_id():
    recorder = Recorder(last_event_id=7, now=12.5)

    first = recorder.add("PassStateEntered")
    second = recorder.add("PassStateExited")

    assert (first, second) == (8, 9)
    assert recorder.events == [
        {"id": 8, "previousEventId": 7, "timestamp": 12.5, "type": "PassStateEntered"},
        {"id": 9, "previousEventId": 8, "timestamp": 12.5, "type": "PassStateExited"},
    ]
    assert recorder.last_id == 9


def test_entered_and_exited_details_are_shaped_as_aws_shapes_them():
    recorder = Recorder(0, 0.0)

    recorder.entered("Task", "Work", {"a": 1})
    recorder.exited("Task", "Work", [1], {"v": 2})
    recorder.exited("Pass", "Next", None)

    entered, exited, plain = recorder.events
    assert entered["type"] == "TaskStateEntered"
    assert entered["stateEnteredEventDetails"] == {
        "name": "Work",
        "input": {"a": 1},
        "inputDetails": {"truncated": False},
    }
    assert exited["type"] == "TaskStateExited"
    assert exited["stateExitedEventDetails"] == {
        "name": "Work",
        "output": [1],
        "outputDetails": {"truncated": False},
        "assignedVariables": {"v": 2},
    }
    assert "assignedVariables" not in plain["stateExitedEventDetails"]


def test_failure_details_are_keyed_after_the_event_type_and_skip_what_is_missing():
    recorder = Recorder(0, 0.0)

    recorder.failure("ExecutionFailed", "E", None)
    recorder.failure("TaskFailed", None, "c", resourceType="sns", resource="publish")

    failed, task_failed = recorder.events
    assert failed["executionFailedEventDetails"] == {"error": "E"}
    assert task_failed["taskFailedEventDetails"] == {
        "cause": "c",
        "resourceType": "sns",
        "resource": "publish",
    }


@pytest.mark.parametrize(
    "state_type", ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]
)
def test_every_state_type_has_entered_and_exited_event_names(state_type):
    assert ENTERED[state_type] == f"{state_type}StateEntered"
    assert EXITED[state_type] == f"{state_type}StateExited"


def test_the_recorder_refuses_a_state_event_past_25000():
    recorder = Recorder(MAX_HISTORY_EVENTS - 1, 0.0)
    recorder.add("PassStateEntered")

    with pytest.raises(HistoryLimitExceeded) as limit:
        recorder.add("PassStateExited")

    assert limit.value.error == "States.Runtime"
    assert limit.value.terminal


def test_the_closing_execution_event_is_recorded_even_past_the_limit():
    recorder = Recorder(MAX_HISTORY_EVENTS, 0.0)

    event_id = recorder.add("ExecutionFailed", "executionFailedEventDetails", {"error": "States.Runtime"})

    assert event_id == MAX_HISTORY_EVENTS + 1


def test_every_event_of_a_run_has_an_id_one_more_than_the_previous_one():
    machine = machine_of(
        {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Both",
                "States": {
                    "Both": {
                        "Type": "Parallel",
                        "Branches": [
                            {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}},
                            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                        ],
                        "End": True,
                    }
                },
            },
        }
    )

    result = run(machine, [1, 2, 3])

    assert [e["id"] for e in result.events] == list(range(1, len(result.events) + 1))
    assert all(e["previousEventId"] < e["id"] for e in result.events)
    assert [e["timestamp"] for e in result.events] == sorted(e["timestamp"] for e in result.events)


def test_the_execution_ends_with_exactly_one_closing_event():
    machine = machine_of({"Type": "Fail", "Error": "E"})

    result = run(machine, {})

    closing = [
        t
        for t in result.event_types()
        if t in ("ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut")
    ]
    assert closing == ["ExecutionFailed"]
    assert result.event_types()[-1] == "ExecutionFailed"
