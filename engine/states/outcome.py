"""What a state handler may return, and the error a Fail state raises."""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import StatesError
from engine.json import JSON


@dataclass(frozen=True, slots=True)
class Advance:
    """The state is done: record its exit and go to `next` (the state's own Next when None)."""

    output: JSON
    next: str | None = None
    assigned: dict[str, JSON] | None = None


@dataclass(frozen=True, slots=True)
class Suspend:
    """The frame waits for a task, a timer or its children; a happening resumes it."""


SUSPEND = Suspend()
Outcome = Advance | Suspend


class FailStateError(StatesError):
    """Raised by a Fail state: it ends the branch at once, no Retrier or Catcher applies."""

    terminal = True
    located = True  # the Fail state's own Error and Cause, word for word
