"""Intrinsic functions: parsing, AWS's results for the same calls, and States.IntrinsicFailure."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.data.intrinsics import (
    Intrinsic,
    IntrinsicSyntaxError,
    Read,
    looks_like_intrinsic,
    parse_intrinsic,
)
from engine.errors import ErrorName, StatesError, StatesRuntime
from engine.json import JSON

CASES = Path(__file__).resolve().parents[3].parent / "shared" / "conformance" / "cases"


def reader(doc: JSON = None, context: JSON = None, variables: dict[str, JSON] | None = None) -> Read:
    """A stand-in for the engine's path reader: dotted paths only, StatesRuntime when absent."""

    def read(path: str) -> JSON:
        if path.startswith("$$"):
            value, rest = context, path[2:]
        elif path == "$" or path.startswith("$."):
            value, rest = doc, path[1:]
        else:
            name, _, rest = path[1:].partition(".")
            value = (variables or {})[name]
        for key in filter(None, rest.split(".")):
            if not isinstance(value, dict) or key not in value:
                raise StatesRuntime(f"The JSONPath '{path}' could not be found in the input")
            value = value[key]
        return value

    return read


def run(text: str, doc: JSON = None, rng: random.Random | None = None, **kwargs: Any) -> JSON:
    return parse_intrinsic(text).evaluate(reader(doc, **kwargs), rng or random.Random(0))


def failure(text: str, doc: JSON = None) -> StatesError:
    with pytest.raises(StatesError) as caught:
        run(text, doc)
    assert caught.value.error == ErrorName.INTRINSIC_FAILURE
    return caught.value


# ---- the conformance cases: AWS's own results -------------------------------------------------


def _single_call_cases() -> Iterator[Any]:
    """Cases whose one Pass state sets FunctionResult from one intrinsic call on the input."""
    if not CASES.is_dir():
        return
    for folder in sorted(CASES.iterdir()):
        tags = json.loads((folder / "case.json").read_text())["tags"]
        if not any(tag.startswith("intrinsic:") for tag in tags):
            continue
        states = json.loads((folder / "definition.json").read_text())["States"]
        expected = json.loads((folder / "expected.json").read_text())
        state = next(iter(states.values()))
        parameters = state.get("Parameters")
        if len(states) != 1 or not isinstance(parameters, dict) or list(parameters) != ["FunctionResult.$"]:
            continue
        if "$$" in parameters["FunctionResult.$"]:  # needs the context object, with redacted ARNs
            continue
        doc = json.loads((folder / "input.json").read_text())
        yield pytest.param(parameters["FunctionResult.$"], doc, expected, id=folder.name)


needs_cases = pytest.mark.skipif(not CASES.is_dir(), reason=f"conformance cases not found at {CASES}")


@needs_cases
@pytest.mark.parametrize(("text", "doc", "expected"), list(_single_call_cases()))
def test_conformance_case_gives_what_aws_gave(text: str, doc: JSON, expected: dict[str, Any]) -> None:
    if expected["status"] == "INVALID_DEFINITION":
        with pytest.raises(IntrinsicSyntaxError):
            parse_intrinsic(text)
        return

    result = run(text, doc)

    if "ignore" in expected:  # only States.MathRandom's number, which is random, goes unchecked
        assert "States.MathRandom" in text
        assert type(result) is int
    else:
        assert result == expected["output"]["FunctionResult"]
        # 3 stays 3, not 3.0 (the recorded keys are sorted, so their order says nothing)
        assert json.dumps(result, sort_keys=True) == json.dumps(
            expected["output"]["FunctionResult"], sort_keys=True
        )


@needs_cases
def test_conformance_cases_cover_every_function() -> None:
    texts = [param.values[0] for param in _single_call_cases()]

    used = {name for text in texts for name in re.findall(r"States\.\w+", text)}

    assert len(texts) >= 90
    assert len(used) >= 15


# ---- States.Format ---------------------------------------------------------------------------


def test_format_fills_placeholders_in_order() -> None:
    doc = {"Error": "error string", "Cause": "cause string"}

    result = run(
        "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)", doc
    )

    assert result == "This is a custom error message for error string, caused by cause string."


def test_format_prints_objects_and_arrays_as_java_does() -> None:
    doc = {"fst": {"Arg1": 1, "Arg2": []}, "snd": ["a", 1.5, None, True, {"k": "v"}]}

    result = run("States.Format('fst={} and snd={}.', $.fst, $.snd)", doc)

    assert result == "fst={Arg1=1, Arg2=[]} and snd=[a, 1.5, null, true, {k=v}]."


@pytest.mark.parametrize(
    ("number", "printed"),
    [
        (1, "1"),
        (1.1, "1.1"),
        (1.0, "1.0"),
        (-0.5, "-0.5"),
        (0.0, "0.0"),
        (1e20, "1.0E20"),
        (1.5e-5, "1.5E-5"),
    ],
)
def test_format_prints_numbers_as_aws_does(number: float, printed: str) -> None:
    result = run("States.Format('{}', $.n)", {"n": number})

    assert result == printed


def test_format_leaves_strings_unquoted_and_prints_null_and_booleans() -> None:
    result = run("States.Format('{}|{}|{}|{}', '', null, true, false)")

    assert result == "|null|true|false"


def test_format_escaped_braces_are_not_placeholders() -> None:
    result = run(r"States.Format('\{} {} \\ it\'s', 'x')")

    assert result == r"{} x \ it's"


def test_format_takes_its_template_from_a_path() -> None:
    variables = {"AnswerTemplate": "It's {}!"}

    result = run(
        "States.Format($AnswerTemplate, $$.Map.Item.Value)",
        context={"Map": {"Item": {"Value": "Pikachu"}}},
        variables=variables,
    )

    assert result == "It's Pikachu!"


@pytest.mark.parametrize(
    "text", ["States.Format('{} {}', 'a')", "States.Format('{}', 'a', 'b')", "States.Format($.t, 'a')"]
)
def test_format_with_a_wrong_number_of_arguments_fails(text: str) -> None:
    error = failure(text, {"t": "no placeholder"})

    assert "placeholder" in (error.cause or "")


def test_format_template_must_be_a_string() -> None:
    error = failure("States.Format($.t)", {"t": 5})

    assert error.cause == "Invalid argument 1 for States.Format: expected a string, got a number."


# ---- JSON manipulation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("", None),
        ("  ", None),
        ("null", None),
        ("-0", 0),
        ("1.1", 1.1),
        ('"a"', "a"),
        ('{"k": [1, true]}', {"k": [1, True]}),
    ],
)
def test_string_to_json_parses_and_treats_blank_as_null(text: str, parsed: JSON) -> None:
    result = run("States.StringToJson($.s)", {"s": text})

    assert result == parsed


@pytest.mark.parametrize("text", ["{", "NaN", "[1,]", "'single'"])
def test_string_to_json_with_invalid_json_fails(text: str) -> None:
    error = failure("States.StringToJson($.s)", {"s": text})

    assert (error.cause or "").startswith("Invalid argument 1 for States.StringToJson")


def test_string_to_json_reads_a_literal_with_escaped_braces() -> None:
    result = run(r"States.StringToJson('\{\"a\": 1\}')".replace('\\"', '"'))

    assert result == {"a": 1}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (0, "0"),
        (1.1, "1.1"),
        (True, "true"),
        ("Hi", '"Hi"'),
        ({"Arg1": 1, "Arg2": []}, '{"Arg1":1,"Arg2":[]}'),
    ],
)
def test_json_to_string_is_compact_json(value: JSON, text: str) -> None:
    result = run("States.JsonToString($.v)", {"v": value})

    assert result == text


def test_json_merge_is_shallow_and_the_second_object_wins() -> None:
    doc = {"fst": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "snd": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}

    result = run("States.JsonMerge($.fst, $.snd, false)", doc)

    assert result == {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4}
    assert list(result) == ["a", "b", "d", "c"]


def test_json_merge_shares_values_and_leaves_its_arguments_alone() -> None:
    big = list(range(100))
    doc = {"fst": {"big": big}, "snd": {"other": 1}}

    result = run("States.JsonMerge($.fst, $.snd, false)", doc)

    assert result["big"] is big
    assert doc["fst"] == {"big": list(range(100))}


def test_json_merge_refuses_deep_merging() -> None:
    error = failure("States.JsonMerge($.a, $.a, true)", {"a": {}})

    assert (
        error.cause == "Invalid argument 3 for States.JsonMerge: only shallow merging (false) is supported."
    )


def test_json_merge_needs_objects() -> None:
    error = failure("States.JsonMerge($.a, $.b, false)", {"a": {}, "b": [1]})

    assert error.cause == "Invalid argument 2 for States.JsonMerge: expected an object, got an array."


# ---- arrays ----------------------------------------------------------------------------------


def test_array_collects_arguments_of_every_kind_in_order() -> None:
    result = run("States.Array('a', -1, 2.5, true, false, null, $.x, States.Array())", {"x": {"k": 1}})

    assert result == ["a", -1, 2.5, True, False, None, {"k": 1}, []]


@pytest.mark.parametrize(
    ("array", "size", "chunks"),
    [
        ([], 3, []),
        ([0], 1, [[0]]),
        ([0, 1, 2], 2, [[0, 1], [2]]),
        ([0, 1, 2, 3], 3, [[0, 1, 2], [3]]),
        ([0, 1], 5, [[0, 1]]),
    ],
)
def test_array_partition_chunks_the_array(array: list[int], size: int, chunks: list[list[int]]) -> None:
    result = run("States.ArrayPartition($.a, $.n)", {"a": array, "n": size})

    assert result == chunks


def test_array_partition_rounds_the_chunk_size() -> None:
    result = run("States.ArrayPartition($.a, 1.5)", {"a": [1, 2, 3, 4, 5]})

    assert result == [[1, 2], [3, 4], [5]]


@pytest.mark.parametrize("size", [0, -1])
def test_array_partition_needs_a_positive_chunk_size(size: int) -> None:
    failure("States.ArrayPartition($.a, $.n)", {"a": [1], "n": size})


@pytest.mark.parametrize(
    ("array", "value", "found"),
    [
        ([], None, False),
        ([True, False], False, True),
        ([1, 0], False, False),
        ([{"1": 2, "2": []}], {"2": [], "1": 2}, True),
        ([[1, 2, 3], 2], [1, 2, 3], True),
        ([1.0], 1, True),
    ],
)
def test_array_contains_compares_as_json(array: list[JSON], value: JSON, found: bool) -> None:
    result = run("States.ArrayContains($.a, $.v)", {"a": array, "v": value})

    assert result is found


@pytest.mark.parametrize(
    ("args", "items"),
    [
        ("0, 9, 3", [0, 3, 6, 9]),
        ("0, 10, 3", [0, 3, 6, 9]),
        ("1, 9, 9", [1]),
        ("9, 0, -3", [9, 6, 3, 0]),
        ("0, 9, -1", []),
    ],
)
def test_array_range_counts_to_the_end_inclusive(args: str, items: list[int]) -> None:
    result = run(f"States.ArrayRange({args})")

    assert result == items


def test_array_range_allows_1000_items_but_not_1001() -> None:
    allowed = run("States.ArrayRange(1, 1000, 1)")

    error = failure("States.ArrayRange(0, 1000, 1)")

    assert len(allowed) == 1000
    assert "at most 1000" in (error.cause or "")


def test_array_range_step_must_not_be_zero() -> None:
    error = failure("States.ArrayRange(0, 5, 0)")

    assert error.cause == "Invalid argument 3 for States.ArrayRange: the step must not be 0."


def test_array_get_item_returns_the_item_at_the_index() -> None:
    result = run("States.ArrayGetItem($.a, $.i)", {"a": [1, 2, 3, 4, 5, 6, 7, 8, 9], "i": 5})

    assert result == 6


@pytest.mark.parametrize("index", [9, -1])
def test_array_get_item_out_of_bounds_fails(index: int) -> None:
    error = failure("States.ArrayGetItem($.a, $.i)", {"a": [1, 2], "i": index})

    assert "out of bounds" in (error.cause or "")


def test_array_length_counts_items() -> None:
    result = run("States.ArrayLength($.a)", {"a": [None, None, [], {}]})

    assert result == 4


def test_array_length_of_a_non_array_fails() -> None:
    error = failure("States.ArrayLength($.a)", {"a": "abc"})

    assert error.cause == "Invalid argument 1 for States.ArrayLength: expected an array, got a string."


def test_array_unique_keeps_first_occurrences_in_order() -> None:
    doc = {
        "a": [
            1,
            2,
            2,
            3,
            True,
            1,
            "1",
            None,
            None,
            [None],
            [None],
            {"a": 1, "b": 2},
            {"b": 2, "a": 1},
            False,
            0,
        ]
    }

    result = run("States.ArrayUnique($.a)", doc)

    assert result == [1, 2, 3, True, "1", None, [None], {"a": 1, "b": 2}, False, 0]


# ---- encoding and hashing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoded"), [("", ""), ("Data to encode", "RGF0YSB0byBlbmNvZGU="), ("é", "w6k=")]
)
def test_base64_round_trips_utf8_text(text: str, encoded: str) -> None:
    result = run("States.Base64Encode($.t)", {"t": text})

    assert result == encoded
    assert run("States.Base64Decode($.t)", {"t": encoded}) == text


def test_base64_decode_of_invalid_data_fails() -> None:
    error = failure("States.Base64Decode('abc')")

    assert error.cause == "Invalid argument 1 for States.Base64Decode: not a valid Base64 string."


@pytest.mark.parametrize("function", ["Base64Encode", "Base64Decode", "Hash"])
def test_text_inputs_are_limited_to_10000_characters(function: str) -> None:
    extra = ", 'MD5'" if function == "Hash" else ""

    allowed = run(f"States.{function}($.t{extra})", {"t": "A" * 10_000})
    error = failure(f"States.{function}($.t{extra})", {"t": "A" * 10_001})

    assert isinstance(allowed, str)
    assert "longer than 10000 characters" in (error.cause or "")


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
        ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
        (
            "SHA-384",
            "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
        ),
        (
            "SHA-512",
            "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce"
            "2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
        ),
    ],
)
def test_hash_gives_aws_digests(algorithm: str, digest: str) -> None:
    result = run("States.Hash($.d, $.a)", {"d": "input data", "a": algorithm})

    assert result == digest


def test_hash_with_an_unknown_algorithm_fails() -> None:
    error = failure("States.Hash('x', 'sha-256')")

    assert error.cause == (
        "Invalid argument 2 for States.Hash: 'sha-256' is not supported; "
        "use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512."
    )


# ---- math ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "total"),
    [
        (-9, 3, -6),
        (1.49, 1.5, 3),
        (1.5, 1.51, 4),
        (-1.49, -1.5, -2),
        (-1.5, -1.51, -3),
        (1.49, -1.49, 0),
        (0.5, 0, 1),
        (2.5, 0, 3),
        (-0.5, 0, 0),
        (-1.5, 0, -1),
        (-2.5, 0, -2),
        (-3.5, 0, -3),
    ],
)
def test_math_add_rounds_each_argument_half_up_like_aws(first: float, second: float, total: int) -> None:
    result = run("States.MathAdd($.a, $.b)", {"a": first, "b": second})

    assert result == total
    assert type(result) is int


def test_math_add_nests() -> None:
    variables = {"x": 1, "y": 2, "z": 3, "bias": -10}

    result = run("States.MathAdd(States.MathAdd(States.MathAdd($y, $x), $z), $bias)", variables=variables)

    assert result == -4


@pytest.mark.parametrize(
    ("value", "ok"), [(2147483647, True), (-2147483648, True), (2147483648, False), (-2147483649, False)]
)
def test_math_add_arguments_must_fit_in_32_bits(value: int, ok: bool) -> None:
    text = "States.MathAdd($.v, 0)"

    if ok:
        assert run(text, {"v": value}) == value
    else:
        failure(text, {"v": value})


@pytest.mark.parametrize("value", ["1", True, None, [1]])
def test_math_add_needs_numbers(value: JSON) -> None:
    error = failure("States.MathAdd($.v, 1)", {"v": value})

    assert (error.cause or "").startswith("Invalid argument 1 for States.MathAdd: expected a number")


def test_math_random_stays_in_range_and_follows_the_rng() -> None:
    first = [run("States.MathRandom(-5, 5)", rng=random.Random(7)) for _ in range(3)]
    rng = random.Random(42)

    draws = [run("States.MathRandom(12.5, 44.51)", rng=rng) for _ in range(200)]

    assert first == [first[0]] * 3
    assert all(13 <= draw < 45 and type(draw) is int for draw in draws)


def test_math_random_with_a_seed_ignores_the_rng() -> None:
    results = {run("States.MathRandom(0, 999, 3)", rng=random.Random(seed)) for seed in range(5)}

    assert len(results) == 1


def test_math_random_needs_start_below_end() -> None:
    failure("States.MathRandom(5, 5)")


# ---- strings and UUIDs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiters", "pieces"),
    [
        (" ", ",", [" "]),
        (", , ,", ",", [" ", " "]),
        ("split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]),
        ("This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]),
        ("", ",", []),
        ("abc", "", ["abc"]),
    ],
)
def test_string_split_splits_at_any_delimiter_and_drops_empty_pieces(
    text: str, delimiters: str, pieces: list[str]
) -> None:
    result = run("States.StringSplit($.t, $.d)", {"t": text, "d": delimiters})

    assert result == pieces


def test_string_split_accepts_literal_newlines() -> None:
    result = run("States.StringSplit('Hello\nWorld', '\n')")

    assert result == ["Hello", "World"]


def test_uuid_is_version_4_and_comes_from_the_rng() -> None:
    first = run("States.UUID()", rng=random.Random(1))

    second = run("States.UUID()", rng=random.Random(1))

    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)
    assert first == second


# ---- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.Format('{}', $.a)", True),
        ("  States.UUID()", True),
        ("States.NoSuchThing(1)", True),
        ("$.States.Format", False),
        ("States.Format", False),
        ("states.format('x')", False),
        ("{% $x %}", False),
    ],
)
def test_looks_like_intrinsic_recognises_calls(text: str, expected: bool) -> None:
    assert looks_like_intrinsic(text) is expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("""States.StringToJson('{"text":"An \\"escaped double quote\\" here"}')""", "invalid escape"),
        ("""States.Format('He said, \\"Hello, {}!\\"', 'Test \\"Name\\" Here')""", "invalid escape"),
        ("States.Format('a\\nb')", "invalid escape"),
        ("States.Frobnicate(1)", "States.Frobnicate is not an intrinsic function"),
        ("States.ArrayLength($.a, $.b)", "takes exactly 1 argument, but 2 were given"),
        ("States.UUID(1)", "takes exactly 0 arguments"),
        ("States.MathRandom(1)", "takes 2 to 3 arguments"),
        ("States.Format()", "takes at least 1 argument"),
        ("States.Array(1,)", "missing argument"),
        ("States.Array(1", "missing ')'"),
        ("States.Array('abc", "unterminated string"),
        ("States.Array(abc)", "expected a string in single quotes"),
        ("States.Array(1) + 1", "after the closing parenthesis"),
        ("States.Array(1 2)", "expected ',' or ')'"),
        ("States.Array($.a[0)", "unbalanced brackets"),
        ("States.Array(-x)", "expected a number"),
        ("States.Array(1e999)", "too large"),
    ],
)
def test_invalid_calls_are_syntax_errors_that_say_why(text: str, message: str) -> None:
    with pytest.raises(IntrinsicSyntaxError, match=re.escape(message)):
        parse_intrinsic(text)


def test_a_non_string_is_a_syntax_error() -> None:
    with pytest.raises(IntrinsicSyntaxError, match="must be a string"):
        parse_intrinsic(["States.UUID()"])  # type: ignore[arg-type]


@given(st.text(alphabet="States.Format(){}'\\$,. -1ae[]\"?@\n", max_size=40))
def test_any_text_parses_or_is_a_syntax_error(tail: str) -> None:
    try:
        intrinsic = parse_intrinsic("States.Array(" + tail)
    except IntrinsicSyntaxError:
        return

    try:
        intrinsic.evaluate(lambda path: "x", random.Random(0))
    except StatesError as error:
        assert error.error == ErrorName.INTRINSIC_FAILURE


def test_nesting_is_limited_to_ten_calls() -> None:
    ten = "States.Array(" * 10 + ")" * 10

    parse_intrinsic(ten)

    with pytest.raises(IntrinsicSyntaxError, match="nested at most 10 deep"):
        parse_intrinsic("States.Array(" * 11 + ")" * 11)


def test_nested_calls_from_the_aws_documentation_evaluate() -> None:
    doc = {"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123:image-recipe/my-recipe.v2/1.0.0"}}
    # AWS's own example has a third '{}' and would fail; two placeholders match its two arguments.
    text = (
        "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
        "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit("
        "States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))"
    )

    result = run(text, doc)

    assert result == "1.0"


def test_paths_reach_read_exactly_as_written() -> None:
    seen: list[str] = []

    def read(path: str) -> JSON:
        seen.append(path)
        return "v"

    parse_intrinsic(
        "States.Array($.abc['def ghi'], $$.Execution.Id, $var.x[0], $, $.a[?(@.b == 'c, d')])"
    ).evaluate(read, random.Random(0))

    assert seen == ["$.abc['def ghi']", "$$.Execution.Id", "$var.x[0]", "$", "$.a[?(@.b == 'c, d')]"]


def test_whitespace_around_arguments_is_allowed() -> None:
    result = run("  States.Array( 1 ,\n'a' , $.x )  ", {"x": 2})

    assert result == [1, "a", 2]


def test_numbers_keep_int_and_float_apart() -> None:
    result = run("States.Array(3, -3, 3.0, 1e2, -0.25)")

    assert [type(item) for item in result] == [int, int, float, float, float]
    assert result == [3, -3, 3.0, 100.0, -0.25]


# ---- the Intrinsic object --------------------------------------------------------------------


def test_an_intrinsic_is_frozen_and_reusable() -> None:
    intrinsic = parse_intrinsic("States.Format('{}-{}', $.a, $.b)")

    first = intrinsic.evaluate(reader({"a": 1, "b": 2}), random.Random(0))
    second = intrinsic.evaluate(reader({"a": "x", "b": None}), random.Random(0))

    assert (first, second) == ("1-2", "x-null")
    assert isinstance(intrinsic, Intrinsic)
    assert intrinsic.text == "States.Format('{}-{}', $.a, $.b)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        intrinsic.text = "x"  # type: ignore[misc]


def test_errors_from_read_pass_through_unchanged() -> None:
    with pytest.raises(StatesRuntime) as caught:
        run("States.Format('{}', $.missing)", {})

    assert caught.value.error == ErrorName.RUNTIME


def test_failures_are_catchable_intrinsic_failures() -> None:
    error = failure("States.ArrayLength($.a)", {"a": 1})

    assert error.terminal is False
    assert error.as_output()["Error"] == "States.IntrinsicFailure"
