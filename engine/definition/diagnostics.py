"""Diagnostic(severity, code, message, location): what validation reports, in AWS's shape.

Codes are AWS's own (ValidateStateMachineDefinition) where AWS has one; the few we add
follow the same style. A location is an RFC 6901 JSON Pointer into the definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "ERROR"  # the definition cannot be created
    WARNING = "WARNING"  # it can, but probably does not do what its author meant


class Code(StrEnum):
    """Diagnostic codes. The first group is AWS's; the second is ours, for what AWS has no code."""

    INVALID_JSON_DESCRIPTION = "INVALID_JSON_DESCRIPTION"
    MISSING_DESCRIPTION = "MISSING_DESCRIPTION"
    SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"
    INVALID_RESOURCE = "INVALID_RESOURCE"
    MISSING_END_STATE = "MISSING_END_STATE"
    DUPLICATE_STATE_NAME = "DUPLICATE_STATE_NAME"
    INVALID_STATE_NAME = "INVALID_STATE_NAME"
    MISSING_TRANSITION_TARGET = "MISSING_TRANSITION_TARGET"  # AWS also uses it for unreachable states
    TOO_DEEPLY_NESTED = "TOO_DEEPLY_NESTED"
    NO_DOLLAR = "NO_DOLLAR"
    NO_PATH = "NO_PATH"
    PASS_RESULT_IS_STATIC = "PASS_RESULT_IS_STATIC"

    DEFINITION_TOO_LARGE = "DEFINITION_TOO_LARGE"
    NO_TERMINAL_PATH = "NO_TERMINAL_PATH"
    INTERNAL_VALIDATION_ERROR = "INTERNAL_VALIDATION_ERROR"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str  # says what is wrong and what to do about it
    location: str  # JSON Pointer: "/States/Check/Choices/0/Next"; "" is the whole definition

    def as_json(self) -> dict[str, str]:
        """The diagnostic as ValidateStateMachineDefinition returns it."""
        return {
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "location": self.location,
        }


def error(code: str, message: str, location: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, str(code), message, location)  # str(): a plain string, not a Code


def warning(code: str, message: str, location: str) -> Diagnostic:
    return Diagnostic(Severity.WARNING, str(code), message, location)


def schema_error(message: str, location: str) -> Diagnostic:
    """The code AWS uses for every shape problem: wrong type, missing or unknown field, bad value."""
    return Diagnostic(Severity.ERROR, str(Code.SCHEMA_VALIDATION_FAILED), message, location)


def quote(value: object, limit: int = 120) -> str:
    """`value` quoted for a message, cut short when long: user text may be megabytes."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def pointer(*parts: str | int) -> str:
    """A JSON Pointer (RFC 6901) to `parts`: pointer("States", "a/b") == "/States/a~1b"."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def join(base: str, *parts: str | int) -> str:
    """`base` (a pointer) extended by `parts`."""
    return base + pointer(*parts)


def sort_key(diagnostic: Diagnostic) -> tuple[str, str, str, str]:
    return (diagnostic.location, diagnostic.code, diagnostic.severity, diagnostic.message)
