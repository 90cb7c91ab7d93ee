"""Input and output processing around every state.

JSONPath: InputPath → Parameters → (the state's work) → ResultSelector → ResultPath → OutputPath.
JSONata: Arguments → (the state's work) → Output, with `$states` bound for each expression.
"""

from __future__ import annotations

from typing import Any

from engine.data.context import EvalContext
from engine.data.templates import read_path
from engine.definition.model import Assign, State
from engine.errors import StatesRuntime
from engine.json import JSON, MISSING, dumps


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
    value = read_path(state.input_path, raw, ctx)
    if value is MISSING:
        text = state.input_path.text
        raise StatesRuntime(f"Invalid path '{text}' : No results for path: {_bracketed(text)}")
    return value


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
    selected = read_path(state.output_path, value, ctx)
    if selected is MISSING:
        raise StatesRuntime(
            f"Invalid path '{state.output_path.text}' : No results for path: "
            f"{_bracketed(state.output_path.text)}"
        )
    return selected


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
