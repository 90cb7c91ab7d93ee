"""Choice: the first rule that matches names the next state; else Default; else an error."""

from __future__ import annotations

from typing import Any

from engine.data.context import NO_CONTEXT
from engine.data.pipeline import bindings, evaluate_assign, jsonata_output, select_output
from engine.definition.model import ChoiceState
from engine.errors import ErrorName, StatesError
from engine.json import MISSING
from engine.runtime.execution import Frame
from engine.states.outcome import Outcome


def enter(turn: Any, frame: Frame, state: ChoiceState) -> Outcome:
    ctx = NO_CONTEXT if state.context_free else turn.context(frame, state)
    raw = frame.input
    if state.jsonata:
        binds = bindings(ctx, raw)
        for branch in state.choices:
            if branch.matches(binds, ctx):
                output = (
                    branch.output.evaluate(binds, "Output", ctx.rng)
                    if branch.output is not None
                    else jsonata_output(state, raw, MISSING, ctx)
                )
                assign = branch.assign or state.assign
                assigned = evaluate_assign(assign, raw, ctx, raw) if assign is not None else None
                return (output, branch.next, assigned)
        if state.default is None:
            raise _no_match()
        assigned = evaluate_assign(state.assign, raw, ctx, raw) if state.assign is not None else None
        return (jsonata_output(state, raw, MISSING, ctx), state.default, assigned)
    # A Choice has no Parameters or ResultPath: its stages (compiled) are InputPath and OutputPath,
    # None when it has neither.
    value = raw if state.input_stage is None else state.input_stage(raw, ctx)
    for branch in state.choices:
        if branch.matches(value, ctx):
            assigned = evaluate_assign(branch.assign, value, ctx, raw) if branch.assign is not None else None
            output = value if state.output_stage is None else select_output(state, value, ctx)
            return (output, branch.next, assigned)
    if state.default is None:
        raise _no_match()
    assigned = evaluate_assign(state.assign, value, ctx, raw) if state.assign is not None else None
    output = value if state.output_stage is None else select_output(state, value, ctx)
    return (output, state.default, assigned)


def _no_match() -> StatesError:
    error = StatesError(ErrorName.NO_CHOICE_MATCHED, "No Matches!")
    error.located = True
    return error


def resume(turn: Any, frame: Frame, state: ChoiceState, kind: str, payload: Any) -> Outcome:
    raise AssertionError("a Choice state never waits")
