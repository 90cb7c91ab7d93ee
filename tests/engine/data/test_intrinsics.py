"""Intrinsic functions: parsing, and AWS's own results for the same calls."""

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
from intrinsic_calls import failure, reader, run

from engine.data.intrinsics import (
    Intrinsic,
    IntrinsicSyntaxError,
    looks_like_intrinsic,
    parse_intrinsic,
)
from engine.errors import ErrorName, StatesError, StatesRuntime
from engine.json import JSON

CASES = Path(__file__).resolve().parents[3].parent / "shared" / "conformance" / "cases"


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
