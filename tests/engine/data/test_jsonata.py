"""JSONata mode, checked against what AWS did in the conformance cases (causes character for
character) and against the JSONata and AWS documentation where no case exists."""

import json
import random
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.data import jsonata as jsonata_module
from engine.data.jsonata import (
    JsonataSyntaxError,
    compile_expression,
    compile_template,
    expect_type,
    is_expression,
)
from engine.errors import ErrorName, StatesError
from engine.json import JSON, MISSING

CASES = Path(__file__).resolve().parents[3].parent / "shared" / "conformance" / "cases"
ENTERED = "2024-03-15T10:20:30.456Z"


def bindings(state_input: JSON = None, **variables: JSON) -> dict[str, JSON]:
    context = {"State": {"Name": "S", "EnteredTime": ENTERED}}
    return {"states": {"input": state_input, "context": context}, **variables}


def run(text: str, state_input: JSON = None, rng: random.Random | None = None, **variables: JSON) -> JSON:
    return compile_expression(text).evaluate(
        bindings(state_input, **variables), "Output", rng or random.Random(7)
    )


def failure(text: str, state_input: JSON = None, field: str = "Output", **variables: JSON) -> str:
    with pytest.raises(StatesError) as caught:
        compile_expression(text).evaluate(bindings(state_input, **variables), field, random.Random(7))
    assert caught.value.error == ErrorName.QUERY_EVALUATION_ERROR
    return str(caught.value.cause)


# ---- recognising and compiling -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{% $x %}", True),
        ("{%$x%}", True),
        (" {% $x %}", False),  # AWS: no leading or trailing spaces around the delimiters
        ("{% $x %} ", False),
        ("$x", False),
        ("{%}", False),
        (1, False),
        (None, False),
    ],
)
def test_is_expression_wants_the_delimiters_at_the_very_ends(value: object, expected: bool) -> None:
    assert is_expression(value) is expected


def test_compile_expression_caches_by_text() -> None:
    first = compile_expression("{% $states.input.a + 1 %}")

    second = compile_expression("{% $states.input.a + 1 %}")

    assert first is second
    assert first.source == "$states.input.a + 1"


@pytest.mark.parametrize("text", ["{% 1 + %}", "{% %}", "{% ( %}", "{% 'open %}", "$x"])
def test_invalid_expression_is_a_syntax_error_with_jsonatas_code(text: str) -> None:
    with pytest.raises(JsonataSyntaxError) as caught:
        compile_expression(text)

    assert isinstance(caught.value, ValueError)
    if text != "$x":
        assert re.search(r"S0\d{3}: ", str(caught.value))


# ---- values --------------------------------------------------------------------------------------


def test_paths_variables_and_operators() -> None:
    state_input = {"order": {"id": "o-1", "items": [{"price": 2.5, "qty": 2}, {"price": 1, "qty": 3}]}}

    assert run("{% $states.input.order.id %}", state_input) == "o-1"
    assert run("{% $sum($states.input.order.items.(price * qty)) %}", state_input) == 8
    assert run("{% $states.input.order.items[qty > 2].price %}", state_input) == 1
    assert run("{% $myVar * 2 %}", myVar=21) == 42
    assert run("{% {'n': $count($states.input.order.items), 'l': [1, 'a']} %}", state_input) == {
        "n": 2,
        "l": [1, "a"],
    }
    assert run("{% $map([1, 2], function($v) { $v * 10 }) %}") == [10, 20]
    assert run("{% ($f := function($x) { $x + 1 }; $f(2)) %}") == 3
    assert run("{% $uppercase($substringBefore('hello world', ' ')) %}") == "HELLO"
    assert run("{% $replace('abc', /b/, 'X') %}") == "aXc"


def test_null_is_a_value_and_not_undefined() -> None:
    assert run("{% $v %}", v=None) is None
    assert run("{% $v = null %}", v=None) is True
    assert run("{% $states.input.n %}", {"n": None}) is None
    assert run("{% null %}") is None
    assert run("{% [$states.input.n, 1] %}", {"n": None}) == [None, 1]


def test_integral_numbers_come_back_as_integers() -> None:
    total = run("{% $sum([1.5, 2.5]) %}")

    assert total == 4 and type(total) is int
    assert run("{% $string(1.0) %}") == "1"
    assert run("{% $string(1.5) %}") == "1.5"
    assert run("{% 3.0 * 2 %}") == 6
    assert run("{% 1e21 %}") == 1e21
    assert run("{% $string(0.1 + 0.2) %}") == "0.3"  # JSONata prints 15 significant digits


def test_results_share_the_input_instead_of_copying_it() -> None:
    state_input = {"big": [{"a": 1}, {"b": [1, 2]}]}

    assert run("{% $states.input %}", state_input) is state_input
    assert run("{% $states.input.big[0] %}", state_input) is state_input["big"][0]


def test_sequences_come_back_as_plain_lists() -> None:
    result = run("{% [1..3] %}")

    assert result == [1, 2, 3] and type(result) is list


# ---- AWS's causes --------------------------------------------------------------------------------


def test_undefined_result_names_the_expression_and_the_field() -> None:
    # assign.test_assign_reference_variables ... BASE_UNDEFINED_OUTPUT_FIELD
    cause = failure("{% $doesNotExist %}", field="Output/result")

    assert cause == (
        "The JSONata expression '$doesNotExist' specified for the field 'Output/result' "
        "returned nothing (undefined)."
    )


def test_a_missing_value_in_bindings_is_undefined() -> None:
    scope = {"states": {"input": {}, "result": MISSING}, "gone": MISSING}

    for text in ("{% $states.result %}", "{% $exists($states.result) ? 1 : $gone %}"):
        with pytest.raises(StatesError) as caught:
            compile_expression(text).evaluate(scope, "Output", random.Random(0))
        assert str(caught.value.cause).endswith("returned nothing (undefined).")


def test_evaluation_error_carries_jsonatas_code_and_message() -> None:
    # intrinsic_functions.test_math_operations_jsonata ... test_math_random_seeded
    cause = failure(
        "{% $randomSeeded($states.input.FunctionInput.fst) %}",
        {"FunctionInput": "fst"},
        "Output/FunctionResult",
    )

    assert cause == (
        "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field "
        "'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function"
    )


def test_type_errors_say_function_as_jsonata_does() -> None:
    assert failure("{% $uppercase(1) %}").endswith(
        "T0410: Argument 1 of function uppercase does not match function signature"
    )
    assert failure("{% 1 + 'a' %}").endswith(
        "T2002: The right side of the + operator must evaluate to a number"
    )
    assert failure("{% $error('boom') %}").endswith("threw an error during evaluation. D3137: boom")


def test_a_function_result_is_unsupported() -> None:
    # scenarios ... test_map_state_items_eval_jsonata_fail__function
    cause = failure("{% $fn := function($x){$x} %}", field="Items")

    assert cause == (
        "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' "
        "returned an unsupported result type."
    )


@pytest.mark.parametrize(
    ("text", "kind", "shown"),
    [
        ("{% true %}", "boolean", "true"),
        ("{% null %}", "null", "null"),
        ("{% 1 %}", "number", "1"),
        ("{% {'foo': 'bar'} %}", "object", '{"foo":"bar"}'),
        ("{% 'string' %}", "string", '"string"'),
    ],
)
def test_items_of_the_wrong_type_name_both_types_and_the_value(text: str, kind: str, shown: str) -> None:
    # scenarios ... test_map_state_items_eval_jsonata_fail__*
    expression = compile_expression(text)
    value = expression.evaluate(bindings(), "Items", random.Random(0))

    with pytest.raises(StatesError) as caught:
        expect_type(expression, value, "Items", "array")

    assert caught.value.cause == (
        f"The JSONata expression '{expression.source}' specified for the field 'Items' returned an "
        f"unexpected result type. Expected 'array', but was '{kind}' for value: {shown}"
    )


def test_expect_type_passes_the_right_type_through() -> None:
    expression = compile_expression("{% [1] %}")

    assert expect_type(expression, [1], "Items", "array") == [1]


@pytest.mark.parametrize(
    "text",
    [
        "{% $number('x') %}",
        "{% $toMillis('x') %}",
        "{% 1/0 %}",
        "{% 1e308 * 10 %}",
        "{% $replace('a', '', 'b') %}",
    ],
)
def test_no_python_error_escapes(text: str) -> None:
    assert "threw an error during evaluation." in failure(text)


def test_calling_a_non_function_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    failure("{% $x() %}", x=5)

    assert capsys.readouterr().out == ""


def test_runaway_recursion_fails_instead_of_crashing() -> None:
    cause = failure("{% ($f := function($n) { $f($n + 1) + 1 }; $f(0)) %}")

    assert "D1011: Stack overflow" in cause


def test_runaway_loop_fails_after_a_bounded_number_of_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonata_module, "MAX_STEPS", 10_000)

    cause = failure("{% ($f := function($n) { $f($n + 1) }; $f(0)) %}")  # a tail call: no depth

    assert "D1012" in cause


# ---- AWS's functions -----------------------------------------------------------------------------


def test_partition_splits_into_plain_arrays() -> None:
    assert run("{% $partition([1, 2, 3, 4, 5], 2) %}") == [[1, 2], [3, 4], [5]]
    assert run("{% $partition([0], 1) %}") == [[0]]  # not unwrapped, as AWS shows
    assert run("{% $partition([], 3) %}") == []
    assert "positive" in failure("{% $partition([1], 0) %}")


def test_range_counts_by_step_and_unwraps_a_single_item() -> None:
    assert run("{% $range(0, 10, 2) %}") == [0, 2, 4, 6, 8, 10]
    assert run("{% $range(5, 1, -2) %}") == [5, 3, 1]
    assert run("{% $range(1, 9, 9) %}") == 1  # AWS: a JSONata sequence of one is that one item
    assert "zero" in failure("{% $range(1, 2, 0) %}")


def test_hash_gives_the_hex_digest() -> None:
    assert run("{% $hash('abc', 'SHA-256') %}") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert run("{% $hash('abc', 'MD5') %}") == "900150983cd24fb0d6963f7d28e17f72"
    assert "SHA-512" in failure("{% $hash('abc', 'SHA-3') %}")


@pytest.mark.parametrize(
    ("text", "expected"), [("-0", 0), ("1", 1), ("1.1", 1.1), ("true", True), ('"Hi"', "Hi")]
)
def test_parse_reads_json_text(text: str, expected: JSON) -> None:
    # intrinsic_functions.test_json_manipulation_jsonata ... test_parse
    assert run("{% $parse($states.input) %}", text) == expected


def test_parse_keeps_null_and_rejects_bad_json() -> None:
    assert run("{% $parse('null') %}") is None
    assert run("{% $parse('{\"a\": [1, null]}') %}") == {"a": [1, None]}
    assert "not valid JSON" in failure("{% $parse('{bad') %}")


def test_randomness_comes_only_from_the_executions_rng() -> None:
    text = "{% {'r': $random(), 'u': $uuid(), 's': $shuffle([1, 2, 3, 4, 5])} %}"

    first = run(text, rng=random.Random(42))
    again = run(text, rng=random.Random(42))

    assert first == again
    assert 0 <= first["r"] < 1
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first["u"])
    assert sorted(first["s"]) == [1, 2, 3, 4, 5]


def test_random_with_a_seed_repeats_whatever_the_rng() -> None:
    one = run("{% $random(12) %}", rng=random.Random(1))
    two = run("{% $random(12) %}", rng=random.Random(2))

    assert one == two


def test_eval_is_not_available() -> None:
    assert failure("{% $eval('1 + 1') %}").endswith("T1006: Attempted to invoke a non-function")


def test_now_and_millis_read_the_states_entered_time() -> None:
    assert run("{% $now() %}") == ENTERED
    assert run("{% $millis() %}") == 1710498030456
    assert run("{% $now('[Y0001]-[M01]') %}") == "2024-03"


# ---- templates -----------------------------------------------------------------------------------


def test_template_replaces_each_expression_and_keeps_constants() -> None:
    constant = {"deep": [1, 2]}
    template = compile_template({"a": "{% $x + 1 %}", "list": [1, "{% $x %}"], "c": constant, "s": "plain"})

    result = template.evaluate(bindings(x=1), "Arguments", random.Random(0))

    assert result == {"a": 2, "list": [1, 1], "c": {"deep": [1, 2]}, "s": "plain"}
    assert result["c"] is constant


def test_template_without_expressions_returns_the_same_object() -> None:
    value = {"a": [1, {"b": "$not.an.expression"}]}

    assert compile_template(value).evaluate(bindings(), "Arguments", random.Random(0)) is value


def test_template_causes_name_the_nested_field() -> None:
    # assign.test_assign_reference_variables ... BASE_UNDEFINED_ARGUMENTS_FIELD
    template = compile_template({"FunctionName": "{% $doesNotExist %}"})

    with pytest.raises(StatesError) as caught:
        template.evaluate(bindings(), "Arguments", random.Random(0))

    assert caught.value.cause == (
        "The JSONata expression '$doesNotExist' specified for the field 'Arguments/FunctionName' "
        "returned nothing (undefined)."
    )


def test_template_with_an_invalid_expression_does_not_compile() -> None:
    with pytest.raises(JsonataSyntaxError):
        compile_template({"a": ["{% 1 + %}"]})


def test_expressions_evaluate_safely_from_many_threads() -> None:
    expression = compile_expression("{% $states.input.a * 2 + $v %}")
    wrong: list[tuple[int, int, JSON]] = []

    def work(a: int) -> None:
        for v in range(300):
            got = expression.evaluate(bindings({"a": a}, v=v), "Output", random.Random(0))
            if got != a * 2 + v:
                wrong.append((a, v, got))

    threads = [threading.Thread(target=work, args=(a,)) for a in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert wrong == []


# ---- the conformance cases: AWS's own results ----------------------------------------------------


def _single_state_cases() -> Iterator[Any]:
    """JSONata cases with one Pass state whose Output is a template, or one Map whose Items is an
    expression: what AWS gave for them depends on this module alone."""
    if not CASES.is_dir():
        return
    for folder in sorted(CASES.iterdir()):
        definition = json.loads((folder / "definition.json").read_text())
        states = definition.get("States", {})
        if len(states) != 1:
            continue
        state = next(iter(states.values()))
        if state.get("QueryLanguage", definition.get("QueryLanguage")) != "JSONata":
            continue
        if state["Type"] == "Pass" and "Output" in state:
            field, value = "Output", state["Output"]
        elif state["Type"] == "Map" and is_expression(state.get("Items")):
            field, value = "Items", state["Items"]
        else:
            continue
        expected = json.loads((folder / "expected.json").read_text())
        state_input = json.loads((folder / "input.json").read_text())
        yield pytest.param(field, value, state_input, expected, id=folder.name)


needs_cases = pytest.mark.skipif(not CASES.is_dir(), reason=f"conformance cases not found at {CASES}")


@needs_cases
@pytest.mark.parametrize(("field", "value", "state_input", "expected"), list(_single_state_cases()))
def test_conformance_case_gives_what_aws_gave(
    field: str, value: JSON, state_input: JSON, expected: Any
) -> None:
    def evaluate() -> JSON:
        if field == "Items":
            expression = compile_expression(value)
            return expect_type(
                expression, expression.evaluate(bindings(state_input), field, rng), field, "array"
            )
        return compile_template(value).evaluate(bindings(state_input), field, rng)

    rng = random.Random(0)

    if expected["status"] == "SUCCEEDED":
        result = evaluate()
        if field == "Output":
            assert json.dumps(result, sort_keys=True) == json.dumps(expected["output"], sort_keys=True)
    else:
        with pytest.raises(StatesError) as caught:
            evaluate()
        assert caught.value.error == expected["error"]
        assert expected["cause"].endswith(f"). {caught.value.cause}")


@needs_cases
def test_every_expression_in_the_conformance_cases_compiles() -> None:
    texts = set()
    for definition in CASES.glob("*/definition.json"):
        texts.update(re.findall(r'"(\{%(?:[^"\\]|\\.)*%\})"', definition.read_text()))

    for text in texts:
        compile_expression(json.loads(f'"{text}"'))

    assert len(texts) > 40
