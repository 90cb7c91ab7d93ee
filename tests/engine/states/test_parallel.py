"""Parallel: every branch on the same input; results in branch order; a failing branch fails it."""

import itertools

import engine
from engine.definition import load_machine
from engine.runtime.effects import CancelTask
from engine.testing import machine_of, run

CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"


_names = itertools.count()


def branch(*states):
    """A branch of the given states chained in order, named S0, S1, ... (unique in the machine)."""
    names = [f"S{next(_names)}" for _ in states]
    chained = {}
    for i, (name, state) in enumerate(zip(names, states)):
        state = dict(state)
        if state["Type"] not in ("Succeed", "Fail", "Choice"):
            state.update({"Next": names[i + 1]} if i + 1 < len(names) else {"End": True})
        chained[name] = state
    return {"StartAt": names[0], "States": chained}


def parallel(*branches, **fields):
    return machine_of({"Type": "Parallel", "Branches": list(branches), **fields})


def test_results_are_in_branch_order_whatever_order_the_branches_finish_in():
    machine = parallel(
        branch({"Type": "Wait", "Seconds": 30}, {"Type": "Pass", "Result": "slow"}),
        branch({"Type": "Wait", "Seconds": 1}, {"Type": "Pass", "Result": "fast"}),
        branch({"Type": "Pass", "Result": "instant"}),
    )

    result = run(machine, {})

    assert result.output == ["slow", "fast", "instant"]
    exits = [e["stateExitedEventDetails"]["output"] for e in result.events if e["type"] == "PassStateExited"]
    assert exits == ["instant", "fast", "slow"]


def test_every_branch_gets_the_same_effective_input():
    machine = parallel(
        branch({"Type": "Pass", "InputPath": "$.a"}),
        branch({"Type": "Pass", "InputPath": "$.b"}),
        InputPath="$.inner",
        Parameters={"a.$": "$.x", "b.$": "$.y"},
    )

    result = run(machine, {"inner": {"x": 1, "y": 2}})

    assert result.output == [1, 2]


def test_parallel_records_started_and_succeeded_around_its_branches():
    machine = parallel(branch({"Type": "Pass"}), branch({"Type": "Pass"}))

    result = run(machine, {})

    assert result.event_types() == [
        "ExecutionStarted",
        "ParallelStateEntered",
        "ParallelStateStarted",
        "PassStateEntered",
        "PassStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ]


def test_result_selector_result_path_and_output_path_apply_to_the_results():
    machine = parallel(
        branch({"Type": "Pass", "Result": 1}),
        branch({"Type": "Pass", "Result": 2}),
        ResultSelector={"first.$": "$[0]", "second.$": "$[1]"},
        ResultPath="$.out",
        OutputPath="$.out",
    )

    result = run(machine, {"in": 0})

    assert result.output == {"first": 1, "second": 2}


def test_a_failing_branch_fails_the_state_with_its_own_error():
    machine = parallel(
        branch({"Type": "Pass"}),
        branch({"Type": "Fail", "Error": "BranchBroke", "Cause": "branch two"}),
    )

    result = run(machine, {})

    assert (result.status, result.error, result.cause) == ("FAILED", "BranchBroke", "branch two")
    assert result.event_types()[-3:] == ["FailStateEntered", "ParallelStateFailed", "ExecutionFailed"]


def test_a_failing_branch_abandons_the_branches_still_running():
    machine = parallel(
        branch({"Type": "Task", "Resource": CALLBACK}),
        branch({"Type": "Wait", "Seconds": 5}, {"Type": "Fail", "Error": "Late"}),
    )
    started = engine.start(machine, engine.Start(input={}), 0.0)
    (call,) = [e for e in started.effects if isinstance(e, engine.InvokeTask)]
    (timer,) = [e for e in started.effects if isinstance(e, engine.StartTimer)]

    failed = engine.step(started.execution, engine.TimerFired(timer.timer_id), timer.due)
    late = engine.step(failed.execution, engine.TaskSucceeded(call.task_id, "too late"), timer.due + 1)

    assert failed.execution.error == "Late"
    assert CancelTask(call.task_id) in failed.effects
    assert late.events == []


def test_catch_on_a_parallel_handles_a_branch_error():
    machine = machine_of(
        {
            "Both": {
                "Type": "Parallel",
                "Branches": [branch({"Type": "Fail", "Error": "Nope", "Cause": "c"})],
                "Catch": [{"ErrorEquals": ["Nope"], "ResultPath": "$.error", "Next": "Handle"}],
                "End": True,
            },
            "Handle": {"Type": "Pass", "End": True},
        }
    )

    result = run(machine, {"in": 1})

    assert result.status == "SUCCEEDED"
    assert result.output == {"in": 1, "error": {"Error": "Nope", "Cause": "c"}}


def test_retry_on_a_parallel_runs_every_branch_again():
    calls = []

    def flaky(event):
        calls.append(event)
        if len(calls) == 1:
            raise RuntimeError("first time")
        return "ok"

    machine = parallel(
        branch({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:flaky"}),
        branch({"Type": "Pass", "Result": "b"}),
        Retry=[{"ErrorEquals": ["RuntimeError"], "IntervalSeconds": 1}],
    )

    result = run(machine, {}, functions={"flaky": flaky})

    assert result.output == ["ok", "b"]
    assert result.event_types().count("ParallelStateStarted") == 2


def test_parallels_nest():
    inner = {
        "Type": "Parallel",
        "Branches": [branch({"Type": "Pass", "Result": 1}), branch({"Type": "Pass", "Result": 2})],
    }
    machine = parallel(branch(inner), branch({"Type": "Pass", "Result": 3}))

    result = run(machine, {})

    assert result.output == [[1, 2], 3]


def test_jsonata_parallel_arguments_and_output():
    machine = parallel(
        branch({"Type": "Pass"}),
        branch({"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.n * 10 %}"}),
        QueryLanguage="JSONata",
        Arguments={"n": "{% $states.input.n + 1 %}"},
        Output={"results": "{% $states.result %}"},
    )

    result = run(machine, {"n": 1})

    assert result.output == {"results": [{"n": 2}, 20]}


def test_a_fail_without_error_inside_a_branch_fails_the_execution_without_an_error():
    machine = parallel(branch({"Type": "Fail"}))

    result = run(machine, {})

    assert (result.status, result.error, result.cause) == ("FAILED", None, None)
    assert result.events[-1]["executionFailedEventDetails"] == {}


def test_a_jsonata_parallel_with_a_jsonpath_choice_in_a_branch_loads():
    inner = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Done"}],
                "Default": "Done",
            },
            "Done": {"Type": "Pass", "End": True},
        },
    }
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "QueryLanguage": "JSONata", "Branches": [inner], "End": True}},
    }

    machine, diagnostics = load_machine(definition)

    assert machine is not None, diagnostics
    assert run(machine, {"n": 2}).output == [{"n": 2}]


def test_states_inside_a_jsonata_parallel_use_the_top_level_query_language():
    inner = {
        "StartAt": "Pick",
        "States": {"Pick": {"Type": "Pass", "Parameters": {"x.$": "$.a"}, "End": True}},
    }
    machine = parallel(inner, QueryLanguage="JSONata")

    result = run(machine, {"a": 1})

    assert result.output == [{"x": 1}]


def test_a_parallel_catch_result_path_that_cannot_be_applied_fails_the_execution():
    retried = {
        "Type": "Parallel",
        "Branches": [branch({"Type": "Pass"})],
        "ResultPath": "$.a.b",
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 4, "MaxAttempts": 3}],
    }
    machine = machine_of(
        {
            "Outer": {
                "Type": "Parallel",
                "Branches": [branch(retried)],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle", "ResultPath": "$.error"}],
                "Next": "Handle",
            },
            "Handle": {"Type": "Pass", "End": True},
        }
    )

    result = run(machine, None)

    assert (result.status, result.error) == ("FAILED", "States.ResultPathMatchFailure")
