"""Choice: the first matching rule names the next state; Default; States.NoChoiceMatched."""

import json

from engine.testing import machine_of, run


def choice_machine(choice, **replaced):
    """Check (the Choice) and whichever of Small, Big and Other it goes to."""
    targets = {
        "Small": {"Type": "Pass", "Result": "small", "End": True},
        "Big": {"Type": "Pass", "Result": "big", "End": True},
        "Other": {"Type": "Pass", "Result": "other", "End": True},
        **replaced,
    }
    used = json.dumps(choice)
    states = {"Check": {"Type": "Choice", **choice}}
    states.update({name: state for name, state in targets.items() if f'"{name}"' in used})
    return machine_of(states)


SIZE_RULES = {
    "Choices": [
        {"Variable": "$.n", "NumericLessThan": 10, "Next": "Small"},
        {"Variable": "$.n", "NumericGreaterThanEquals": 10, "Next": "Big"},
    ]
}


def test_the_first_matching_rule_names_the_next_state():
    machine = choice_machine({**SIZE_RULES, "Default": "Other"})

    assert run(machine, {"n": 3}).output == "small"
    assert run(machine, {"n": 30}).output == "big"


def test_rules_are_tried_in_order():
    machine = choice_machine(
        {
            "Choices": [
                {"Variable": "$.n", "IsNumeric": True, "Next": "Big"},
                {"Variable": "$.n", "NumericLessThan": 10, "Next": "Small"},
            ]
        }
    )

    result = run(machine, {"n": 3})

    assert result.output == "big"


def test_default_is_taken_when_no_rule_matches():
    machine = choice_machine({**SIZE_RULES, "Default": "Other"})

    result = run(machine, {"n": "three"})

    assert result.output == "other"


def test_no_match_and_no_default_fails_with_states_no_choice_matched():
    machine = choice_machine(SIZE_RULES)

    result = run(machine, {"n": "three"})

    assert result.status == "FAILED"
    assert result.error == "States.NoChoiceMatched"
    assert result.event_types()[-2:] == ["ChoiceStateEntered", "ExecutionFailed"]


def test_a_choice_passes_its_input_on_unchanged():
    machine = choice_machine({**SIZE_RULES, "Default": "Other"}, Small={"Type": "Pass", "End": True})

    result = run(machine, {"n": 3, "keep": [1]})

    assert result.output == {"n": 3, "keep": [1]}


def test_input_path_and_output_path_apply_to_a_choice():
    machine = choice_machine(
        {
            "InputPath": "$.inner",
            "OutputPath": "$.n",
            **SIZE_RULES,
        },
        Small={"Type": "Pass", "End": True},
    )

    result = run(machine, {"inner": {"n": 3}})

    assert result.output == 3


def test_choice_events_are_entered_then_exited():
    machine = choice_machine({**SIZE_RULES, "Default": "Other"})

    result = run(machine, {"n": 3})

    assert result.event_types() == [
        "ExecutionStarted",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_a_false_boolean_is_compared_not_treated_as_missing():
    machine = choice_machine(
        {"Choices": [{"Variable": "$.flag", "BooleanEquals": False, "Next": "Small"}], "Default": "Big"}
    )

    result = run(machine, {"flag": False})

    assert result.output == "small"


def test_and_or_not_combine_rules():
    rule = {
        "And": [
            {"Not": {"Variable": "$.name", "StringEquals": "x"}},
            {"Or": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericEquals": 2}]},
        ],
        "Next": "Small",
    }
    machine = choice_machine({"Choices": [rule], "Default": "Big"})

    assert run(machine, {"name": "y", "n": 2}).output == "small"
    assert run(machine, {"name": "x", "n": 2}).output == "big"


def test_a_choice_can_loop_back_until_a_rule_matches():
    machine = machine_of(
        {
            "Count": {
                "Type": "Pass",
                "Parameters": {"n.$": "States.MathAdd($.n, 1)"},
                "Next": "Enough",
            },
            "Enough": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 5, "Next": "Done"}],
                "Default": "Count",
            },
            "Done": {"Type": "Succeed"},
        }
    )

    result = run(machine, {"n": 0})

    assert result.output == {"n": 5}
    assert result.event_types().count("ChoiceStateEntered") == 5


def test_jsonata_condition_chooses_and_output_shapes_the_result():
    machine = choice_machine(
        {
            "QueryLanguage": "JSONata",
            "Choices": [
                {
                    "Condition": "{% $states.input.n < 10 %}",
                    "Output": {"m": "{% $states.input.n * 2 %}"},
                    "Next": "Small",
                }
            ],
            "Default": "Other",
        },
        Small={"Type": "Pass", "End": True},
    )

    result = run(machine, {"n": 4})

    assert result.output == {"m": 8}


def test_jsonata_choice_without_a_match_and_default_fails():
    machine = choice_machine(
        {
            "QueryLanguage": "JSONata",
            "Choices": [{"Condition": "{% $states.input.n < 10 %}", "Next": "Small"}],
        }
    )

    result = run(machine, {"n": 40})

    assert result.error == "States.NoChoiceMatched"


def test_assign_on_the_matching_rule_sets_variables():
    machine = choice_machine(
        {
            "Choices": [
                {"Variable": "$.n", "NumericLessThan": 10, "Assign": {"size": "small"}, "Next": "Small"}
            ],
            "Default": "Other",
        },
        Small={"Type": "Pass", "Parameters": {"size.$": "$size"}, "End": True},
    )

    result = run(machine, {"n": 1})

    assert result.output == {"size": "small"}
