"""The typed, frozen model of a state machine, compiled once per definition.

Built only from documents that validate (see `engine.definition.validate`); every node keeps the
JSON Pointer of where it was written, and every path, template, rule and expression is compiled
here, so running a state never parses anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.data.context import EvalContext
from engine.data.paths import Path, ReferencePath
from engine.json import JSON, MISSING

Evaluate = Callable[[JSON, EvalContext], JSON]
JsonataEval = Any  # engine.data.jsonata.Template: evaluate(bindings, field, rng)

JSONPATH = "JSONPath"
JSONATA = "JSONata"


@dataclass(frozen=True, slots=True, kw_only=True)
class Retrier:
    pointer: str
    error_equals: tuple[str, ...]
    interval_seconds: float = 1
    max_attempts: int = 3
    backoff_rate: float = 2.0
    max_delay_seconds: float | None = None
    jitter: str = "NONE"  # "FULL" | "NONE"


@dataclass(frozen=True, slots=True, kw_only=True)
class Catcher:
    pointer: str
    error_equals: tuple[str, ...]
    next: str
    result_path: ReferencePath | None = None  # None: the error output replaces the input
    discard_result: bool = False  # "ResultPath": null keeps the input unchanged
    output: JsonataEval | None = None  # JSONata mode
    assign: Assign | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Assign:
    """Variables a state sets; all values are computed before any is written."""

    jsonata: bool
    template: Evaluate | None = None  # JSONPath: a payload template over the state's result
    expressions: JsonataEval | None = None  # JSONata: a template evaluated with $states


@dataclass(frozen=True, slots=True, kw_only=True)
class State:
    """What every state type shares. `raw` keeps the definition's own JSON for this state."""

    name: str
    type: str
    pointer: str
    raw: Mapping[str, JSON] = field(repr=False)
    query_language: str = JSONPATH
    next: str | None = None
    end: bool = False
    # JSONPath input and output processing; None means the default ("$"), DISCARD means null.
    input_path: Path | None = None
    input_path_null: bool = False
    output_path: Path | None = None
    output_path_null: bool = False
    parameters: Evaluate | None = None
    result_selector: Evaluate | None = None
    result_path: ReferencePath | None = None
    result_path_null: bool = False
    # JSONata
    arguments: JsonataEval | None = None
    output: JsonataEval | None = None
    assign: Assign | None = None
    # Set by compile: the JSONPath fields above as two functions (engine.data.pipeline's stages),
    # InputPath then Parameters and ResultPath then OutputPath; None where a value passes as it is.
    input_stage: Evaluate | None = field(default=None, compare=False, repr=False)
    output_stage: Callable[[JSON, JSON, EvalContext], JSON] | None = field(
        default=None, compare=False, repr=False
    )
    # Set by compile: no field of this Pass, Choice or Succeed reads `$$`, a variable or an
    # intrinsic, so a visit needs no EvalContext (engine.data.context.NO_CONTEXT stands in).
    context_free: bool = field(default=False, compare=False, repr=False)
    jsonata: bool = field(init=False, compare=False, repr=False)  # QueryLanguage is JSONata

    def __post_init__(self) -> None:
        # a field, not a property: handlers ask on every visit
        object.__setattr__(self, "jsonata", self.query_language == JSONATA)


@dataclass(frozen=True, slots=True, kw_only=True)
class PassState(State):
    result: JSON = MISSING


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeouts:
    """TimeoutSeconds and HeartbeatSeconds, each a number, a path or a JSONata expression."""

    timeout_seconds: float | None = None
    timeout_path: Path | None = None
    timeout_expression: JsonataEval | None = None
    heartbeat_seconds: float | None = None
    heartbeat_path: Path | None = None
    heartbeat_expression: JsonataEval | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Recoverable(State):
    """States that may Retry and Catch: Task, Parallel, Map."""

    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskState(Recoverable):
    resource: str
    resource_expression: JsonataEval | None = None
    timeouts: Timeouts = Timeouts()
    credentials: JSON = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceBranch:
    pointer: str
    next: str
    matches: Callable[[JSON, EvalContext], bool]  # compiled rule or JSONata Condition
    assign: Assign | None = None
    output: JsonataEval | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceState(State):
    choices: tuple[ChoiceBranch, ...]
    default: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WaitState(State):
    seconds: float | None = None
    timestamp: str | None = None
    seconds_path: Path | None = None
    timestamp_path: Path | None = None
    seconds_expression: JsonataEval | None = None
    timestamp_expression: JsonataEval | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SucceedState(State):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class FailState(State):
    error: str | None = None
    cause: str | None = None
    error_path: Evaluate | None = None
    cause_path: Evaluate | None = None
    error_expression: JsonataEval | None = None
    cause_expression: JsonataEval | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    """A set of states with its own StartAt: the machine, a Parallel branch, a Map processor."""

    pointer: str
    start_at: str
    states: Mapping[str, State]
    query_language: str = JSONPATH


@dataclass(frozen=True, slots=True, kw_only=True)
class ParallelState(Recoverable):
    branches: tuple[Scope, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MapState(Recoverable):
    processor: Scope
    distributed: bool = False
    items_path: Path | None = None
    items: JSON = MISSING  # JSONata: an array or an expression (see items_expression)
    items_expression: JsonataEval | None = None
    item_selector: Evaluate | None = None
    item_selector_jsonata: JsonataEval | None = None
    max_concurrency: int = 0
    max_concurrency_path: Path | None = None
    max_concurrency_expression: JsonataEval | None = None
    tolerated_percentage: float | None = None
    tolerated_percentage_path: Path | None = None
    tolerated_percentage_expression: JsonataEval | None = None
    tolerated_count: int | None = None
    tolerated_count_path: Path | None = None
    tolerated_count_expression: JsonataEval | None = None
    item_batcher: JSON = None
    item_reader: JSON = None
    result_writer: JSON = None
    label: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StateMachine:
    """A compiled state machine. Scopes are indexed by pointer for the stepper."""

    root: Scope
    document: Mapping[str, JSON] = field(repr=False)
    timeout_seconds: float | None = None
    comment: str | None = None
    scopes: Mapping[str, Scope] = field(default_factory=dict, repr=False)

    def scope(self, pointer: str) -> Scope:
        return self.scopes[pointer]
