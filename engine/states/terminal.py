"""Succeed and Fail: the two states that end a branch."""

from __future__ import annotations

from typing import Any

from engine.data.context import NO_CONTEXT
from engine.data.pipeline import bindings, jsonata_output, select_input, select_output
from engine.definition.model import FailState, SucceedState
from engine.json import JSON
from engine.runtime.execution import Frame
from engine.states.outcome import FailStateError, Outcome


class Succeed:
    @staticmethod
    def enter(turn: Any, frame: Frame, state: SucceedState) -> Outcome:
        ctx = NO_CONTEXT if state.context_free else turn.context(frame, state)
        if state.jsonata:
            return (jsonata_output(state, frame.input, frame.input, ctx), None, None)
        return (select_output(state, select_input(state, frame.input, ctx), ctx), None, None)

    @staticmethod
    def resume(turn: Any, frame: Frame, state: SucceedState, kind: str, payload: Any) -> Outcome:
        raise AssertionError("a Succeed state never waits")


class Fail:
    @staticmethod
    def enter(turn: Any, frame: Frame, state: FailState) -> Outcome:
        ctx = turn.context(frame, state)
        raw = frame.input
        error: JSON = state.error
        cause: JSON = state.cause
        if state.jsonata:
            if state.error_expression is not None:
                error = state.error_expression.evaluate(bindings(ctx, raw), "Error", ctx.rng)
            if state.cause_expression is not None:
                cause = state.cause_expression.evaluate(bindings(ctx, raw), "Cause", ctx.rng)
        else:
            if state.error_path is not None:
                error = state.error_path(raw, ctx)
            if state.cause_path is not None:
                cause = state.cause_path(raw, ctx)
        raise FailStateError(_text(error), _text(cause))

    @staticmethod
    def resume(turn: Any, frame: Frame, state: FailState, kind: str, payload: Any) -> Outcome:
        raise AssertionError("a Fail state never waits")


def _text(value: JSON) -> Any:
    if value is None or isinstance(value, str):
        return value
    from engine.json import dumps

    return dumps(value)
