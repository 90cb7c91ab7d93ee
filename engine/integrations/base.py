"""The one interface every Task integration implements, and the outcome it returns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from engine.json import JSON
from engine.runtime.effects import InvokeTask
from engine.runtime.happenings import TaskFailed, TaskSucceeded

OutcomeStatus = Literal["succeeded", "failed", "pending"]


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    """What carrying out an InvokeTask gave.

    `pending` means the result arrives later as its own happening: a callback with the
    task token, an activity worker, or a child execution that the runner watches.
    """

    status: OutcomeStatus
    output: JSON = None
    error: str | None = None
    cause: str | None = None

    @classmethod
    def succeeded(cls, output: JSON) -> TaskOutcome:
        return cls("succeeded", output=output)

    @classmethod
    def failed(cls, error: str | None, cause: str | None = None) -> TaskOutcome:
        return cls("failed", error=error, cause=cause)

    @classmethod
    def pending(cls) -> TaskOutcome:
        return cls("pending")

    def to_happening(self, task_id: str) -> TaskSucceeded | TaskFailed | None:
        """The happening the runner feeds back to the stepper; None while pending."""
        if self.status == "succeeded":
            return TaskSucceeded(task_id, self.output)
        if self.status == "failed":
            return TaskFailed(task_id, self.error, self.cause)
        return None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "output": self.output, "error": self.error, "cause": self.cause}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaskOutcome:
        return cls(data["status"], data.get("output"), data.get("error"), data.get("cause"))


class Integration(Protocol):
    """A Task resource adapter. `invoke` never raises for anything a workflow can cause."""

    def handles(self, resource: str) -> bool: ...

    def invoke(self, call: InvokeTask) -> TaskOutcome: ...


@runtime_checkable
class Selective(Protocol):
    """An adapter that decides per call, not per resource (mocks claim only mapped states)."""

    def claims(self, call: InvokeTask) -> bool: ...


def new_request_id() -> str:
    """A request id for AWS-shaped responses and causes (Lambda, Step Functions)."""
    return str(uuid.uuid4())


def data_limit_cause(task: str) -> str:
    """AWS's cause when a task result passes 256 KiB (error_handling.test_states_errors.*)."""
    return (
        f"The state/task '{task}' returned a result with a size exceeding "
        "the maximum number of bytes service limit."
    )
