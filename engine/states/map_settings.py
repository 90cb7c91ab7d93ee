"""Map settings read at run time: MaxConcurrency, failure tolerance, ItemBatcher."""

from __future__ import annotations

from typing import Any

from engine.data.context import EvalContext
from engine.data.pipeline import bindings
from engine.data.templates import read_path
from engine.definition.model import MapState
from engine.errors import StatesRuntime
from engine.json import JSON, MISSING, dumps, size_of


def concurrency(state: MapState, value: JSON, ctx: EvalContext) -> int:
    if state.max_concurrency_path is not None:
        found = _numeric(read_path(state.max_concurrency_path, value, ctx))
        if not _is_int(found) or found < 0:
            raise StatesRuntime(
                f"The MaxConcurrencyPath field refers to value {_quoted(found)} which is not a valid "
                f"integer: {state.max_concurrency_path.text}"
            )
        return int(found)
    if state.max_concurrency_expression is not None:
        found = state.max_concurrency_expression.evaluate(bindings(ctx, value), "MaxConcurrency", ctx.rng)
        if not _is_int(found) or found < 0:
            raise StatesRuntime(
                f"The MaxConcurrency field must evaluate to a non-negative integer, not {dumps(found)}."
            )
        return int(found)
    return int(state.max_concurrency)


def tolerance(state: MapState, value: JSON, ctx: EvalContext) -> tuple[int | None, float | None]:
    count: Any = state.tolerated_count
    percentage: Any = state.tolerated_percentage
    if state.tolerated_count_path is not None:
        count = _numeric(read_path(state.tolerated_count_path, value, ctx))
        if not _is_int(count):
            raise StatesRuntime(
                f"The ToleratedFailureCountPath field refers to value {_quoted(count)} which is not a valid "
                f"integer: {state.tolerated_count_path.text}"
            )
    elif state.tolerated_count_expression is not None:
        count = state.tolerated_count_expression.evaluate(
            bindings(ctx, value), "ToleratedFailureCount", ctx.rng
        )
    if state.tolerated_percentage_path is not None:
        percentage = _numeric(read_path(state.tolerated_percentage_path, value, ctx))
        if not _is_number(percentage):
            raise StatesRuntime(
                f"The ToleratedFailurePercentagePath field refers to value {_quoted(percentage)} which is "
                f"not a valid float: {state.tolerated_percentage_path.text}"
            )
    elif state.tolerated_percentage_expression is not None:
        percentage = state.tolerated_percentage_expression.evaluate(
            bindings(ctx, value), "ToleratedFailurePercentage", ctx.rng
        )
    if count is not None and count < 0:
        raise StatesRuntime("ToleratedFailureCount cannot be negative.")
    if percentage is not None and not 0 <= percentage <= 100:
        raise StatesRuntime("ToleratedFailurePercentage must be between 0 and 100.")
    return count, percentage


def batches(state: MapState, items: list[JSON], value: JSON, ctx: EvalContext) -> list[JSON]:
    """ItemBatcher: groups of items, each {"Items": [...]} plus BatchInput when given."""
    batcher = state.item_batcher if isinstance(state.item_batcher, dict) else {}
    most = batcher.get("MaxItemsPerBatch")
    if "MaxItemsPerBatchPath" in batcher:
        from engine.data.paths import compile_path

        most = read_path(compile_path(batcher["MaxItemsPerBatchPath"]), value, ctx)
    max_bytes = batcher.get("MaxInputBytesPerBatch", 256 * 1024)
    batch_input = batcher.get("BatchInput")
    groups: list[JSON] = []
    current: list[JSON] = []
    for item in items:
        if current and ((most is not None and len(current) >= most) or size_of([*current, item]) > max_bytes):
            groups.append(_batch(current, batch_input))
            current = []
        current.append(item)
    if current:
        groups.append(_batch(current, batch_input))
    return groups


def _batch(items: list[JSON], batch_input: JSON) -> JSON:
    batch: dict[str, JSON] = {"Items": items}
    if batch_input is not None:
        batch["BatchInput"] = batch_input
    return batch


def _numeric(value: JSON) -> JSON:
    """AWS reads a number written as a string too ("1" for MaxConcurrencyPath)."""
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value
    return value


def _is_int(value: JSON) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and value.is_integer()
    )


def _is_number(value: JSON) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _quoted(value: JSON) -> str:
    text = "null" if value is MISSING else value if isinstance(value, str) else dumps(value)
    return f'"{text}"'
