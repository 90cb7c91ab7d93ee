"""Succeed and Fail: the states that end a branch or the execution."""

from engine.testing import machine_of, run


def test_succeed_ends_the_execution_with_its_input():
    machine = machine_of({"Type": "Succeed"})

    result = run(machine, {"done": True})

    assert result.status == "SUCCEEDED"
    assert result.output == {"done": True}
    assert result.event_types() == [
        "ExecutionStarted",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
    ]


def test_succeed_applies_input_path_and_output_path():
    machine = machine_of({"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"})

    result = run(machine, {"a": {"b": 2}})

    assert result.output == 2


def test_jsonata_succeed_output():
    machine = machine_of(
        {"Type": "Succeed", "QueryLanguage": "JSONata", "Output": "{% $states.input.a + 1 %}"}
    )

    result = run(machine, {"a": 1})

    assert result.output == 2


def test_fail_ends_the_execution_with_its_error_and_cause():
    machine = machine_of({"Type": "Fail", "Error": "Rejected", "Cause": "too expensive"})

    result = run(machine, {})

    assert (result.status, result.error, result.cause) == ("FAILED", "Rejected", "too expensive")
    assert result.event_types() == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
    assert result.events[-1]["executionFailedEventDetails"] == {"error": "Rejected", "cause": "too expensive"}


def test_fail_without_error_or_cause_reports_none():
    machine = machine_of({"Type": "Fail"})

    result = run(machine, {})

    assert (result.status, result.error, result.cause) == ("FAILED", None, None)
    assert result.events[-1]["executionFailedEventDetails"] == {}


def test_error_path_and_cause_path_read_them_from_the_input():
    machine = machine_of({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"})

    result = run(machine, {"e": "Custom.Error", "c": "because"})

    assert (result.error, result.cause) == ("Custom.Error", "because")


def test_error_path_and_cause_path_accept_intrinsics():
    machine = machine_of(
        {
            "Type": "Fail",
            "ErrorPath": "States.Format('{} string', $.e)",
            "CausePath": "States.Format('caused by {}', $.c)",
        }
    )

    result = run(machine, {"e": "error", "c": "cause string"})

    assert (result.error, result.cause) == ("error string", "caused by cause string")


def test_a_missing_error_path_fails_with_states_runtime():
    machine = machine_of({"Type": "Fail", "ErrorPath": "$.ErrorX"}, name="fail")

    result = run(machine, {"Error": "x"})

    assert result.error == "States.Runtime"
    assert "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input" in (
        result.cause
    )


def test_a_fail_state_is_never_caught_by_an_enclosing_parallel_branch_retry():
    machine = machine_of(
        {
            "Type": "Parallel",
            "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Mine", "Cause": "c"}}}],
            "Retry": [{"ErrorEquals": ["Other"]}],
        }
    )

    result = run(machine, {})

    assert (result.error, result.cause) == ("Mine", "c")


def test_jsonata_fail_error_and_cause_expressions():
    machine = machine_of(
        {
            "Type": "Fail",
            "QueryLanguage": "JSONata",
            "Error": "{% $states.input.kind %}",
            "Cause": "{% 'for ' & $states.input.who %}",
        }
    )

    result = run(machine, {"kind": "Denied", "who": "bob"})

    assert (result.error, result.cause) == ("Denied", "for bob")


def test_a_fail_inside_a_map_iteration_fails_the_execution_with_its_own_error():
    machine = machine_of(
        {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "F",
                "States": {"F": {"Type": "Fail", "Error": "ItemBad", "Cause": "no"}},
            },
        }
    )

    result = run(machine, [1])

    assert (result.status, result.error, result.cause) == ("FAILED", "ItemBad", "no")
