"""Each intrinsic function: its results, and States.IntrinsicFailure on bad arguments."""

from __future__ import annotations

import random
import re

import pytest
from intrinsic_calls import failure, run

from engine.json import JSON

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
