"""What an expression can see besides its input: the context object `$$`, variables, randomness."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from engine.errors import StatesRuntime
from engine.json import JSON, MISSING


class EvalContext:
    """Per state visit. The context object and the random generator are made only when asked for."""

    __slots__ = ("_build", "_context", "_make_rng", "_rng", "_variables", "state_name")

    def __init__(
        self,
        state_name: str,
        build_context: Callable[[], dict[str, Any]],
        variables: Mapping[str, JSON],
        make_rng: Callable[[], random.Random],
    ) -> None:
        self.state_name = state_name
        self._build = build_context
        self._context: dict[str, Any] | None = None
        self._variables = variables
        self._make_rng = make_rng
        self._rng: random.Random | None = None

    def context_object(self) -> dict[str, Any]:
        if self._context is None:
            self._context = self._build()
        return self._context

    @property
    def rng(self) -> random.Random:
        if self._rng is None:
            self._rng = self._make_rng()
        return self._rng

    def variable(self, name: str) -> JSON:
        value = self._variables.get(name, MISSING)
        if value is MISSING:
            raise StatesRuntime(f"The variable '{name}' is not defined at this point of the state machine.")
        return value

    @property
    def variables(self) -> Mapping[str, JSON]:
        return self._variables
