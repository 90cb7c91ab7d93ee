"""validate(): run every rule over a raw definition and return every diagnostic, sorted.

Rules are generators of Diagnostic taking the walked Definition, run in RULES order, like
Django's checks. Validation works on the raw JSON document, not on a model: it must cope
with any garbage, and never raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from engine.definition.diagnostics import Code, Diagnostic, error, sort_key
from engine.definition.parse import check_bounds, load_document
from engine.definition.validate import choices, express, fields, resources, structure, transitions
from engine.definition.validate.scopes import Definition, walk
from engine.json import JSON

Rule = Callable[[Definition], Iterable[Diagnostic]]

RULES: tuple[Rule, ...] = (
    structure.document_shape,
    structure.state_names,
    structure.state_shapes,
    structure.query_languages,
    fields.scope_values,
    fields.state_values,
    fields.timeouts,
    fields.recovery,
    fields.nested_objects,
    choices.choice_rules,
    transitions.targets,
    transitions.reachability,
    resources.task_resources,
    express.express_limits,
)

__all__ = ["RULES", "validate", "validate_text"]


def validate(document: JSON, *, machine_type: str = "STANDARD") -> list[Diagnostic]:
    """Every problem of `document`, sorted by location then code. Never raises.

    `machine_type` is "STANDARD" or "EXPRESS" (Express refuses .sync, .waitForTaskToken and
    activities). A document beyond the nesting or size bounds gets one diagnostic saying so.
    """
    try:
        bounds = check_bounds(document)
        if bounds:
            return bounds
        definition = walk(document, machine_type)
    except Exception as exc:  # the walk is defensive; this is the backstop "never raises" promises
        return [_internal(exc, "the definition's scopes")]
    found: set[Diagnostic] = set()
    for rule in RULES:
        try:
            found.update(rule(definition))
        except Exception as exc:
            found.add(_internal(exc, rule.__name__))
    return sorted(found, key=sort_key)


def validate_text(
    text: str | bytes, *, machine_type: str = "STANDARD", filename: str | None = None
) -> list[Diagnostic]:
    """Parse `text` (JSON or YAML, see load_document) and validate it: syntax problems, then the rest."""
    document, diagnostics = load_document(text, filename=filename)
    if document is None:
        return sorted(diagnostics, key=sort_key)
    return sorted(set(diagnostics) | set(validate(document, machine_type=machine_type)), key=sort_key)


def _internal(exc: Exception, where: str) -> Diagnostic:
    message = (
        f"Validation failed inside {where} ({type(exc).__name__}: {exc}). Please report this definition."
    )
    return error(Code.INTERNAL_VALIDATION_ERROR, message, "")
