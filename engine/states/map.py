"""Map: run the item processor once per item, at most MaxConcurrency at a time.

Results keep the items' order whatever order iterations finish in. Failures beyond the
tolerated count or percentage fail the state; with no tolerance set, the first failure does.
A distributed Map runs the same way locally, its iterations recorded apart from the parent's
history as AWS records them in child executions.
"""

from __future__ import annotations

import math
from typing import Any

from engine.data.context import EvalContext
from engine.data.pipeline import bindings, process_result, select_input
from engine.data.templates import read_path
from engine.definition.model import MapState
from engine.errors import ErrorName, QueryEvaluationError, StatesError, StatesRuntime
from engine.json import JSON, MISSING, dumps
from engine.runtime.execution import Frame
from engine.states.map_settings import batches, concurrency, tolerance
from engine.states.map_storage import answer, start_reading, start_writing
from engine.states.outcome import SUSPEND, Outcome


def enter(turn: Any, frame: Frame, state: MapState) -> Outcome:
    ctx = turn.context(frame, state)
    raw = frame.input
    value = raw if state.jsonata else select_input(state, raw, ctx)
    if state.item_reader is not None:
        start_reading(turn, frame, state, value, ctx)
        return SUSPEND
    return _begin(turn, frame, state, value, _items(state, raw, value, ctx), ctx)


def _begin(
    turn: Any, frame: Frame, state: MapState, value: JSON, items: list[JSON], ctx: EvalContext
) -> Outcome:
    if state.item_batcher is not None:
        items = batches(state, items, value, ctx)
    limit = concurrency(state, value, ctx)
    tolerated_count, tolerated_percentage = tolerance(state, value, ctx)
    turn.record(frame, "add", "MapStateStarted", "mapStateStartedEventDetails", {"length": len(items)})
    if state.distributed:
        turn.record(
            frame,
            "add",
            "MapRunStarted",
            "mapRunStartedEventDetails",
            {"mapRunArn": _map_run_arn(turn, state)},
        )
    frame.fanout = {
        "items": items,
        "input": value,
        "next": 0,
        "running": 0,
        "done": 0,
        "failed": 0,
        "results": [None] * len(items),
        "limit": limit,
        "tolerated_count": tolerated_count,
        "tolerated_percentage": tolerated_percentage,
        "children": [],
    }
    if not items:
        return _succeeded(turn, frame, state)
    _start_more(turn, frame, state)
    return SUSPEND


def resume(turn: Any, frame: Frame, state: MapState, kind: str, payload: Any) -> Outcome:
    fanout = frame.fanout
    assert fanout is not None
    if kind != "child":  # the ItemReader's items or the ResultWriter's answer
        phase = fanout["phase"]
        got = answer(kind, payload, fanout)
        if phase == "reading":
            return _begin(turn, frame, state, fanout["input"], got, turn.context(frame, state))
        return _finish(turn, frame, state, got)
    child: Frame = payload
    fanout["running"] -= 1
    fanout["children"].remove(child.id)
    turn.discard(child.id)
    quiet = state.distributed
    if child.status == "failed":
        fanout["failed"] += 1
        if not quiet:
            turn.record(
                frame,
                "add",
                "MapIterationFailed",
                "mapIterationFailedEventDetails",
                {"name": state.name, "index": child.index},
            )
        if _too_many_failures(fanout):
            return _fail(turn, frame, state, child)
        fanout["results"][child.index] = {"Error": child.error, "Cause": child.cause}
    else:
        if not quiet:
            turn.event(
                frame,
                "MapIterationSucceeded",
                "mapIterationSucceededEventDetails",
                {"name": state.name, "index": child.index},
            )
        fanout["results"][child.index] = child.output
    fanout["done"] += 1
    if fanout["done"] == len(fanout["items"]):
        return _succeeded(turn, frame, state)
    if fanout["next"] < len(fanout["items"]):  # else nothing is left to start
        _start_more(turn, frame, state)
    return SUSPEND


def _start_more(turn: Any, frame: Frame, state: MapState) -> None:
    fanout = frame.fanout
    assert fanout is not None
    items, limit = fanout["items"], fanout["limit"]
    while fanout["next"] < len(items) and (limit == 0 or fanout["running"] < limit):
        _start_one(turn, frame, state, fanout, items)  # a call per item: see Turn.drive


def _start_one(turn: Any, frame: Frame, state: MapState, fanout: dict[str, Any], items: list[JSON]) -> None:
    index = fanout["next"]
    fanout["next"] += 1
    fanout["running"] += 1
    item = items[index]
    map_item = {"Index": index, "Value": item}
    if state.item_selector is None and state.item_selector_jsonata is None:
        value = item  # no selector, no context to make: this runs for every item
    else:
        value = _select_item(turn, frame, state, fanout["input"], map_item)
    if not state.distributed:
        turn.event(
            frame,
            "MapIterationStarted",
            "mapIterationStartedEventDetails",
            {"name": state.name, "index": index},
        )
    child = turn.spawn(
        frame, state.processor.pointer, value, index, quiet=state.distributed, map_item=map_item
    )
    fanout["children"].append(child.id)


def _select_item(turn: Any, frame: Frame, state: MapState, value: JSON, map_item: JSON) -> JSON:
    ctx = turn.context(frame, state, {"Map": {"Item": map_item}})
    if state.item_selector is not None:
        return state.item_selector(value, ctx)
    assert state.item_selector_jsonata is not None
    return state.item_selector_jsonata.evaluate(bindings(ctx, frame.input), "ItemSelector", ctx.rng)


def _items(state: MapState, raw: JSON, value: JSON, ctx: EvalContext) -> list[JSON]:
    if state.jsonata:
        if state.items_expression is not None:
            items = state.items_expression.evaluate(bindings(ctx, raw), "Items", ctx.rng)
            if not isinstance(items, list):
                expression = state.raw["Items"].strip()[2:-2].strip()
                raise QueryEvaluationError(
                    f"The JSONata expression '{expression}' specified for the field 'Items' returned an "
                    f"unexpected result type. Expected 'array', but was '{_type_name(items)}' for value: "
                    f"{dumps(items)}"
                )
            return items
        items = state.items if state.items is not MISSING else raw
    elif state.items_path is not None:
        items = read_path(state.items_path, value, ctx)
        if items is MISSING:
            raise StatesRuntime(
                f"Invalid path '{state.items_path.text}' : No results for path: {state.items_path.text}"
            )
    else:
        items = value
    if not isinstance(items, list):
        error = QueryEvaluationError if state.jsonata else StatesRuntime
        raise error(f"Map state input must be an array but was: {dumps(items)}")
    return items


def _type_name(value: JSON) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else "array"


def _too_many_failures(fanout: dict[str, Any]) -> bool:
    count, percentage = fanout["tolerated_count"], fanout["tolerated_percentage"]
    if count is None and percentage is None:
        return True
    failed, total = fanout["failed"], len(fanout["items"])
    if count is not None and failed > count:
        return True
    return percentage is not None and failed > math.floor(total * percentage / 100)


def _fail(turn: Any, frame: Frame, state: MapState, child: Frame) -> Outcome:
    fanout = frame.fanout
    assert fanout is not None
    tolerant = fanout["tolerated_count"] is not None or fanout["tolerated_percentage"] is not None
    if state.distributed:
        turn.record(frame, "add", "MapRunFailed", "mapRunFailedEventDetails", {})
    turn.record(frame, "add", "MapStateFailed")
    for child_id in list(fanout["children"]):
        turn.discard(child_id)
    frame.fanout = None
    if tolerant:
        error = StatesError(
            ErrorName.EXCEED_TOLERATED_FAILURE_THRESHOLD,
            "The specified tolerated failure threshold was exceeded",
        )
    else:
        error = StatesError(child.error, child.cause)
        error.terminal = child.fatal
    error.located = True
    raise error


def _succeeded(turn: Any, frame: Frame, state: MapState) -> Outcome:
    fanout = frame.fanout
    assert fanout is not None
    results = fanout["results"]
    if state.distributed:
        turn.record(frame, "add", "MapRunSucceeded")
    turn.record(frame, "add", "MapStateSucceeded")
    frame.fanout = None
    if state.result_writer is not None:
        start_writing(turn, frame, state, results, _map_run_arn(turn, state))
        return SUSPEND
    return _finish(turn, frame, state, results)


def _finish(turn: Any, frame: Frame, state: MapState, results: JSON) -> Outcome:
    frame.fanout = None
    return process_result(state, frame.input, results, turn.context(frame, state))


def _map_run_arn(turn: Any, state: MapState) -> str:
    execution_arn: str = turn.execution.start["execution_arn"]
    return execution_arn.replace(":execution:", ":mapRun:", 1) + f"/{state.label or state.name}:1"
