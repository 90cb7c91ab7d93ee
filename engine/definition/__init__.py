"""Definitions: text → document → diagnostics → the compiled model."""

from __future__ import annotations

from engine.definition.compile import compile_machine
from engine.definition.diagnostics import Diagnostic, Severity
from engine.definition.model import StateMachine
from engine.definition.parse import load_document
from engine.json import JSON


def load_machine(
    source: str | bytes | JSON, *, machine_type: str = "STANDARD", filename: str | None = None
) -> tuple[StateMachine | None, list[Diagnostic]]:
    """Text or a parsed document → (the compiled machine, or None when it has errors; every diagnostic)."""
    if isinstance(source, str | bytes):
        document, diagnostics = load_document(source, filename=filename)
        if document is None or any(d.severity == Severity.ERROR for d in diagnostics):
            return None, diagnostics
    else:
        document, diagnostics = source, []
    from engine.definition.validate import validate

    diagnostics = diagnostics + validate(document, machine_type=machine_type)
    if any(d.severity == Severity.ERROR for d in diagnostics):
        return None, diagnostics
    return compile_machine(document), diagnostics


def validate(document: JSON, *, machine_type: str = "STANDARD") -> list[Diagnostic]:
    """Every diagnostic of a parsed document (see engine.definition.validate)."""
    from engine.definition.validate import validate as run_rules

    return run_rules(document, machine_type=machine_type)


__all__ = ["Diagnostic", "Severity", "StateMachine", "load_document", "load_machine", "validate"]
