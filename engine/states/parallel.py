"""Parallel: run every branch on the same input; the result is the list of their outputs.

A branch that fails fails the whole state at once (its error, not a wrapper), and the
other branches are abandoned.
"""

from __future__ import annotations

from typing import Any

from engine.data.pipeline import bindings, effective_input, process_result
from engine.definition.model import ParallelState
from engine.errors import StatesError
from engine.json import JSON
from engine.runtime.execution import Frame
from engine.states.outcome import SUSPEND, Outcome


def enter(turn: Any, frame: Frame, state: ParallelState) -> Outcome:
    ctx = turn.context(frame, state)
    raw = frame.input
    if state.jsonata:
        value = (
            state.arguments.evaluate(bindings(ctx, raw), "Arguments", ctx.rng)
            if state.arguments is not None
            else raw
        )
    else:
        value = effective_input(state, raw, ctx)
    turn.record(frame, "add", "ParallelStateStarted")
    children = [
        turn.spawn(frame, branch.pointer, value, index).id for index, branch in enumerate(state.branches)
    ]
    frame.fanout = {"children": children, "results": [None] * len(children), "pending": len(children)}
    return SUSPEND


def resume(turn: Any, frame: Frame, state: ParallelState, kind: str, payload: Any) -> Outcome:
    fanout = frame.fanout
    assert fanout is not None and kind == "child"
    child: Frame = payload
    if child.status == "failed":
        turn.record(frame, "add", "ParallelStateFailed")
        for child_id in fanout["children"]:
            turn.discard(child_id)
        frame.fanout = None
        error = StatesError(child.error, child.cause)
        error.located = True
        error.terminal = child.fatal
        raise error
    fanout["results"][child.index] = child.output
    fanout["pending"] -= 1
    turn.discard(child.id)
    if fanout["pending"]:
        return SUSPEND
    turn.record(frame, "add", "ParallelStateSucceeded")
    results = fanout["results"]
    frame.fanout = None
    return _result(turn, frame, state, results)


def _result(turn: Any, frame: Frame, state: ParallelState, result: JSON) -> Outcome:
    return process_result(state, frame.input, result, turn.context(frame, state))
