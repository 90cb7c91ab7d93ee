"""Choice: the first rule that matches names the next state; else Default; else an error."""

from __future__ import annotations

from typing import Any

from engine.data.pipeline import bindings, evaluate_assign, jsonata_output, select_input, select_output
from engine.definition.model import ChoiceState
from engine.errors import ErrorName, StatesError
from engine.json import MISSING
from engine.runtime.execution import Frame
from engine.states.outcome import Advance, Outcome


def enter(turn: Any, frame: Frame, state: ChoiceState) -> Outcome:
    ctx = turn.context(frame, state)
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
                return Advance(output, next=branch.next, assigned=assigned)
        if state.default is None:
            raise _no_match()
        assigned = evaluate_assign(state.assign, raw, ctx, raw) if state.assign is not None else None
        return Advance(jsonata_output(state, raw, MISSING, ctx), next=state.default, assigned=assigned)
    value = select_input(state, raw, ctx)
    for branch in state.choices:
        if branch.matches(value, ctx):
            assigned = evaluate_assign(branch.assign, value, ctx, raw) if branch.assign is not None else None
            return Advance(select_output(state, value, ctx), next=branch.next, assigned=assigned)
    if state.default is None:
        raise _no_match()
    assigned = evaluate_assign(state.assign, value, ctx, raw) if state.assign is not None else None
    return Advance(select_output(state, value, ctx), next=state.default, assigned=assigned)


def _no_match() -> StatesError:
    error = StatesError(ErrorName.NO_CHOICE_MATCHED, "No Matches!")
    error.located = True
    return error


def resume(turn: Any, frame: Frame, state: ChoiceState, kind: str, payload: Any) -> Outcome:
    raise AssertionError("a Choice state never waits")
