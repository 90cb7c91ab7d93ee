"""Input and output processing around every state.

JSONPath: InputPath → Parameters → (the state's work) → ResultSelector → ResultPath → OutputPath.
JSONata: Arguments → (the state's work) → Output, with `$states` bound for each expression.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.data.context import EvalContext
from engine.data.paths import Path
from engine.data.templates import read_path
from engine.definition.model import Assign, State
from engine.errors import StatesRuntime
from engine.json import JSON, MISSING, dumps, remember_set

InputStage = Callable[[JSON, EvalContext], JSON]
OutputStage = Callable[[JSON, JSON, EvalContext], JSON]


def effective_input(state: State, raw: JSON, ctx: EvalContext) -> JSON:
    """InputPath, then Parameters: what the state works on."""
    value = select_input(state, raw, ctx)
    if state.parameters is not None:
        value = state.parameters(value, ctx)
    return value


def select_input(state: State, raw: JSON, ctx: EvalContext) -> JSON:
    if state.input_path_null:
        return {}
    if state.input_path is None:
        return raw
    return _select(state.input_path, raw, ctx)


def apply_result(state: State, raw: JSON, result: JSON, ctx: EvalContext) -> JSON:
    """ResultSelector (if the state has one), ResultPath, OutputPath: the state's output."""
    if state.result_selector is not None:
        result = state.result_selector(result, ctx)
    return finish_output(state, raw, result, ctx)


def finish_output(state: State, raw: JSON, result: JSON, ctx: EvalContext) -> JSON:
    """ResultPath then OutputPath, for a result that is already selected."""
    if state.result_path_null:
        combined = raw
    elif state.result_path is None:
        combined = result
    else:
        combined = state.result_path.write(raw, result)
    return select_output(state, combined, ctx)


def select_output(state: State, value: JSON, ctx: EvalContext) -> JSON:
    if state.output_path_null:
        return {}
    if state.output_path is None:
        return value
    return _select(state.output_path, value, ctx)


def _select(path: Path, value: JSON, ctx: EvalContext) -> JSON:
    selected = read_path(path, value, ctx)
    if selected is MISSING:
        raise StatesRuntime(f"Invalid path '{path.text}' : No results for path: {_bracketed(path.text)}")
    return selected


# --- stages: the pipeline above, compiled once per state -------------------------------------
# A state's JSONPath fields are fixed, so which steps apply is known before it runs: a state
# with neither InputPath nor Parameters needs no input stage at all, a lone ResultPath is one
# write. The handlers on the hot path call these instead of testing every field per visit.


def input_stage(state: State) -> InputStage | None:
    """InputPath then Parameters as one function; None when the input passes as it is."""
    parameters = state.parameters
    if not state.input_path_null and state.input_path is None:
        return parameters  # Parameters alone take the raw input: the same signature
    if parameters is None:
        return lambda raw, ctx: select_input(state, raw, ctx)
    return lambda raw, ctx: parameters(select_input(state, raw, ctx), ctx)


def output_stage(state: State) -> OutputStage | None:
    """ResultPath then OutputPath as one function; None when the result is the output."""
    plain_output = not state.output_path_null and state.output_path is None
    if not plain_output:
        return lambda raw, result, ctx: finish_output(state, raw, result, ctx)
    if state.result_path_null:
        return lambda raw, result, ctx: raw
    if state.result_path is None or not state.result_path.keys:
        return None  # "$": the result replaces the input
    keys = state.result_path.keys
    write = state.result_path.write
    if len(keys) == 1 and type(keys[0]) is str:
        key = keys[0]

        def write_one(raw: JSON, result: JSON, ctx: EvalContext) -> JSON:
            if type(raw) is dict:  # what write() does for `$.name` on an object, without its walk
                written = {**raw, key: result}
                remember_set(written, raw, key, result)  # the output's size check is then a lookup
                return written
            return write(raw, result)

        return write_one
    return lambda raw, result, ctx: write(raw, result)


def _bracketed(text: str) -> str:
    """`$.a.b` as Jayway JsonPath prints it in causes: `$['a']['b']`."""
    from engine.data.paths import compile_path

    path = compile_path(text)
    if path.keys is None:
        return text
    parts = "".join(f"['{k}']" if isinstance(k, str) else f"[{k}]" for k in path.keys)
    return "$" + parts


# --- JSONata ---------------------------------------------------------------------------------


def bindings(ctx: EvalContext, raw: JSON, **states: Any) -> dict[str, Any]:
    """The variables a JSONata expression sees: the workflow's variables and `$states`."""
    values: dict[str, Any] = dict(ctx.variables)
    scope = {"input": raw, "context": ctx.context_object()}
    for key, value in states.items():
        if value is not MISSING:
            scope[key] = value
    values["states"] = scope
    return values


def jsonata_output(state: State, raw: JSON, result: JSON, ctx: EvalContext) -> JSON:
    """Output if the state has one, else the result (or the input where there is none)."""
    if state.output is None:
        return raw if result is MISSING else result
    return state.output.evaluate(bindings(ctx, raw, result=result), "Output", ctx.rng)


def evaluate_assign(
    assign: Assign, value: JSON, ctx: EvalContext, raw: JSON, result: JSON = MISSING, **extra: Any
) -> dict[str, JSON]:
    """Every variable an Assign sets, all computed before any is written (AWS's rule)."""
    if assign.jsonata:
        assert assign.expressions is not None
        assigned = assign.expressions.evaluate(bindings(ctx, raw, result=result, **extra), "Assign", ctx.rng)
    else:
        assert assign.template is not None
        assigned = assign.template(value, ctx)
    if not isinstance(assigned, dict):
        raise StatesRuntime(f"Assign must evaluate to an object, not {dumps(assigned)}")
    return assigned


def process_result(
    state: State, raw: JSON, result: JSON, ctx: EvalContext
) -> tuple[JSON, None, dict[str, JSON] | None]:
    """A Task's, Parallel's or Map's result to (output, next, assigned): Output and Assign in
    JSONata; ResultSelector, Assign (over the selected result), ResultPath, OutputPath in JSONPath."""
    if state.jsonata:
        assigned = (
            evaluate_assign(state.assign, result, ctx, raw, result) if state.assign is not None else None
        )
        return (jsonata_output(state, raw, result, ctx), None, assigned)
    if state.result_selector is not None:
        result = state.result_selector(result, ctx)
    assigned = evaluate_assign(state.assign, result, ctx, raw) if state.assign is not None else None
    return (finish_output(state, raw, result, ctx), None, assigned)
