"""Mocked responses in the Step Functions Local MockConfigFile format.

    {"StateMachines": {"<machine>": {"TestCases": {"<case>": {"<state>": "<response name>"}}}},
     "MockedResponses": {"<response name>": {"0": {"Return": ...}, "1-2": {"Throw": {...}}}}}

A test case maps Task states to named responses; a response's keys are zero-based
invocation numbers of that state in the execution ("1-2" covers 1 and 2; every retry is a
new invocation). `Return` is the task result exactly as recorded; `Throw` fails the task
with its Error and Cause.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import ErrorName
from engine.integrations.base import TaskOutcome
from engine.json import JSON
from engine.runtime.effects import InvokeTask


class MockConfigError(ValueError):
    """The mock configuration is malformed, or lacks what was asked of it."""


@dataclass(frozen=True, slots=True)
class MockTestCase:
    state_machine_name: str
    name: str
    responses: dict[str, tuple[TaskOutcome, ...]]  # state name -> outcome per invocation

    def respond(self, state_name: str, invocation: int) -> TaskOutcome | None:
        """The mocked outcome of a state's `invocation`-th call (from 0); None if not mocked."""
        outcomes = self.responses.get(state_name)
        if outcomes is None or not 0 <= invocation < len(outcomes):
            return None
        return outcomes[invocation]

    def mocks(self, state_name: str) -> bool:
        return state_name in self.responses


class MockConfig:
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    @classmethod
    def from_json(cls, data: JSON) -> MockConfig:
        """Check the overall shape now; each test case is read when asked for."""
        if not isinstance(data, dict):
            raise MockConfigError(
                "A mock configuration is a JSON object with StateMachines and MockedResponses."
            )
        for key in ("StateMachines", "MockedResponses"):
            if not isinstance(data.get(key), dict):
                raise MockConfigError(f"The mock configuration needs a {key!r} object.")
        return cls(data)

    @classmethod
    def load(cls, path: str | Path) -> MockConfig:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise MockConfigError(f"Cannot read the mock configuration {str(path)!r}: {error}") from error
        return cls.from_json(data)

    def test_case(self, state_machine_name: str, test_case_name: str) -> MockTestCase:
        machines = self._data["StateMachines"]
        machine = machines.get(state_machine_name)
        if not isinstance(machine, dict) or not isinstance(machine.get("TestCases"), dict):
            known = ", ".join(sorted(machines)) or "none"
            raise MockConfigError(
                f"The mock configuration has no state machine {state_machine_name!r} (it has: {known})."
            )
        case = machine["TestCases"].get(test_case_name)
        if not isinstance(case, dict):
            known = ", ".join(sorted(machine["TestCases"])) or "none"
            raise MockConfigError(
                f"State machine {state_machine_name!r} has no test case {test_case_name!r} (it has: {known})."
            )
        responses = {}
        for state, response_name in case.items():
            responses[state] = self._outcomes(state, response_name)
        return MockTestCase(state_machine_name, test_case_name, responses)

    def _outcomes(self, state: str, response_name: JSON) -> tuple[TaskOutcome, ...]:
        mocked = self._data["MockedResponses"].get(response_name) if isinstance(response_name, str) else None
        if not isinstance(mocked, dict) or not mocked:
            raise MockConfigError(
                f"State {state!r} uses the mocked response {response_name!r}, which is not defined."
            )
        ranges = sorted((_range(state, key), key) for key in mocked)
        outcomes: list[TaskOutcome] = []
        for (first, last), key in ranges:
            if first != len(outcomes):
                raise MockConfigError(
                    f"Mocked response {response_name!r} must number invocations consecutively from 0: "
                    f"{key!r} starts at {first}, expected {len(outcomes)}."
                )
            outcomes.extend([_outcome(response_name, key, mocked[key])] * (last - first + 1))
        return tuple(outcomes)


def _range(state: str, key: str) -> tuple[int, int]:
    first, _, last = key.strip().partition("-")
    try:
        start, end = int(first), int(last) if last else int(first)
    except ValueError:
        raise MockConfigError(
            f"{key!r} (for state {state!r}) is not an invocation number or range like '1-2'."
        ) from None
    if start < 0 or end < start:
        raise MockConfigError(f"{key!r} (for state {state!r}) is not a range of invocation numbers.")
    return start, end


def _outcome(response_name: str, key: str, response: JSON) -> TaskOutcome:
    if not isinstance(response, dict) or len(response.keys() & {"Return", "Throw"}) != 1:
        raise MockConfigError(f"Response {response_name!r}/{key!r} needs exactly one of 'Return' or 'Throw'.")
    if "Return" in response:
        return TaskOutcome.succeeded(response["Return"])
    throw = response["Throw"]
    if not isinstance(throw, dict) or not isinstance(throw.get("Error"), str):
        raise MockConfigError(f"Response {response_name!r}/{key!r}: 'Throw' needs an 'Error' string.")
    cause = throw.get("Cause")
    return TaskOutcome.failed(throw["Error"], cause if isinstance(cause, str) else None)


class MockIntegration:
    """Answers mocked states from a test case; put it first, so they never reach real adapters.

    It counts invocations per state name itself, so use one instance per execution. States
    the test case does not map fall through to the next adapter.
    """

    def __init__(self, test_case: MockTestCase) -> None:
        self.test_case = test_case
        self.invocations: Counter[str] = Counter()

    def handles(self, resource: str) -> bool:
        return True  # any resource can be mocked; `claims` decides per state

    def claims(self, call: InvokeTask) -> bool:
        return self.test_case.mocks(call.state_name)

    def invoke(self, call: InvokeTask) -> TaskOutcome:
        number = self.invocations[call.state_name]
        self.invocations[call.state_name] += 1
        outcome = self.test_case.respond(call.state_name, number)
        if outcome is not None:
            return outcome
        # A mapped state called more often than mocked: the test case, not the workflow, is
        # short, and falling through to a real service would be a surprise.
        defined = len(self.test_case.responses.get(call.state_name, ()))
        cause = (
            f"Test case {self.test_case.name!r} mocks {defined} invocation(s) of state {call.state_name!r}; "
            f"this is invocation {number}. Add a response for it to the mock configuration."
        )
        return TaskOutcome.failed(ErrorName.RUNTIME, cause)
