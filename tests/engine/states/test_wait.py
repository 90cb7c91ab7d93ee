"""Wait: a timer until a moment, then the input passes on; on a virtual clock nothing sleeps."""

from datetime import UTC, datetime

import pytest

import engine
from engine.testing import START, machine_of, run

T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z


def wait_then_pass(wait):
    return machine_of(
        {"Sleep": {"Type": "Wait", **wait, "Next": "After"}, "After": {"Type": "Pass", "End": True}}
    )


def entered_at(result, name):
    for event in result.events:
        details = event.get("stateEnteredEventDetails")
        if details is not None and details["name"] == name:
            return event["timestamp"]
    raise AssertionError(f"{name} never entered")


def stamp(seconds):
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_seconds_waits_that_long_on_the_virtual_clock():
    machine = wait_then_pass({"Seconds": 90})

    result = run(machine, {"k": 1})

    assert result.status == "SUCCEEDED"
    assert result.output == {"k": 1}
    assert entered_at(result, "After") - entered_at(result, "Sleep") == 90


def test_a_year_long_wait_finishes_at_once_while_the_timestamps_move_on():
    machine = wait_then_pass({"Seconds": 365 * 24 * 3600})

    result = run(machine, {})

    assert result.events[-1]["timestamp"] - result.events[0]["timestamp"] == 365 * 24 * 3600


def test_seconds_zero_is_a_wait_of_nothing_not_a_missing_field():
    machine = wait_then_pass({"Seconds": 0})

    started = engine.start(machine, engine.Start(input={}), T0)

    (timer,) = [e for e in started.effects if isinstance(e, engine.StartTimer)]
    assert timer.due == T0
    assert timer.purpose == "wait"


def test_the_wait_resumes_only_when_its_timer_fires():
    machine = wait_then_pass({"Seconds": 10})
    started = engine.start(machine, engine.Start(input={"a": 1}), T0)
    (timer,) = [e for e in started.effects if isinstance(e, engine.StartTimer)]

    fired = engine.step(started.execution, engine.TimerFired(timer.timer_id), timer.due)

    assert [e["type"] for e in started.events] == ["ExecutionStarted", "WaitStateEntered"]
    assert timer.due == T0 + 10
    assert [e["type"] for e in fired.events] == [
        "WaitStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert all(e["timestamp"] == T0 + 10 for e in fired.events)


def test_timestamp_waits_until_that_moment():
    machine = wait_then_pass({"Timestamp": stamp(START + 3600)})

    result = run(machine, {})

    assert entered_at(result, "After") == START + 3600


def test_a_timestamp_in_the_past_does_not_wait():
    machine = wait_then_pass({"Timestamp": "2016-03-14T01:59:00Z"})

    result = run(machine, {})

    assert entered_at(result, "After") == START


def test_seconds_path_reads_the_delay_from_the_input():
    machine = wait_then_pass({"SecondsPath": "$.delay"})

    result = run(machine, {"delay": 42})

    assert entered_at(result, "After") - entered_at(result, "Sleep") == 42


def test_timestamp_path_reads_the_moment_from_the_input():
    machine = wait_then_pass({"TimestampPath": "$.until"})

    result = run(machine, {"until": stamp(START + 7200)})

    assert entered_at(result, "After") == START + 7200


def test_timestamp_with_an_offset_is_understood():
    machine = wait_then_pass({"TimestampPath": "$.until"})

    result = run(machine, {"until": "2024-01-01T02:00:00+01:00"})

    assert entered_at(result, "After") == START + 3600


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "cannot be parsed as a long value"),
        (-5, "references a negative value"),
        (1.5, "cannot be parsed as a long value"),
        ("10", "cannot be parsed as a long value"),
    ],
)
def test_a_bad_seconds_path_value_fails_with_states_runtime(value, words):
    machine = wait_then_pass({"SecondsPath": "$.delay"})

    result = run(machine, {"delay": value})

    assert result.error == "States.Runtime"
    assert words in result.cause


def test_a_missing_seconds_path_value_fails_with_states_runtime():
    machine = wait_then_pass({"SecondsPath": "$.input.waitSeconds"})

    result = run(machine, {})

    assert result.error == "States.Runtime"
    assert result.cause == (
        "An error occurred while executing the state 'Sleep' (entered at the event id #2). "
        "The SecondsPath parameter does not reference an input value: $.input.waitSeconds"
    )


def test_an_invalid_timestamp_path_value_fails_with_states_runtime():
    machine = wait_then_pass({"TimestampPath": "$.until"})

    result = run(machine, {"until": "2016-12-05T25:29:29Z"})

    assert result.error == "States.Runtime"
    assert result.cause.endswith(
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
        "format string: $.until == 2016-12-05T25:29:29Z"
    )


def test_input_path_and_output_path_apply_to_a_wait():
    machine = wait_then_pass({"Seconds": 1, "InputPath": "$.inner", "OutputPath": "$.x"})

    result = run(machine, {"inner": {"x": 5}})

    assert result.output == 5


def test_jsonata_seconds_expression_and_output():
    machine = wait_then_pass(
        {
            "QueryLanguage": "JSONata",
            "Seconds": "{% $states.input.d * 2 %}",
            "Output": "{% $states.input.d %}",
        }
    )

    result = run(machine, {"d": 5})

    assert result.output == 5
    assert entered_at(result, "After") - entered_at(result, "Sleep") == 10


def test_jsonata_timestamp_expression():
    machine = wait_then_pass({"QueryLanguage": "JSONata", "Timestamp": "{% $states.input.t %}"})

    result = run(machine, {"t": stamp(START + 60)})

    assert entered_at(result, "After") == START + 60


def test_two_waits_in_a_row_add_up():
    machine = machine_of(
        {
            "One": {"Type": "Wait", "Seconds": 5, "Next": "Two"},
            "Two": {"Type": "Wait", "Seconds": 7, "End": True},
        }
    )

    result = run(machine, {})

    assert result.events[-1]["timestamp"] == START + 12


def test_the_context_object_sees_the_time_a_state_was_entered_after_a_wait():
    machine = machine_of(
        {
            "Sleep": {"Type": "Wait", "Seconds": 60, "Next": "Look"},
            "Look": {
                "Type": "Pass",
                "Parameters": {"at.$": "$$.State.EnteredTime", "began.$": "$$.Execution.StartTime"},
                "End": True,
            },
        }
    )

    result = run(machine, {})

    assert result.output["began"].startswith("2024-01-01T00:00:00")
    assert result.output["at"].startswith("2024-01-01T00:01:00")
