"""Choice rules in JSONPath mode, checked against what AWS did in the conformance cases
(choice_operators.*) and against the ASL specification where no case exists."""

from collections.abc import Callable

import pytest

from engine.choice_rules import ChoiceRuleError, compile_rule
from engine.errors import ErrorName, StatesError
from engine.json import JSON, MISSING

SAMPLES: list[JSON] = [
    None,
    0,
    0.0,
    1,
    1.1,
    "",
    " ",
    "HelloWorld",
    "2012-10-09T19:00:55Z",
    True,
    False,
    [],
    [""],
    {},
]


def reader(doc: dict[str, JSON]) -> Callable[[str], JSON]:
    """Reads `$.name` and `$.a.b` paths; MISSING where nothing is, as engine.data.paths does."""

    def read(path: str) -> JSON:
        node: JSON = doc
        for key in path.removeprefix("$.").split("."):
            if type(node) is not dict or key not in node:
                return MISSING
            node = node[key]
        return node

    return read


def matches(rule: dict[str, JSON], **doc: JSON) -> bool:
    return compile_rule(rule).matches(reader(doc))


@pytest.mark.parametrize(
    ("name", "variable", "operand", "expected"),
    [
        ("StringEquals", "Hello", "Hello", True),
        ("StringEquals", "\t\n", "\t\r\n", False),
        ("StringLessThan", "A", "AB", True),
        ("StringLessThan", "", "", False),
        ("StringGreaterThan", "A", "A ", False),
        ("StringGreaterThan", "AB", "A", True),
        ("StringLessThanEquals", "A", "A", True),
        ("StringLessThanEquals", "AB", "A", False),
        ("StringGreaterThanEquals", "", "", True),
        ("StringGreaterThanEquals", "A", "AB", False),
        ("NumericEquals", 0.0, 0, True),
        ("NumericEquals", 1, 1.0, True),
        ("NumericEquals", 1.1, 1, False),
        ("NumericEquals", 2.22, 2.22, True),
        ("NumericLessThan", 0, 1, True),
        ("NumericLessThan", 0.0, 0, False),
        ("NumericGreaterThan", 1, 0, True),
        ("NumericGreaterThan", 1, 1, False),
        ("NumericLessThanEquals", 1, 1, True),
        ("NumericLessThanEquals", 1, 0, False),
        ("NumericGreaterThanEquals", 0.0, 0, True),
        ("NumericGreaterThanEquals", 0, 1, False),
        ("BooleanEquals", True, True, True),
        ("BooleanEquals", False, False, True),
        ("BooleanEquals", False, True, False),
        ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", True),
        ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", False),
        ("TimestampLessThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", False),
        ("TimestampLessThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", True),
        ("TimestampGreaterThan", "2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", True),
        ("TimestampLessThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", True),
        ("TimestampLessThanEquals", "2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", False),
        ("TimestampGreaterThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", False),
    ],
)
def test_comparison_and_its_path_twin_agree_with_aws(
    name: str, variable: JSON, operand: JSON, expected: bool
) -> None:
    literal = {"Variable": "$.Variable", name: operand}
    twin = {"Variable": "$.Variable", name + "Path": "$.Value"}

    results = (matches(literal, Variable=variable), matches(twin, Variable=variable, Value=operand))

    assert results == (expected, expected)


@pytest.mark.parametrize(
    ("name", "operand", "accepted"),
    [
        ("StringEquals", "HelloWorld", ["HelloWorld"]),
        ("NumericEquals", 0, [0, 0.0]),
        ("NumericEquals", 1.0, [1]),
        ("BooleanEquals", False, [False]),
        ("BooleanEquals", True, [True]),
        ("TimestampEquals", "2012-10-09T19:00:55Z", ["2012-10-09T19:00:55Z"]),
    ],
)
def test_a_value_of_another_type_never_matches(name: str, operand: JSON, accepted: list[JSON]) -> None:
    rule = compile_rule({"Variable": "$.Variable", name: operand})

    matched = [value for value in SAMPLES if rule.matches(reader({"Variable": value}))]

    # plain == would let True stand for 1 and 0 for False: compare types too
    assert [(type(v), v) for v in matched] == [(type(v), v) for v in accepted]


def test_numeric_path_twin_ignores_an_operand_of_another_type() -> None:
    rule = {"Variable": "$.Variable", "NumericEqualsPath": "$.Value"}

    assert not matches(rule, Variable=0, Value=False)
    assert not matches(rule, Variable=1, Value="1")
    assert not matches(rule, Variable=1, Value=True)


@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        ("IsNull", {"NoneType"}),
        ("IsString", {"str"}),
        ("IsNumeric", {"int", "float"}),
        ("IsBoolean", {"bool"}),
    ],
)
def test_type_tests_match_exactly_their_type_and_false_matches_the_rest(
    name: str, accepted: set[str]
) -> None:
    is_true = compile_rule({"Variable": "$.Variable", name: True})
    is_false = compile_rule({"Variable": "$.Variable", name: False})

    for value in SAMPLES:
        read = reader({"Variable": value})
        expected = type(value).__name__ in accepted

        assert (is_true.matches(read), is_false.matches(read)) == (expected, not expected), value


def test_is_timestamp_needs_a_zone() -> None:
    rule = {"Variable": "$.Variable", "IsTimestamp": True}

    assert matches(rule, Variable="2012-10-09T19:00:55Z")
    assert matches(rule, Variable="2012-10-09T19:00:55.123+01:00")
    assert not matches(rule, Variable="2012-10-09T19:00:55")
    assert not matches(rule, Variable="2023-02-24")
    assert matches({"Variable": "$.Variable", "IsTimestamp": False}, Variable=20121009)


def test_is_present_tells_missing_from_null() -> None:
    present = {"Variable": "$.Variable", "IsPresent": True}
    absent = {"Variable": "$.Variable", "IsPresent": False}

    assert matches(present, Variable=None)
    assert not matches(absent, Variable=None)
    assert not matches(present, Other=1)
    assert matches(absent, Other=1)


@pytest.mark.parametrize(
    "rule",
    [
        {"Variable": "$.missing", "StringEquals": "a"},
        {"Variable": "$.missing", "NumericLessThan": 1},
        {"Variable": "$.missing", "IsNull": True},
        {"Variable": "$.missing", "StringMatches": "*"},
        {"Variable": "$.present", "NumericEqualsPath": "$.missing"},
    ],
)
def test_a_missing_path_is_a_runtime_error(rule: dict[str, JSON]) -> None:
    with pytest.raises(StatesError) as raised:
        matches(rule, present=1)

    assert raised.value.error == ErrorName.RUNTIME
    assert raised.value.cause == (
        "Invalid path '$.missing': The choice state's condition path references an invalid value."
    )


def test_an_error_from_read_passes_through() -> None:
    def read(path: str) -> JSON:
        raise StatesError("States.QueryEvaluationError", "boom")

    rule = compile_rule({"Variable": "$.x", "IsPresent": True})

    with pytest.raises(StatesError, match="boom"):
        rule.matches(read)


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("log-*.txt", "log-2024.txt", True),
        ("log-*.txt", "log-.txt", True),
        ("log-*.txt", "log-1.txt.gz", False),
        ("foo*.*", "foobar.zebra", True),
        ("*", "", True),
        ("a.c", "abc", False),  # only * is special
        ("a\\*c", "a*c", True),
        ("a\\*c", "abc", False),
        ("a\\\\*", "a\\anything", True),
        ("a\\\\*", "ab", False),
        ("line*end", "line\nend", True),
    ],
)
def test_string_matches_wildcards_and_escapes(pattern: str, value: str, expected: bool) -> None:
    rule = {"Variable": "$.Variable", "StringMatches": pattern}

    assert matches(rule, Variable=value) is expected


def test_string_matches_ignores_non_strings() -> None:
    rule = {"Variable": "$.Variable", "StringMatches": "*"}

    assert [v for v in SAMPLES if matches(rule, Variable=v)] == [
        "",
        " ",
        "HelloWorld",
        "2012-10-09T19:00:55Z",
    ]


def test_timestamps_compare_as_instants_across_offsets_and_fractions() -> None:
    equal = {"Variable": "$.Variable", "TimestampEquals": "2016-03-14T01:59:00Z"}
    before = {"Variable": "$.Variable", "TimestampLessThan": "2016-03-14T01:59:00.000000002Z"}

    assert matches(equal, Variable="2016-03-14T02:59:00+01:00")
    assert matches(equal, Variable="2016-03-13T20:59:00.000-05:00")
    assert matches(before, Variable="2016-03-14T01:59:00.000000001Z")
    assert not matches(before, Variable="2016-03-14T01:59:00.000000002Z")


def test_timestamp_operators_never_match_a_string_that_is_no_timestamp() -> None:
    for name in ("TimestampEquals", "TimestampLessThan", "TimestampGreaterThanEquals"):
        rule = {"Variable": "$.Variable", name: "2012-10-09T19:00:55Z"}

        assert not matches(rule, Variable="2023-02-24 12:15:56.832957")
        assert not matches(rule, Variable="2012-10-09T19:00:55")


def test_strings_order_by_utf16_code_units_as_aws_does() -> None:
    rule = {"Variable": "$.Variable", "StringLessThan": "\uff5e"}  # a fullwidth tilde, below U+FFFF

    assert matches(rule, Variable="\U0001f600")  # an emoji: a surrogate pair sorts first in UTF-16


def test_and_or_not_nest() -> None:
    rule = {
        "Or": [
            {"Not": {"Variable": "$.type", "StringEquals": "Private"}},
            {
                "And": [
                    {"Variable": "$.value", "NumericGreaterThanEquals": 20},
                    {"Variable": "$.value", "NumericLessThan": 30},
                ]
            },
        ]
    }

    assert matches(rule, type="Public", value=0)
    assert matches(rule, type="Private", value=22)
    assert not matches(rule, type="Private", value=30)


def test_and_stops_at_the_first_false_member_so_is_present_guards_a_comparison() -> None:
    rule = {
        "And": [
            {"Variable": "$.maybe", "IsPresent": True},
            {"Variable": "$.maybe", "StringEquals": "foo"},
        ]
    }

    assert not matches(rule)
    assert matches(rule, maybe="foo")


def test_next_comment_and_assign_are_not_operators() -> None:
    rule = {"Variable": "$.v", "BooleanEquals": True, "Next": "Done", "Comment": "why", "Assign": {"x": 1}}

    assert matches(rule, v=True)


def test_compiled_rule_lists_the_paths_it_reads_with_pointers() -> None:
    rule = compile_rule(
        {"And": [{"Variable": "$.a", "IsPresent": True}, {"Variable": "$.b", "StringEqualsPath": "$.c"}]}
    )

    assert rule.paths == (
        ("/And/0/Variable", "$.a"),
        ("/And/1/Variable", "$.b"),
        ("/And/1/StringEqualsPath", "$.c"),
    )


@pytest.mark.parametrize(
    ("rule", "pointer", "says"),
    [
        ({"Variable": "$.x", "Next": "A"}, "", "found none"),
        ({"Variable": "$.x", "StringEquals": "a", "IsNull": True}, "", "found StringEquals, IsNull"),
        ({"Variable": "$.x", "StringEquals": 5}, "/StringEquals", "takes a string"),
        ({"Variable": "$.x", "NumericEquals": "5"}, "/NumericEquals", "takes a number"),
        ({"Variable": "$.x", "NumericEquals": True}, "/NumericEquals", "takes a number"),
        ({"Variable": "$.x", "BooleanEquals": 1}, "/BooleanEquals", "takes true or false"),
        ({"Variable": "$.x", "TimestampEquals": "2016-12-05T21:29:29"}, "/TimestampEquals", "RFC 3339"),
        ({"Variable": "$.x", "IsNull": "true"}, "/IsNull", "takes true or false"),
        ({"Variable": "$.x", "StringMatches": 1}, "/StringMatches", "string pattern"),
        ({"Variable": "$.x", "StringEqualsPath": "x"}, "/StringEqualsPath", "path starting with '$'"),
        ({"Variable": "x", "IsPresent": True}, "/Variable", "path starting with '$'"),
        ({"StringEquals": "a"}, "", "Add a Variable"),
        ({"Variable": "$.x", "And": [{"Variable": "$.x", "IsNull": True}]}, "/Variable", "Remove Variable"),
        ({"And": []}, "/And", "non-empty array"),
        ({"Or": {"Variable": "$.x", "IsNull": True}}, "/Or", "non-empty array"),
        ({"Not": [{"Variable": "$.x", "IsNull": True}]}, "/Not", "must be an object"),
        ({"And": [{"Variable": "$.x", "IsNull": 1}]}, "/And/0/IsNull", "takes true or false"),
        ({"Variable": "$.x", "IsNull": True, "Foo": 1}, "/Foo", "'Foo' is not supported"),
        ({"Condition": "{% true %}", "Next": "A"}, "/Condition", "JSONata"),
        ({"Variable": "$.x", "StringMatchesPath": "$.y"}, "/StringMatchesPath", "is not supported"),
    ],
)
def test_malformed_rules_are_refused_with_a_pointer(rule: dict[str, JSON], pointer: str, says: str) -> None:
    with pytest.raises(ChoiceRuleError) as raised:
        compile_rule(rule)

    assert raised.value.pointer == pointer
    assert says in str(raised.value)
