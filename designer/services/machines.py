"""Definitions to compiled machines (cached per process) and rows to engine executions."""

from __future__ import annotations

import functools
from typing import Any

import engine
from designer.models import Execution
from designer.services import tokens
from designer.services.errors import ServiceError

MAX_DEFINITION_BYTES = 1024 * 1024  # AWS's limit on a definition


def diagnose(definition: str, machine_type: str) -> list[dict[str, str]]:
    """Every diagnostic of a definition, as JSON; an empty list when it is valid."""
    _, diagnostics = engine.load_machine(definition, machine_type=machine_type)
    return [d.as_json() for d in diagnostics]


def errors_of(diagnostics: list[dict[str, str]]) -> list[dict[str, str]]:
    return [d for d in diagnostics if d["severity"] == "ERROR"]


def check_size(definition: str) -> None:
    if len(definition.encode("utf-8")) > MAX_DEFINITION_BYTES:
        raise ServiceError(
            "InvalidDefinition",
            f"The definition is larger than {MAX_DEFINITION_BYTES} bytes; "
            "split it into smaller state machines.",
        )


@functools.lru_cache(maxsize=256)
def compiled(definition: str, machine_type: str) -> engine.StateMachine:
    """The compiled machine, or ServiceError(InvalidDefinition) with every diagnostic."""
    machine, diagnostics = engine.load_machine(definition, machine_type=machine_type)
    if machine is None:
        problems = [d.as_json() for d in diagnostics if d.severity == engine.Severity.ERROR]
        first = problems[0]["message"] if problems else "the definition does not compile"
        raise ServiceError("InvalidDefinition", f"Fix the definition first: {first}", problems)
    return machine


def load(row: Execution) -> engine.Execution | None:
    """The engine's view of an execution row (None before its first step)."""
    if row.state is None:
        return None
    machine = compiled(row.definition, row.machine_type)
    state: dict[str, Any] = tokens.state_to_load(row.state, row.pk)
    return engine.Execution.from_json(state, machine)
