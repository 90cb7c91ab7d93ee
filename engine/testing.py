"""Helpers for tests, ours and our users': build a machine from a dict, run it on a virtual clock.

    from engine.testing import machine_of, run

    machine = machine_of({"Type": "Pass", "Result": False})
    result = run(machine, {"order": 7})
    assert result.output is False

`run` never sleeps: Wait states and retry delays finish at once while the timestamps in the
history still advance, from a fixed start (2024-01-01T00:00:00Z) so that runs repeat.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from engine.clock import Clock, VirtualClock
from engine.definition import Severity, StateMachine, load_machine
from engine.integrations import FunctionRegistry, MockConfig, MockTestCase, standard
from engine.json import JSON
from engine.runtime.memory import MemoryRunner, RunResult

START = 1_704_067_200.0  # 2024-01-01T00:00:00Z: where a run's virtual clock starts by default
_NEEDS_NO_END = ("Choice", "Succeed", "Fail")

Functions = FunctionRegistry | Mapping[str, Callable[..., Any]]
Mocks = MockTestCase | Mapping[str, JSON]

__all__ = ["START", "InvalidDefinition", "RunResult", "machine_of", "mocks_of", "run"]


class InvalidDefinition(ValueError):
    """The definition has errors; `diagnostics` holds every one of them."""

    def __init__(self, diagnostics: Sequence[Any]) -> None:
        self.diagnostics = list(diagnostics)
        lines = [f"  {d.code} at {d.location or '/'}: {d.message}" for d in self.diagnostics]
        super().__init__("The definition is not valid:\n" + "\n".join(lines))


def machine_of(
    source: str | Mapping[str, Any], *, name: str | None = None, machine_type: str = "STANDARD"
) -> StateMachine:
    """A compiled machine from one state, a dict of states, or a whole definition (dict or text).

    - One state (a dict with "Type"): a machine of just that state, named `name` (default: its
      Type). It gets "End": true unless it has Next or End or is a Choice, Succeed or Fail.
    - A dict of states (name → state): StartAt is the first one.
    - A definition (a dict with "States", or JSON/YAML text): as it is.

    Raises InvalidDefinition, listing every error diagnostic, when the result is not valid ASL.
    """
    definition: str | dict[str, Any]
    if isinstance(source, str):
        definition = source
    elif "States" in source:
        definition = dict(source)
    elif isinstance(source.get("Type"), str):
        definition = _one_state(dict(source), name)
    else:
        states = dict(source)
        definition = {"StartAt": next(iter(states), ""), "States": states}
    machine, diagnostics = load_machine(definition, machine_type=machine_type)
    if machine is None:
        raise InvalidDefinition([d for d in diagnostics if d.severity == Severity.ERROR])
    return machine


def run(
    machine: StateMachine,
    input: JSON = None,
    *,
    functions: Functions | None = None,
    mocks: Mocks | None = None,
    clock: Clock | None = None,
    **start_fields: Any,
) -> RunResult:
    """Run `machine` on `input` in memory until it ends (or only a callback could move it on).

    `functions` are local Lambda functions: a FunctionRegistry or a dict name → callable.
    `mocks` answers Task states without calling anything: a MockTestCase, or a dict
    state name → one response or a list of them, one per invocation, each {"Return": value}
    or {"Throw": {"Error": ..., "Cause": ...}} as in Step Functions Local's mock config.
    `start_fields` go to the Start happening (seed, name, execution_arn, machine_type, ...).
    """
    registry = _registry(functions) if functions is not None else FunctionRegistry()
    test_case = mocks_of(mocks) if mocks is not None and not isinstance(mocks, MockTestCase) else mocks
    integrations = standard(functions=registry, mocks=test_case)
    runner = MemoryRunner(machine, integrations, clock if clock is not None else VirtualClock(START))
    return runner.run(input, **start_fields)


def mocks_of(responses: Mapping[str, JSON]) -> MockTestCase:
    """A MockTestCase from {state name: response or [responses]} (see `run`)."""
    mocked: dict[str, JSON] = {}
    for state, answers in responses.items():
        listed = answers if isinstance(answers, list) else [answers]
        mocked[state] = {str(number): answer for number, answer in enumerate(listed)}
    config = MockConfig.from_json(
        {
            "StateMachines": {"Test": {"TestCases": {"Case": {state: state for state in mocked}}}},
            "MockedResponses": mocked,
        }
    )
    return config.test_case("Test", "Case")


def _one_state(state: dict[str, Any], name: str | None) -> dict[str, Any]:
    if "Next" not in state and "End" not in state and state["Type"] not in _NEEDS_NO_END:
        state["End"] = True
    state_name = name if name is not None else state["Type"]
    return {"StartAt": state_name, "States": {state_name: state}}


def _registry(functions: Functions) -> FunctionRegistry:
    if isinstance(functions, FunctionRegistry):
        return functions
    registry = FunctionRegistry()
    for function_name, fn in functions.items():
        registry.register(function_name, fn)
    return registry
