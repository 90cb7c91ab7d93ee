"""Pass: hand its input (or its Result) on, through the usual input and output processing."""

from __future__ import annotations

from typing import Any

from engine.data.pipeline import effective_input, evaluate_assign, finish_output, jsonata_output
from engine.definition.model import PassState
from engine.json import MISSING
from engine.runtime.execution import Frame
from engine.states.outcome import Advance, Outcome


def enter(turn: Any, frame: Frame, state: PassState) -> Outcome:
    ctx = turn.context(frame, state)
    raw = frame.input
    if state.jsonata:
        assigned = evaluate_assign(state.assign, raw, ctx, raw) if state.assign is not None else None
        return Advance(jsonata_output(state, raw, MISSING, ctx), assigned=assigned)
    result = state.result if state.result is not MISSING else effective_input(state, raw, ctx)
    assigned = evaluate_assign(state.assign, result, ctx, raw) if state.assign is not None else None
    return Advance(finish_output(state, raw, result, ctx), assigned=assigned)


def resume(turn: Any, frame: Frame, state: PassState, kind: str, payload: Any) -> Outcome:
    raise AssertionError("a Pass state never waits")
