"""What an expression can see besides its input: the context object `$$`, variables, randomness."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from engine.errors import StatesRuntime
from engine.json import JSON, MISSING


class EvalContext:
    """Per state visit. The context object, the variables and the random generator are made
    only when an expression asks for them: most visits read none, and a visit is the hot path.

    Subclasses (the runtime's) override the three `_make_*` hooks instead of passing callables.
    """

    __slots__ = ("_build", "_context", "_make", "_rng", "_variables", "state_name")

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
        self._variables: Mapping[str, JSON] | None = variables
        self._make = make_rng
        self._rng: random.Random | None = None

    def context_object(self) -> dict[str, Any]:
        if self._context is None:
            self._context = self._make_context()
        return self._context

    @property
    def rng(self) -> random.Random:
        if self._rng is None:
            self._rng = self._make_rng()
        return self._rng

    def claim_rng(self) -> random.Random:
        """`rng` for an evaluation that cannot draw (an intrinsic without States.MathRandom or
        States.UUID). The runtime's context takes the visit's place in the execution's sequence
        of generators without making one (NO_DRAWS stands in), so later draws do not change."""
        return self.rng

    def variable(self, name: str) -> JSON:
        value = self.variables.get(name, MISSING)
        if value is MISSING:
            raise StatesRuntime(f"The variable '{name}' is not defined at this point of the state machine.")
        return value

    @property
    def variables(self) -> Mapping[str, JSON]:
        if self._variables is None:
            self._variables = self._make_variables()
        return self._variables

    def _make_context(self) -> dict[str, Any]:
        return self._build()

    def _make_rng(self) -> random.Random:
        return self._make()

    def _make_variables(self) -> Mapping[str, JSON]:
        return {}


class DeferredRandom(random.Random):
    """A generator seeded on its first draw. Seeding hashes the seed text, and most state
    visits that take a generator (every intrinsic and JSONata evaluation) never draw from it;
    the draws, when they come, are those of `random.Random(seed)`."""

    def __init__(self, seed: str) -> None:  # no super().__init__: that would seed now
        self._pending: str | None = seed
        self.gauss_next = None

    def _ready(self) -> None:
        if self._pending is not None:
            seed, self._pending = self._pending, None
            super().seed(seed)

    def random(self) -> float:
        self._ready()
        return super().random()

    def getrandbits(self, k: int) -> int:
        self._ready()
        return super().getrandbits(k)

    def seed(self, a: Any = None, version: int = 2) -> None:
        self._pending = None
        super().seed(a, version)

    def getstate(self) -> Any:
        self._ready()
        return super().getstate()

    def setstate(self, state: Any) -> None:
        self._pending = None
        super().setstate(state)

    def randbytes(self, n: int) -> bytes:
        self._ready()
        return super().randbytes(n)


class _NoDraws(random.Random):
    """What `claim_rng` hands out: drawing from it is a bug (the evaluation was said not to draw)."""

    def random(self) -> float:
        raise AssertionError("this evaluation was compiled as one that never draws")

    def getrandbits(self, k: int) -> int:
        raise AssertionError("this evaluation was compiled as one that never draws")


NO_DRAWS = _NoDraws(0)


class _NoContext(EvalContext):
    """The context of a visit compiled as needing none (State.context_free): using it is a bug."""

    def __init__(self) -> None:
        super().__init__("", _refuse, {}, _refuse)

    @property
    def variables(self) -> Mapping[str, JSON]:
        _refuse()


def _refuse() -> NoReturn:
    raise AssertionError("this state was compiled as one that reads no context")


NO_CONTEXT: EvalContext = _NoContext()
