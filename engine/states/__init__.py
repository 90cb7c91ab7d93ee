"""State handlers keyed by "Type": each has enter() and resume()."""

from __future__ import annotations

from typing import Any

from engine.states import choice, map, parallel, pass_, task, wait
from engine.states.terminal import Fail, Succeed

HANDLERS: dict[str, Any] = {
    "Pass": pass_,
    "Task": task,
    "Choice": choice,
    "Wait": wait,
    "Succeed": Succeed,
    "Fail": Fail,
    "Parallel": parallel,
    "Map": map,
}
