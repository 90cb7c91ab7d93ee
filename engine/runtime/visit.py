"""The EvalContext of one state visit, made from the frame only as far as an expression asks.

A visit costs one small object: the context object `$$`, the chain of variable scopes and the
random generator are built on first use, and most visits (a Pass with a ResultPath) use none.
"""

from __future__ import annotations

import random
from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from engine.data.context import NO_DRAWS, EvalContext
from engine.data.timestamps import format_timestamp
from engine.definition.model import Recoverable, State
from engine.json import JSON
from engine.runtime.execution import Execution, Frame


class StateVisit(EvalContext):
    __slots__ = ("_execution", "_extra", "_frame", "_seed", "_state")

    def __init__(
        self, execution: Execution, frame: Frame, state: State, extra: Mapping[str, Any] | None = None
    ) -> None:  # no super().__init__: the hooks below replace the callables it stores
        self.state_name = state.name
        self._context = None
        self._variables = None
        self._rng = None
        self._execution = execution
        self._frame = frame
        self._state = state
        self._extra = extra
        self._seed: int | None = None  # the generator's number in the execution, once claimed

    def _make_context(self) -> dict[str, Any]:
        execution, frame, state = self._execution, self._frame, self._state
        start = execution.start
        context: dict[str, Any] = {
            "Execution": {
                "Id": start["execution_arn"],
                "Input": execution.input,
                "StartTime": format_timestamp(start["start_time"]),
                "Name": start["name"],
                "RoleArn": start["role_arn"],
                "RedriveCount": start.get("redrive_count", 0),
            },
            "StateMachine": {"Id": start["state_machine_arn"], "Name": start["state_machine_name"]},
            "State": {"EnteredTime": format_timestamp(frame.entered_time), "Name": state.name},
        }
        if isinstance(state, Recoverable):  # only states that can retry have a RetryCount
            context["State"]["RetryCount"] = sum(frame.retries)
        if start.get("synchronous"):
            del context["Execution"]["RedriveCount"]  # StartSyncExecution runs cannot be redriven
        if frame.map_item is not None:
            context["Map"] = {"Item": frame.map_item}
        if self._extra:
            context.update(self._extra)
        return context

    def claim_rng(self) -> random.Random:
        if self._rng is None and self._seed is None:
            execution = self._execution
            execution.counter += 1  # claim_seed(), written out: once per intrinsic evaluation
            self._seed = execution.counter
        return NO_DRAWS if self._rng is None else self._rng

    def _make_rng(self) -> random.Random:
        execution = self._execution
        return execution.rng() if self._seed is None else execution.rng_for(self._seed)

    def _make_variables(self) -> Mapping[str, JSON]:
        return variables_of(self._execution, self._frame)


def variables_of(execution: Execution, frame: Frame) -> Mapping[str, JSON]:
    """The variables a frame sees: its own, then its Parallel's or Map's frame's, outwards."""
    if frame.parent is None:
        return frame.variables
    chain: list[dict[str, JSON]] = []
    current: Frame | None = frame
    frames = execution.frames
    while current is not None:
        chain.append(current.variables)
        current = frames.get(current.parent) if current.parent else None
    return ChainMap(*chain)
