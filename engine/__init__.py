"""Statecraft's ASL engine: parse, validate, start, step, run.

Pure Python; no Django, no I/O in the stepper, never sleeps. Runners (the in-memory one here,
the durable one in the app) carry out the effects each step returns.
"""

from __future__ import annotations

from engine.definition import Diagnostic, Severity, StateMachine, load_document, load_machine, validate
from engine.errors import ErrorName, StatesError
from engine.runtime.effects import Effect, Finish, InvokeTask, StartTimer
from engine.runtime.execution import Execution
from engine.runtime.happenings import (
    Happening,
    Start,
    Stop,
    TaskFailed,
    TaskHeartbeat,
    TaskStarted,
    TaskSucceeded,
    TimerFired,
)
from engine.runtime.stepper import Step, start, step

__all__ = [
    "Diagnostic",
    "Effect",
    "ErrorName",
    "Execution",
    "Finish",
    "Happening",
    "InvokeTask",
    "Severity",
    "Start",
    "StartTimer",
    "StateMachine",
    "StatesError",
    "Step",
    "Stop",
    "TaskFailed",
    "TaskHeartbeat",
    "TaskStarted",
    "TaskSucceeded",
    "TimerFired",
    "load_document",
    "load_machine",
    "start",
    "step",
    "validate",
]
