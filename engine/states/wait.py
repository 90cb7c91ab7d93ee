"""Wait: suspend until a moment, then pass the input on unchanged."""

from __future__ import annotations

from typing import Any

from engine.data.context import EvalContext
from engine.data.pipeline import bindings, evaluate_assign, jsonata_output, select_input, select_output
from engine.data.templates import read_path
from engine.data.timestamps import parse_timestamp
from engine.definition.model import WaitState
from engine.errors import QueryEvaluationError, StatesRuntime
from engine.json import JSON, MISSING, dumps
from engine.runtime.execution import Frame
from engine.states.outcome import SUSPEND, Outcome


def enter(turn: Any, frame: Frame, state: WaitState) -> Outcome:
    # No sleeping here: the runner owns time. The frame resumes on TimerFired.
    ctx = turn.context(frame, state)
    due = _due(state, frame.input, ctx, turn.now)
    turn.wait_for(frame, turn.start_timer(frame, due - turn.now, "wait"))
    return SUSPEND


def resume(turn: Any, frame: Frame, state: WaitState, kind: str, payload: Any) -> Outcome:
    ctx = turn.context(frame, state)
    raw = frame.input
    if state.jsonata:
        assigned = evaluate_assign(state.assign, raw, ctx, raw) if state.assign is not None else None
        return (jsonata_output(state, raw, MISSING, ctx), None, assigned)
    value = select_input(state, raw, ctx)
    assigned = evaluate_assign(state.assign, value, ctx, raw) if state.assign is not None else None
    return (select_output(state, value, ctx), None, assigned)


def _due(state: WaitState, raw: JSON, ctx: EvalContext, now: float) -> float:
    if state.seconds is not None:  # `is not None`, never truthiness: "Seconds": 0 is valid
        return now + state.seconds
    if state.timestamp is not None:
        return _instant(
            state.timestamp,
            "The Timestamp field cannot be parsed as an ISO-8601 extended offset "
            f"date-time format string: {state.timestamp}",
        )
    if state.seconds_expression is not None:
        seconds = state.seconds_expression.evaluate(bindings(ctx, raw), "Seconds", ctx.rng)
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
            raise QueryEvaluationError(f"The Seconds field must be a positive integer, not {dumps(seconds)}.")
        return now + seconds
    if state.timestamp_expression is not None:
        stamp = state.timestamp_expression.evaluate(bindings(ctx, raw), "Timestamp", ctx.rng)
        try:
            return _instant(
                stamp,
                "The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                f"date-time format string: {stamp}",
            )
        except StatesRuntime as error:  # an expression's bad result is a query error (conformance)
            raise QueryEvaluationError(error.cause or "") from None
    value = select_input(state, raw, ctx)
    if state.seconds_path is not None:
        path = state.seconds_path.text
        seconds = read_path(state.seconds_path, value, ctx)
        if seconds is MISSING:
            raise StatesRuntime(f"The SecondsPath parameter does not reference an input value: {path}")
        if (
            (isinstance(seconds, float) and not seconds.is_integer())
            or not isinstance(seconds, (int, float))
            or isinstance(seconds, bool)
        ):
            raise StatesRuntime(
                f"The SecondsPath parameter cannot be parsed as a long value: {path} == {_show(seconds)}"
            )
        if seconds < 0:
            raise StatesRuntime(
                f"The SecondsPath parameter references a negative value: {path} == {_show(seconds)}"
            )
        return now + seconds
    assert state.timestamp_path is not None
    path = state.timestamp_path.text
    stamp = read_path(state.timestamp_path, value, ctx)
    if stamp is MISSING:
        raise StatesRuntime(f"The TimestampPath parameter does not reference an input value: {path}")
    return _instant(
        stamp,
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format "
        f"string: {path} == {_show(stamp)}",
    )


def _instant(stamp: JSON, cause: str) -> float:
    parsed = parse_timestamp(stamp) if isinstance(stamp, str) else None
    if parsed is None:
        raise StatesRuntime(cause)
    return parsed.timestamp()


def _show(value: JSON) -> str:
    return value if isinstance(value, str) else dumps(value)
