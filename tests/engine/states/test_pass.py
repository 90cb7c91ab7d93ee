"""Pass: its input or Result, through InputPath, Parameters, ResultPath and OutputPath."""

import pytest

from engine.testing import machine_of, run


def output_of(state, value):
    result = run(machine_of(state), value)
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    return result.output


def test_result_replaces_the_input_even_when_it_is_false():
    machine = machine_of({"Type": "Pass", "Result": False, "End": True})

    result = run(machine, {"order": 7})

    assert result.status == "SUCCEEDED"
    assert result.output is False
    assert result.event_types() == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


@pytest.mark.parametrize("falsy", [0, "", [], {}, None])
def test_every_falsy_result_is_kept_as_it_is(falsy):
    output = output_of({"Type": "Pass", "Result": falsy}, {"order": 7})

    assert output == falsy
    assert type(output) is type(falsy)


def test_without_result_the_input_passes_through():
    output = output_of({"Type": "Pass"}, {"order": 7})

    assert output == {"order": 7}


def test_input_path_selects_part_of_the_input():
    output = output_of({"Type": "Pass", "InputPath": "$.order"}, {"order": {"id": 7}})

    assert output == {"id": 7}


def test_input_path_null_gives_an_empty_object():
    output = output_of({"Type": "Pass", "InputPath": None}, {"order": 7})

    assert output == {}


def test_parameters_build_a_new_input_from_paths_the_context_and_intrinsics():
    state = {
        "Type": "Pass",
        "Parameters": {
            "id.$": "$.order.id",
            "fixed": "text",
            "name.$": "$$.State.Name",
            "label.$": "States.Format('order {}', $.order.id)",
            "nested": {"items.$": "$.items[1]"},
        },
    }

    output = output_of(state, {"order": {"id": 7}, "items": ["a", "b"]})

    assert output == {"id": 7, "fixed": "text", "name": "Pass", "label": "order 7", "nested": {"items": "b"}}


def test_parameters_apply_after_input_path():
    output = output_of(
        {"Type": "Pass", "InputPath": "$.order", "Parameters": {"x.$": "$.id"}}, {"order": {"id": 3}}
    )

    assert output == {"x": 3}


def test_result_path_puts_the_result_beside_the_input():
    output = output_of({"Type": "Pass", "Result": {"ok": True}, "ResultPath": "$.check"}, {"order": 7})

    assert output == {"order": 7, "check": {"ok": True}}


def test_result_path_creates_missing_objects_on_the_way():
    output = output_of({"Type": "Pass", "Result": 1, "ResultPath": "$.a.b.c"}, {"order": 7})

    assert output == {"order": 7, "a": {"b": {"c": 1}}}


def test_result_path_dollar_replaces_the_input():
    output = output_of({"Type": "Pass", "Result": [1, 2], "ResultPath": "$"}, {"order": 7})

    assert output == [1, 2]


def test_result_path_null_discards_the_result_and_keeps_the_input():
    output = output_of({"Type": "Pass", "Result": {"ignored": True}, "ResultPath": None}, {"order": 7})

    assert output == {"order": 7}


def test_result_path_null_keeps_the_raw_input_not_the_input_path_selection():
    state = {"Type": "Pass", "InputPath": "$.order", "ResultPath": None}

    output = output_of(state, {"order": {"id": 7}, "other": 1})

    assert output == {"order": {"id": 7}, "other": 1}


def test_result_path_into_a_non_object_is_a_result_path_match_failure():
    machine = machine_of({"Type": "Pass", "Result": 1, "ResultPath": "$.a.b"})

    result = run(machine, {"a": "text"})

    assert result.status == "FAILED"
    assert result.error == "States.ResultPathMatchFailure"
    assert result.cause.startswith(
        "An error occurred while executing the state 'Pass' (entered at the event id #2)."
    )


def test_output_path_selects_part_of_the_combined_output():
    state = {"Type": "Pass", "Result": {"ok": True}, "ResultPath": "$.check", "OutputPath": "$.check.ok"}

    output = output_of(state, {"order": 7})

    assert output is True


def test_output_path_null_gives_an_empty_object():
    output = output_of({"Type": "Pass", "Result": 5, "OutputPath": None}, {"order": 7})

    assert output == {}


def test_a_missing_input_path_fails_with_states_runtime():
    machine = machine_of({"Type": "Pass", "InputPath": "$.nothing"})

    result = run(machine, {"order": 7})

    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert "Invalid path '$.nothing'" in result.cause


def test_a_missing_output_path_fails_with_states_runtime():
    machine = machine_of({"Type": "Pass", "OutputPath": "$.nothing"})

    result = run(machine, {"order": 7})

    assert result.status == "FAILED"
    assert result.error == "States.Runtime"


def test_entered_and_exited_events_carry_the_state_input_and_output():
    machine = machine_of({"Type": "Pass", "Result": 2, "ResultPath": "$.two"}, name="Add")

    result = run(machine, {"one": 1})

    entered, exited = result.events[1], result.events[2]
    assert entered["stateEnteredEventDetails"] == {
        "name": "Add",
        "input": {"one": 1},
        "inputDetails": {"truncated": False},
    }
    assert exited["stateExitedEventDetails"] == {
        "name": "Add",
        "output": {"one": 1, "two": 2},
        "outputDetails": {"truncated": False},
    }


def test_event_ids_count_up_and_point_at_the_previous_event():
    machine = machine_of({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}})

    result = run(machine, {})

    assert [e["id"] for e in result.events] == [1, 2, 3, 4, 5, 6]
    assert [e["previousEventId"] for e in result.events] == [0, 1, 2, 3, 4, 5]
    assert result.event_types() == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_a_chain_of_passes_hands_each_output_to_the_next_input():
    machine = machine_of(
        {
            "A": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.a", "Next": "B"},
            "B": {"Type": "Pass", "InputPath": "$.a", "End": True},
        }
    )

    result = run(machine, {"x": 0})

    assert result.output == {"n": 1}


def test_jsonata_output_sees_the_input_and_the_context():
    state = {
        "Type": "Pass",
        "QueryLanguage": "JSONata",
        "Output": {"double": "{% $states.input.n * 2 %}", "state": "{% $states.context.State.Name %}"},
    }

    output = output_of(state, {"n": 21})

    assert output == {"double": 42, "state": "Pass"}


def test_jsonata_pass_without_output_passes_its_input():
    output = output_of({"Type": "Pass", "QueryLanguage": "JSONata"}, {"n": 1})

    assert output == {"n": 1}


def test_assign_is_recorded_in_the_exited_event():
    machine = machine_of({"Type": "Pass", "Assign": {"seen.$": "$.n", "fixed": 1}})

    result = run(machine, {"n": 4})

    assert result.events[2]["stateExitedEventDetails"]["assignedVariables"] == {"seen": 4, "fixed": 1}
