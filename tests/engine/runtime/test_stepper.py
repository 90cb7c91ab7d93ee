"""The functional core: start() and step() take a happening and return state, events and effects."""

import pytest

import engine
from engine.runtime.effects import CancelTask, CancelTimer
from engine.testing import START, machine_of, run

CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
T0 = 1_000.0
ARN = "arn:aws:states:eu-west-1:111122223333:stateMachine:Orders"
EXECUTION_ARN = "arn:aws:states:eu-west-1:111122223333:execution:Orders:run-1"


def waiting_machine():
    return machine_of(
        {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "Ask",
                        "States": {"Ask": {"Type": "Task", "Resource": CALLBACK, "End": True}},
                    },
                    {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 60, "End": True}}},
                ],
                "End": True,
            }
        }
    )


def kinds(step):
    return [type(effect).__name__ for effect in step.effects]


def test_start_records_execution_started_with_the_input_and_arns():
    machine = machine_of({"Type": "Pass"})

    step = engine.start(
        machine, engine.Start(input={"a": 1}, state_machine_arn=ARN, execution_arn=EXECUTION_ARN), T0
    )

    first = step.events[0]
    assert (first["id"], first["type"], first["timestamp"]) == (1, "ExecutionStarted", T0)
    assert first["executionStartedEventDetails"]["input"] == {"a": 1}
    assert first["executionStartedEventDetails"]["stateMachineArn"] == ARN


def test_a_machine_without_waiting_finishes_in_the_start_step():
    machine = machine_of({"Type": "Pass", "Result": "done"})

    step = engine.start(machine, engine.Start(input={}), T0)

    assert step.execution.status == "SUCCEEDED"
    assert step.effects == [engine.Finish("SUCCEEDED", "done")]


def test_the_context_object_names_the_execution_and_the_state_machine():
    machine = machine_of(
        {
            "Type": "Pass",
            "Parameters": {
                "id.$": "$$.Execution.Id",
                "name.$": "$$.Execution.Name",
                "input.$": "$$.Execution.Input",
                "machine.$": "$$.StateMachine.Name",
                "started.$": "$$.Execution.StartTime",
                "state.$": "$$.State.Name",
            },
        },
        name="Look",
    )

    result = run(machine, {"a": 1}, state_machine_arn=ARN, execution_arn=EXECUTION_ARN, name="run-1")

    assert result.output == {
        "id": EXECUTION_ARN,
        "name": "run-1",
        "input": {"a": 1},
        "machine": "Orders",
        "started": "2024-01-01T00:00:00.000Z",
        "state": "Look",
    }


def test_event_ids_continue_from_step_to_step():
    machine = machine_of(
        {"Sleep": {"Type": "Wait", "Seconds": 5, "Next": "Done"}, "Done": {"Type": "Succeed"}}
    )
    started = engine.start(machine, engine.Start(input={}), T0)
    (timer,) = [e for e in started.effects if isinstance(e, engine.StartTimer)]

    fired = engine.step(started.execution, engine.TimerFired(timer.timer_id), timer.due)

    ids = [e["id"] for e in started.events + fired.events]
    assert ids == list(range(1, len(ids) + 1))
    assert fired.execution.last_event_id == ids[-1]


def test_a_happening_for_an_unknown_task_or_timer_changes_nothing():
    machine = waiting_machine()
    started = engine.start(machine, engine.Start(input={}), T0)
    before = started.execution.to_json()

    unknown_task = engine.step(started.execution, engine.TaskSucceeded("task-999", 1), T0 + 1)
    unknown_timer = engine.step(started.execution, engine.TimerFired("timer-999"), T0 + 2)
    unknown_beat = engine.step(started.execution, engine.TaskHeartbeat("task-999"), T0 + 3)

    assert unknown_task.events == unknown_timer.events == unknown_beat.events == []
    assert unknown_task.effects == unknown_timer.effects == unknown_beat.effects == []
    assert started.execution.to_json() == before


def test_stop_aborts_and_cancels_whatever_is_pending():
    machine = waiting_machine()
    started = engine.start(machine, engine.Start(input={}), T0)
    (call,) = [e for e in started.effects if isinstance(e, engine.InvokeTask)]
    (timer,) = [e for e in started.effects if isinstance(e, engine.StartTimer)]

    stopped = engine.step(started.execution, engine.Stop(error="Operator", cause="no longer needed"), T0 + 1)

    assert stopped.execution.status == "ABORTED"
    assert [e["type"] for e in stopped.events] == ["ExecutionAborted"]
    assert stopped.events[0]["executionAbortedEventDetails"] == {
        "error": "Operator",
        "cause": "no longer needed",
    }
    assert CancelTask(call.task_id) in stopped.effects
    assert CancelTimer(timer.timer_id) in stopped.effects
    assert stopped.effects[-1] == engine.Finish("ABORTED", None, "Operator", "no longer needed")


def test_a_closed_execution_ignores_every_further_happening():
    machine = waiting_machine()
    started = engine.start(machine, engine.Start(input={}), T0)
    (call,) = [e for e in started.effects if isinstance(e, engine.InvokeTask)]
    engine.step(started.execution, engine.Stop(), T0 + 1)

    late = engine.step(started.execution, engine.TaskSucceeded(call.task_id, 1), T0 + 2)
    again = engine.step(started.execution, engine.Stop(), T0 + 3)

    assert late.events == again.events == []
    assert late.effects == again.effects == []
    assert started.execution.status == "ABORTED"


def test_execution_timeout_seconds_times_the_execution_out():
    machine = machine_of(
        {
            "TimeoutSeconds": 10,
            "StartAt": "Sleep",
            "States": {"Sleep": {"Type": "Wait", "Seconds": 100, "End": True}},
        }
    )

    result = run(machine, {})

    assert (result.status, result.error) == ("TIMED_OUT", "States.Timeout")
    assert result.event_types() == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    assert result.events[-1]["timestamp"] == START + 10


def test_an_execution_that_ends_in_time_cancels_its_timeout():
    machine = machine_of(
        {"TimeoutSeconds": 10, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    )

    step = engine.start(machine, engine.Start(input={}), T0)

    (timer,) = [e for e in step.effects if isinstance(e, engine.StartTimer)]
    assert timer.purpose == "execution-timeout"
    assert CancelTimer(timer.timer_id) in step.effects
    assert step.effects[-1] == engine.Finish("SUCCEEDED", {})


def test_an_execution_input_over_256_kib_fails_at_once():
    machine = machine_of({"Type": "Pass"})

    result = run(machine, {"big": "x" * (256 * 1024)})

    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")
    assert result.event_types() == ["ExecutionStarted", "ExecutionFailed"]


def test_a_state_output_over_256_kib_fails_with_states_data_limit_exceeded():
    machine = machine_of({"Type": "Pass", "Parameters": {"a.$": "$.s", "b.$": "$.s"}}, name="Double")

    result = run(machine, {"s": "x" * (150 * 1024)})

    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")
    assert "The state/task 'Double' returned a result with a size exceeding" in result.cause


def test_states_all_does_not_catch_an_oversized_state_output():
    machine = machine_of(
        {
            "Wrap": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "Double",
                        "States": {
                            "Double": {
                                "Type": "Pass",
                                "Parameters": {"a.$": "$.s", "b.$": "$.s"},
                                "End": True,
                            }
                        },
                    }
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}],
                "End": True,
            },
            "Handle": {"Type": "Pass", "End": True},
        }
    )

    result = run(machine, {"s": "x" * (150 * 1024)})

    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")


def test_an_endless_loop_fails_when_the_history_reaches_25000_events():
    machine = machine_of(
        {
            "Again": {"Type": "Pass", "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
                "Default": "Again",
            },
            "Done": {"Type": "Succeed"},
        }
    )

    result = run(machine, {})

    assert result.status == "FAILED"
    assert "maximum number of history events (25000)" in result.cause
    assert len(result.events) <= 25_001
    assert result.event_types()[-1] == "ExecutionFailed"


def test_an_endless_loop_inside_a_map_fails_the_execution_too():
    loop = {
        "StartAt": "Again",
        "States": {
            "Again": {"Type": "Pass", "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
                "Default": "Again",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    machine = machine_of({"Type": "Map", "ItemProcessor": loop})

    result = run(machine, [{}, {}, {}])

    assert result.status == "FAILED"
    assert "maximum number of history events" in result.cause
    assert result.event_types()[-1] == "ExecutionFailed"


def nested_parallel(depth):
    state = {"Type": "Pass", "Result": "deep", "End": True}
    for level in range(depth):
        state = {
            "Type": "Parallel",
            "Branches": [{"StartAt": f"L{level}", "States": {f"L{level}": state}}],
            "End": True,
        }
    return {"StartAt": "Top", "States": {"Top": state}}


def test_parallels_nested_as_deep_as_validation_allows_run_without_crashing():
    depth = 45
    machine = machine_of(nested_parallel(depth))

    result = run(machine, {})

    expected = "deep"
    for _ in range(depth):
        expected = [expected]
    assert result.status == "SUCCEEDED"
    assert result.output == expected


def test_a_deeply_nested_input_passes_through_without_crashing():
    value = "leaf"
    for _ in range(150):
        value = {"k": [value]}
    machine = machine_of({"Type": "Pass", "Parameters": {"v.$": "$"}})

    result = run(machine, value)

    assert result.status == "SUCCEEDED"
    assert result.output == {"v": value}


def test_a_very_deep_input_fails_cleanly_instead_of_crashing():
    value = 0
    for _ in range(20_000):
        value = [value]
    machine = machine_of({"Type": "Pass", "Parameters": {"v.$": "$"}})

    step = engine.start(machine, engine.Start(input=value), T0)

    assert step.execution.status in ("SUCCEEDED", "FAILED")


def branch_with_a_runtime_error(state_type):
    inner = {"StartAt": "Bad", "States": {"Bad": {"Type": "Pass", "InputPath": "$.missing", "End": True}}}
    body = {"Branches": [inner]} if state_type == "Parallel" else {"ItemProcessor": inner}
    return machine_of(
        {
            "Wrap": {
                "Type": state_type,
                **body,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}],
                "End": True,
            },
            "Handle": {"Type": "Pass", "End": True},
        }
    )


@pytest.mark.parametrize("state_type", ["Parallel", "Map"])
def test_states_all_on_a_parallel_or_map_does_not_catch_a_states_runtime_from_inside(state_type):
    machine = branch_with_a_runtime_error(state_type)

    result = run(machine, [{}])

    assert (result.status, result.error) == ("FAILED", "States.Runtime")


def test_an_execution_timeout_cancels_every_pending_task_and_timer():
    machine = machine_of(
        {
            "TimeoutSeconds": 50,
            "StartAt": "Each",
            "States": {
                "Each": {
                    "Type": "Map",
                    "MaxConcurrency": 2,
                    "ItemProcessor": {
                        "StartAt": "Ask",
                        "States": {
                            "Ask": {"Type": "Task", "Resource": CALLBACK, "TimeoutSeconds": 100, "End": True}
                        },
                    },
                    "End": True,
                }
            },
        }
    )
    started = engine.start(machine, engine.Start(input=[1, 2, 3]), 0.0)
    calls = [e for e in started.effects if isinstance(e, engine.InvokeTask)]
    timeouts = [
        e for e in started.effects if isinstance(e, engine.StartTimer) and e.purpose == "task-timeout"
    ]
    (execution_timer,) = [
        e for e in started.effects if isinstance(e, engine.StartTimer) and e.purpose == "execution-timeout"
    ]

    step = engine.step(started.execution, engine.TimerFired(execution_timer.timer_id), 50.0)

    assert [e["type"] for e in step.events] == ["ExecutionTimedOut"]
    assert {CancelTask(c.task_id) for c in calls} <= set(step.effects)
    assert {CancelTimer(t.timer_id) for t in timeouts} <= set(step.effects)
    assert step.effects[-1].status == "TIMED_OUT"
