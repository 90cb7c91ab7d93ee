"""Pass: hand its input (or its Result) on, through the usual input and output processing."""

from __future__ import annotations

from typing import Any

from engine.data.context import NO_CONTEXT
from engine.data.pipeline import evaluate_assign, jsonata_output
from engine.definition.model import PassState
from engine.json import MISSING
from engine.runtime.execution import Frame
from engine.states.outcome import Outcome


def enter(turn: Any, frame: Frame, state: PassState) -> Outcome:
    ctx = NO_CONTEXT if state.context_free else turn.context(frame, state)
    raw = frame.input
    if state.jsonata:
        assigned = evaluate_assign(state.assign, raw, ctx, raw) if state.assign is not None else None
        return (jsonata_output(state, raw, MISSING, ctx), None, assigned)
    # The compiled stages (see engine.data.pipeline): InputPath and Parameters, then ResultPath
    # and OutputPath; None where a state has none of them.
    result = state.result
    if result is MISSING:
        result = raw if state.input_stage is None else state.input_stage(raw, ctx)
    assigned = evaluate_assign(state.assign, result, ctx, raw) if state.assign is not None else None
    output = result if state.output_stage is None else state.output_stage(raw, result, ctx)
    return (output, None, assigned)


def resume(turn: Any, frame: Frame, state: PassState, kind: str, payload: Any) -> Outcome:
    raise AssertionError("a Pass state never waits")
