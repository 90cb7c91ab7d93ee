"""engine.testing: machine_of() and run() for our tests and our users'."""

import pytest

from engine.clock import VirtualClock
from engine.integrations import FunctionRegistry
from engine.testing import START, InvalidDefinition, machine_of, mocks_of, run

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:{}"


def test_one_state_becomes_a_machine_named_after_its_type_and_ends():
    machine = machine_of({"Type": "Pass", "Result": 1})

    result = run(machine, {})

    assert result.output == 1
    assert result.events[1]["stateEnteredEventDetails"]["name"] == "Pass"


def test_one_state_can_be_given_a_name():
    machine = machine_of({"Type": "Succeed"}, name="Done")

    result = run(machine, {})

    assert result.events[1]["stateEnteredEventDetails"]["name"] == "Done"


def test_a_dict_of_states_starts_at_the_first():
    machine = machine_of(
        {"B": {"Type": "Pass", "Result": "b", "Next": "A"}, "A": {"Type": "Pass", "End": True}}
    )

    result = run(machine, {})

    assert result.event_types()[1:3] == ["PassStateEntered", "PassStateExited"]
    assert result.events[1]["stateEnteredEventDetails"]["name"] == "B"


def test_a_whole_definition_is_taken_as_it_is():
    machine = machine_of({"StartAt": "X", "States": {"X": {"Type": "Pass", "Result": "x", "End": True}}})

    assert run(machine, {}).output == "x"


def test_definition_text_in_json_or_yaml_is_accepted():
    yaml_text = "StartAt: X\nStates:\n  X:\n    Type: Pass\n    Result: 3\n    End: true\n"

    machine = machine_of(yaml_text)

    assert run(machine, {}).output == 3


def test_an_invalid_definition_raises_listing_every_error():
    with pytest.raises(InvalidDefinition) as invalid:
        machine_of({"A": {"Type": "Pass", "Next": "Nowhere"}, "B": {"Type": "Wait", "End": True}})

    message = str(invalid.value)
    assert "MISSING_TRANSITION_TARGET at /States/A/Next" in message
    assert "/States/B" in message
    assert len(invalid.value.diagnostics) >= 2
    assert all(d.severity == "ERROR" for d in invalid.value.diagnostics)


def test_run_takes_functions_as_a_dict_or_a_registry():
    machine = machine_of({"Type": "Task", "Resource": FUNCTION.format("inc")})
    registry = FunctionRegistry()
    registry.register("inc", lambda event: event + 1)

    assert run(machine, 1, functions={"inc": lambda event: event + 1}).output == 2
    assert run(machine, 1, functions=registry).output == 2


def test_run_takes_mocks_as_a_dict_of_responses():
    machine = machine_of({"Type": "Task", "Resource": "arn:aws:states:::sns:publish"}, name="Notify")

    result = run(machine, {}, mocks={"Notify": [{"Throw": {"Error": "E"}}]})

    assert (result.status, result.error) == ("FAILED", "E")


def test_mocks_of_builds_a_test_case_with_one_response_per_invocation():
    case = mocks_of({"A": {"Return": 1}, "B": [{"Return": 2}, {"Throw": {"Error": "E", "Cause": "c"}}]})

    assert case.respond("A", 0).output == 1
    assert case.respond("B", 1).error == "E"
    assert case.respond("B", 2) is None


def test_run_starts_the_virtual_clock_at_a_fixed_moment():
    machine = machine_of({"Type": "Wait", "Seconds": 5})

    result = run(machine, {})

    assert result.events[0]["timestamp"] == START
    assert result.events[-1]["timestamp"] == START + 5


def test_run_uses_the_clock_it_is_given():
    clock = VirtualClock(100.0)

    result = run(machine_of({"Type": "Wait", "Seconds": 5}), {}, clock=clock)

    assert result.events[0]["timestamp"] == 100.0
    assert clock.now() == 105.0


def test_run_passes_start_fields_on():
    machine = machine_of({"Type": "Pass", "Parameters": {"name.$": "$$.Execution.Name"}})

    result = run(machine, {}, name="my-run")

    assert result.output == {"name": "my-run"}
