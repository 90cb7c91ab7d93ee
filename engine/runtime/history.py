"""History events named and shaped as in GetExecutionHistory, and the Recorder that numbers them.

Event values (inputs, outputs) are the JSON values themselves, shared with the execution, not
strings: the AWS API layer turns them into JSON text when it answers GetExecutionHistory.
Like every JSON value in the engine, an event is never changed in place once recorded.
"""

from __future__ import annotations

from typing import Any

from engine.errors import StatesError
from engine.json import MAX_HISTORY_EVENTS
from engine.runtime.effects import Effect

HistoryEvent = dict[str, Any]

_STATE_PREFIX = {
    "Pass": "Pass",
    "Task": "Task",
    "Choice": "Choice",
    "Wait": "Wait",
    "Succeed": "Succeed",
    "Fail": "Fail",
    "Parallel": "Parallel",
    "Map": "Map",
}
_NOT_TRUNCATED = {"truncated": False}  # in two events per transition: one shared value
ENTERED = {kind: f"{prefix}StateEntered" for kind, prefix in _STATE_PREFIX.items()}
EXITED = {kind: f"{prefix}StateExited" for kind, prefix in _STATE_PREFIX.items()}


class HistoryLimitExceeded(StatesError):
    """AWS fails an execution whose history would pass 25,000 events."""

    terminal = True

    def __init__(self) -> None:
        super().__init__(
            "States.Runtime",
            f"The execution reached the maximum number of history events ({MAX_HISTORY_EVENTS}).",
        )


class Recorder:
    """Collects one step's events and effects; event ids continue the execution's."""

    __slots__ = ("effects", "events", "last_id", "now")

    def __init__(self, last_event_id: int, now: float) -> None:
        self.last_id = last_event_id
        self.now = now
        self.events: list[HistoryEvent] = []
        self.effects: list[Effect] = []

    def add(self, type_: str, details_key: str | None = None, details: Any = None) -> int:
        event_id = self.last_id + 1
        if event_id > MAX_HISTORY_EVENTS and not type_.startswith("Execution"):
            raise HistoryLimitExceeded()
        event: HistoryEvent = {
            "id": event_id,
            "previousEventId": self.last_id,
            "timestamp": self.now,
            "type": type_,
        }
        if details_key is not None:
            event[details_key] = details
        self.events.append(event)
        self.last_id = event_id
        return event_id

    # entered() and exited() build their event in place of add(): two of them per transition

    def entered(self, state_type: str, name: str, value: Any) -> int:
        event_id = self.last_id + 1
        if event_id > MAX_HISTORY_EVENTS:
            raise HistoryLimitExceeded()
        self.events.append(
            {
                "id": event_id,
                "previousEventId": self.last_id,
                "timestamp": self.now,
                "type": ENTERED[state_type],
                "stateEnteredEventDetails": {
                    "name": name,
                    "input": value,
                    "inputDetails": _NOT_TRUNCATED,
                },
            }
        )
        self.last_id = event_id
        return event_id

    def exited(self, state_type: str, name: str, value: Any, assigned: dict[str, Any] | None = None) -> int:
        event_id = self.last_id + 1
        if event_id > MAX_HISTORY_EVENTS:
            raise HistoryLimitExceeded()
        details: dict[str, Any] = {"name": name, "output": value, "outputDetails": _NOT_TRUNCATED}
        if assigned:
            details["assignedVariables"] = assigned
        self.events.append(
            {
                "id": event_id,
                "previousEventId": self.last_id,
                "timestamp": self.now,
                "type": EXITED[state_type],
                "stateExitedEventDetails": details,
            }
        )
        self.last_id = event_id
        return event_id

    def failure(self, type_: str, error: str | None, cause: str | None, **extra: Any) -> int:
        key = type_[0].lower() + type_[1:] + "EventDetails"
        details = dict(extra)
        if error is not None:
            details["error"] = error
        if cause is not None:
            details["cause"] = cause
        return self.add(type_, key, details)

    def effect(self, effect: Effect) -> None:
        self.effects.append(effect)
