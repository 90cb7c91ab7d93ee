"""What a state handler may return, and the error a Fail state raises."""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import StatesError
from engine.json import JSON

Advance = tuple[JSON, str | None, dict[str, JSON] | None]
"""The state is done: (its output, the state to go to or None for its own Next, the variables
it assigned or None). A plain tuple, not an object: a handler returns one per transition, and
a tuple costs a fraction of an object to build."""


@dataclass(frozen=True, slots=True)
class Suspend:
    """The frame waits for a task, a timer or its children; a happening resumes it."""


SUSPEND = Suspend()
Outcome = Advance | Suspend


class FailStateError(StatesError):
    """Raised by a Fail state: it ends the branch at once, no Retrier or Catcher applies."""

    terminal = True
    located = True  # the Fail state's own Error and Cause, word for word
