"""Validation copes with any input: random JSON, random edits of valid definitions, random text.

validate() catches a rule that raises and reports INTERNAL_VALIDATION_ERROR instead, so these
tests look for that code: no rule may fail on any document.
"""

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.definition.diagnostics import Code, Diagnostic
from engine.definition.validate import validate, validate_text

LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f"

WORDS = st.sampled_from(
    [
        "Type", "Next", "End", "States", "StartAt", "Choices", "Branches", "ItemProcessor", "Iterator",
        "Variable", "And", "Not", "Condition", "Retry", "Catch", "ErrorEquals", "Parameters", "x.$",
        "Pass", "Task", "Choice", "Wait", "Map", "Parallel", "Fail", "Succeed", "$", "$.a", "$$", "$.a[*]",
        "States.ALL", "{% 1 %}", "{% ( %}", "States.Format('{}', $.a)", "States.Nope(", "JSONata", "A", "B",
        "2016-03-14T01:59:00Z", LAMBDA, "arn:aws:states:::lambda:invoke.sync", "",
    ]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    WORDS,
    st.text(max_size=20),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(WORDS, st.text(max_size=8)), children, max_size=5),
    ),
    max_leaves=30,
)

BASES = [
    {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Retry": [{"ErrorEquals": ["States.ALL"]}],
                "Next": "C",
            },
            "C": {
                "Type": "Choice",
                "Choices": [{"And": [{"Variable": "$.a", "IsNull": False}], "Next": "P"}],
                "Default": "F",
            },
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}],
                "Next": "M",
            },
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"v.$": "$$.Map.Item.Value"},
                "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": True}}},
                "End": True,
            },
            "F": {"Type": "Fail", "Error": "E"},
        },
    },
    {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Output": {"x": "{% $states.input %}"}, "Assign": {"v": 1}, "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Condition": "{% $v = 1 %}", "Next": "S"}], "Default": "S"},
            "S": {"Type": "Succeed"},
        },
    },
]


def paths_of(document) -> list[tuple]:
    found, stack = [], [(document, ())]
    while stack:
        node, path = stack.pop()
        found.append(path)
        if isinstance(node, dict):
            stack.extend((child, (*path, key)) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, (*path, index)) for index, child in enumerate(node))
    return found


def replaced(document, path: tuple, value):
    if not path:
        return value
    result = copy.deepcopy(document)
    parent = result
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return result


def internal(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.message for d in diagnostics if d.code == Code.INTERNAL_VALIDATION_ERROR]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(document=JSON_VALUES)
def test_no_rule_fails_on_arbitrary_json(document):
    assert internal(validate(document)) == []
    assert internal(validate(document, machine_type="EXPRESS")) == []


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_rule_fails_on_a_valid_definition_with_one_part_replaced(data):
    base = data.draw(st.sampled_from(BASES))
    path = data.draw(st.sampled_from(paths_of(base)))
    value = data.draw(JSON_VALUES)

    diagnostics = validate(replaced(base, path, value))

    assert internal(diagnostics) == []
    assert all(d.message and isinstance(d.location, str) for d in diagnostics)


@settings(max_examples=200)
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_validate_text_never_fails_on_arbitrary_text(text):
    diagnostics = validate_text(text)

    assert internal(diagnostics) == []
