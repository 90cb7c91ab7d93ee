"""validate(): every diagnostic of a raw definition, sorted, with AWS's codes; never raises."""

from engine.definition.diagnostics import Diagnostic, Severity
from engine.definition.validate import validate, validate_text
from engine.json import MAX_NESTING_DEPTH

LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f"


def machine(states: dict, start: str = "A", **top) -> dict:
    return {"StartAt": start, "States": states, **top}


def errors(diagnostics: list[Diagnostic]) -> list[tuple[str, str]]:
    return [(d.code, d.location) for d in diagnostics if d.severity == Severity.ERROR]


def warnings(diagnostics: list[Diagnostic]) -> list[tuple[str, str]]:
    return [(d.code, d.location) for d in diagnostics if d.severity == Severity.WARNING]


def nested_parallels(depth: int) -> dict:
    scope = {"StartAt": "L0", "States": {"L0": {"Type": "Pass", "End": True}}}
    for level in range(1, depth + 1):
        scope = {
            "StartAt": f"L{level}",
            "States": {f"L{level}": {"Type": "Parallel", "Branches": [scope], "End": True}},
        }
    return scope


def test_a_valid_definition_has_no_diagnostics():
    definition = machine(
        {
            "A": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.r", "Next": "B"},
            "B": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Parameters": {"n.$": "$.r.n", "s.$": "States.Format('{}', $.r.n)"},
                "Retry": [
                    {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0},
                    {"ErrorEquals": ["States.ALL"]},
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.error"}],
                "TimeoutSeconds": 10,
                "HeartbeatSeconds": 5,
                "Next": "C",
            },
            "C": {
                "Type": "Choice",
                "Choices": [{"Not": {"Variable": "$.r.n", "NumericGreaterThan": 3}, "Next": "D"}],
                "Default": "F",
            },
            "D": {"Type": "Wait", "Seconds": 0, "InputPath": None, "End": True},
            "F": {"Type": "Fail", "Error": "Failed", "Cause": "It broke"},
        }
    )

    assert validate(definition) == []


def test_a_valid_jsonata_definition_has_no_diagnostics():
    definition = machine(
        {
            "A": {
                "Type": "Map",
                "Items": "{% $states.input.orders %}",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "Charge",
                    "States": {
                        "Charge": {
                            "Type": "Task",
                            "Resource": LAMBDA,
                            "Arguments": {"id": "{% $states.input.id %}"},
                            "End": True,
                        }
                    },
                },
                "Assign": {"count": "{% $count($states.result) %}"},
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [
                    {"Condition": "{% $count > 0 %}", "Next": "Done"},
                    {"Condition": True, "Next": "Done"},
                ],
            },
            "Done": {"Type": "Succeed", "Output": "{% $count %}"},
        },
        QueryLanguage="JSONata",
    )

    assert validate(definition) == []


def test_an_unknown_target_is_reported_where_it_is_named_with_the_states_to_use():
    definition = machine({"A": {"Type": "Pass", "Next": "Done"}, "B": {"Type": "Succeed"}})

    diagnostics = validate(definition)

    target = [d for d in diagnostics if d.location == "/States/A/Next"]
    assert errors(target) == [("MISSING_TRANSITION_TARGET", "/States/A/Next")]
    assert target[0].message == "'A' goes to 'Done', which is not a state here. Use one of: A, B."


def test_diagnostics_are_sorted_by_location_then_code_and_all_are_returned():
    definition = machine({"A": {"Type": "Pass", "InputPath": "x", "Next": "Nope", "Foo": 1}}, Bar=2)

    diagnostics = validate(definition)

    assert errors(diagnostics) == [
        ("SCHEMA_VALIDATION_FAILED", "/Bar"),
        ("SCHEMA_VALIDATION_FAILED", "/States/A/Foo"),
        ("SCHEMA_VALIDATION_FAILED", "/States/A/InputPath"),
        ("MISSING_TRANSITION_TARGET", "/States/A/Next"),
    ]
    assert diagnostics == sorted(diagnostics, key=lambda d: (d.location, d.code))


def test_as_json_has_the_shape_of_validate_state_machine_definition():
    (diagnostic,) = validate(machine({"A": {"Type": "Pass"}}))

    assert diagnostic.as_json() == {
        "severity": "ERROR",
        "code": "SCHEMA_VALIDATION_FAILED",
        "message": "The state 'A' needs a Next state or \"End\": true. Add one of them.",
        "location": "/States/A",
    }


def test_five_hundred_nested_parallels_give_one_diagnostic_not_a_recursion_error():
    definition = nested_parallels(500)

    diagnostics = validate(definition)

    assert [d.code for d in diagnostics] == ["TOO_DEEPLY_NESTED"]
    assert diagnostics[0].location.startswith("/States/L500/Branches/0/States/L499/")
    assert diagnostics[0].location.endswith("/States/L451")  # the state where the depth bound is reached


def test_nesting_within_the_bound_validates_normally():
    definition = nested_parallels((MAX_NESTING_DEPTH - 3) // 4 - 1)

    assert validate(definition) == []


def test_a_self_containing_document_is_too_deep_not_a_hang():
    definition: dict = machine({})
    definition["States"]["A"] = definition

    assert [d.code for d in validate(definition)] == ["TOO_DEEPLY_NESTED"]


def test_values_json_cannot_hold_are_reported_not_raised():
    definition = machine({"A": {"Type": "Pass", "Result": {1, 2}, "End": True}})

    assert errors(validate(definition)) == [("INVALID_JSON_DESCRIPTION", "/States/A/Result")]


def test_garbage_documents_never_raise():
    for document in (
        None,
        0,
        1.5,
        True,
        "",
        "x",
        [],
        [None],
        {},
        {"States": None},
        {"StartAt": [], "States": {"A": None}},
    ):
        diagnostics = validate(document)

        assert diagnostics, document
        assert all(d.severity == Severity.ERROR for d in diagnostics)


def test_express_refuses_sync_that_standard_allows():
    definition = machine(
        {"A": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync", "End": True}}
    )

    assert validate(definition, machine_type="STANDARD") == []
    assert errors(validate(definition, machine_type="EXPRESS")) == [
        ("SCHEMA_VALIDATION_FAILED", "/States/A/Resource")
    ]


def test_null_paths_are_valid_and_mean_discard():
    definition = machine(
        {"A": {"Type": "Pass", "InputPath": None, "ResultPath": None, "OutputPath": None, "End": True}}
    )

    assert validate(definition) == []


def test_nested_states_inherit_the_top_level_query_language():
    branch = {"StartAt": "X", "States": {"X": {"Type": "Pass", "Output": "{% 1 %}", "End": True}}}
    definition = machine(
        {"A": {"Type": "Parallel", "Branches": [branch], "End": True}}, QueryLanguage="JSONata"
    )

    assert validate(definition) == []


def test_a_path_in_a_plain_field_is_a_no_dollar_warning():
    definition = machine({"A": {"Type": "Pass", "Parameters": {"id": "$.id"}, "End": True}})

    assert warnings(validate(definition)) == [("NO_DOLLAR", "/States/A/Parameters/id")]


def test_a_path_in_a_pass_result_is_a_static_result_warning():
    definition = machine({"A": {"Type": "Pass", "Result": {"id.$": "$.id"}, "End": True}})

    assert warnings(validate(definition)) == [("PASS_RESULT_IS_STATIC", "/States/A/Result/id.$")]


def test_a_path_in_fail_error_is_a_no_path_warning():
    definition = machine({"A": {"Type": "Fail", "Error": "$.error"}})

    assert warnings(validate(definition)) == [("NO_PATH", "/States/A/Error")]


def test_a_loop_with_no_way_out_is_a_warning_when_another_path_ends():
    definition = machine(
        {
            "A": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsNull": True, "Next": "L1"}],
                "Default": "Done",
            },
            "L1": {"Type": "Pass", "Next": "L2"},
            "L2": {"Type": "Wait", "Seconds": 1, "Next": "L1"},
            "Done": {"Type": "Succeed"},
        }
    )

    diagnostics = validate(definition)

    assert errors(diagnostics) == []
    assert warnings(diagnostics) == [("NO_TERMINAL_PATH", "/States/L1"), ("NO_TERMINAL_PATH", "/States/L2")]


def test_one_broken_state_does_not_cascade_into_reachability_errors():
    definition = machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Bogus", "Next": "A"}})

    assert errors(validate(definition)) == [("SCHEMA_VALIDATION_FAILED", "/States/B/Type")]


def test_a_typo_in_a_field_name_suggests_the_field():
    definition = machine(
        {"A": {"Type": "Pass", "Nxt": "B", "End": True}, "B": {"Type": "Succeed"}}, start="A"
    )

    messages = [d.message for d in validate(definition) if d.location == "/States/A/Nxt"]

    assert messages == ["The field 'Nxt' is not supported in a Pass state. Remove it (did you mean 'Next'?)."]


def test_huge_values_are_quoted_short_in_messages():
    name = "N" * 100_000
    definition = machine({"A": {"Type": "Pass", "Next": name}})

    diagnostics = validate(definition)

    assert errors(diagnostics) == [("MISSING_TRANSITION_TARGET", "/States/A/Next")]
    assert len(diagnostics[0].message) < 400


def test_validate_text_reports_syntax_then_nothing_else():
    assert errors(validate_text("{")) == [("INVALID_JSON_DESCRIPTION", "")]


def test_validate_text_adds_parse_diagnostics_to_rule_diagnostics():
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Type": "Pass"}}}'

    assert errors(validate_text(text)) == [
        ("SCHEMA_VALIDATION_FAILED", "/States/A"),
        ("SCHEMA_VALIDATION_FAILED", "/States/A/Type"),
    ]
