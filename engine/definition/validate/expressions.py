"""Syntax of what a definition evaluates: paths, reference paths, payload templates, intrinsic
calls and JSONata expressions. Each check yields diagnostics at the exact value's pointer.

The parsers are the ones the engine runs with (engine.data), so what validates is what runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.data import jsonata
from engine.data.intrinsics import IntrinsicSyntaxError, looks_like_intrinsic, parse_intrinsic
from engine.data.paths import PathSyntaxError, compile_path, compile_reference_path
from engine.definition.diagnostics import Code, Diagnostic, join, quote, schema_error, warning
from engine.json import JSON

MAX_EXPRESSION_CHARS = 65_536  # longer "expressions" are refused unread: no parser is fed megabytes
MAX_PROBLEM_CHARS = 300  # a parser's message echoes the expression; keep diagnostics readable


def _said(exc: Exception) -> str:
    """A parser's message, as a clause: no final stop, and not the size of the expression it quotes."""
    text = str(exc).rstrip(".! ")
    return text if len(text) <= MAX_PROBLEM_CHARS else text[: MAX_PROBLEM_CHARS - 3] + "..."


def path_problem(text: JSON, *, reference: bool = False) -> str | None:
    """Why `text` is not a Path (or Reference Path); None when it is one."""
    if not isinstance(text, str):
        return f"it must be a string starting with '$', not {describe(text)}"
    if len(text) > MAX_EXPRESSION_CHARS:
        return f"it is {len(text)} characters long; a path has at most {MAX_EXPRESSION_CHARS}"
    try:
        compile_reference_path(text) if reference else compile_path(text)
    except PathSyntaxError as exc:
        return _said(exc)
    except Exception as exc:  # a parser bug must not become a crash of validation
        return f"it could not be read as a path ({type(exc).__name__})"
    return None


def intrinsic_problem(text: str) -> str | None:
    """Why `text` is not a valid intrinsic function call; None when it is one."""
    if len(text) > MAX_EXPRESSION_CHARS:
        return f"it is {len(text)} characters long; an intrinsic call has at most {MAX_EXPRESSION_CHARS}"
    try:
        parse_intrinsic(text)
    except IntrinsicSyntaxError as exc:
        return _said(exc)
    except Exception as exc:
        return f"it could not be read as an intrinsic call ({type(exc).__name__})"
    return None


def jsonata_problem(text: str) -> str | None:
    """Why the JSONata expression `text` ("{% ... %}") does not compile; None when it does."""
    if len(text) > MAX_EXPRESSION_CHARS:
        return f"it is {len(text)} characters long; an expression has at most {MAX_EXPRESSION_CHARS}"
    try:
        jsonata.compile_expression(text)
    except jsonata.JsonataSyntaxError as exc:
        return _said(exc)
    except Exception as exc:
        return f"it could not be read as JSONata ({type(exc).__name__})"
    return None


def is_expression(value: JSON) -> bool:
    """Whether `value` is a JSONata expression string ("{% ... %}")."""
    try:
        return bool(jsonata.is_expression(value))
    except Exception:
        return False


def looks_like_path(text: JSON) -> bool:
    """A string its author probably meant as a path or intrinsic call (for the NO_DOLLAR warning)."""
    if not isinstance(text, str):
        return False
    return text in ("$", "$$") or text.startswith(("$.", "$[", "$$.")) or looks_like_intrinsic(text)


def describe(value: JSON) -> str:
    """A few words naming `value`'s JSON type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return quote(value, 40)
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def path_value(text: JSON, field: str, location: str, *, reference: bool = False) -> Iterator[Diagnostic]:
    problem = path_problem(text, reference=reference)
    if problem is not None:
        kind = "a reference path (no wildcards or filters)" if reference else "a valid JSONPath"
        yield schema_error(f"The value for the field {quote(field)} must be {kind}: {problem}.", location)


def path_or_intrinsic(
    text: JSON, field: str, location: str, *, reference: bool = False
) -> Iterator[Diagnostic]:
    """A `.$` value, ErrorPath or CausePath: a path, or an intrinsic call."""
    if isinstance(text, str) and looks_like_intrinsic(text):
        problem = intrinsic_problem(text)
    else:
        problem = path_problem(text, reference=reference)
    if problem is not None:
        yield schema_error(
            f"The value for the field {quote(field)} must be a valid JSONPath or a valid intrinsic function"
            f" call: {problem}.",
            location,
        )


def expression_value(text: str, field: str, location: str) -> Iterator[Diagnostic]:
    problem = jsonata_problem(text)
    if problem is not None:
        # The library's message already says "The JSONata expression '...' is not valid: ..."
        prefix = (
            ""
            if problem.startswith("The JSONata expression")
            else f"The JSONata expression in {quote(field)}: "
        )
        yield schema_error(f"{prefix}{problem}. Fix the expression.", location)


def payload_template(value: JSON, field: str, location: str) -> Iterator[Diagnostic]:
    """A JSONPath payload template: each "key.$" holds a path or an intrinsic call.

    Walked with a stack: templates may nest as deep as the document bounds allow.
    """
    stack: list[tuple[JSON, str]] = [(value, location)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, list):
            stack.extend((item, join(at, i)) for i, item in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for key, child in node.items():
            where = join(at, key)
            if key.endswith(".$"):
                if not isinstance(child, str):
                    message = (
                        f"The value for the field {quote(key)} must be a path or an intrinsic call string"
                    )
                    yield schema_error(
                        f"{message}, not {describe(child)}. Or drop '.$' to keep it as is.", where
                    )
                else:
                    yield from path_or_intrinsic(child, key, where)
            elif looks_like_path(child):
                message = (
                    f"The field {quote(key)} holds {quote(child)}, which looks like a path or intrinsic call"
                    f" but stays plain text. Name the field {quote(key + '.$')} to evaluate it."
                )
                yield warning(Code.NO_DOLLAR, message, where)
            else:
                stack.append((child, where))


def jsonata_template(value: JSON, field: str, location: str) -> Iterator[Diagnostic]:
    """A JSONata-mode value: every string that is "{% ... %}" must compile."""
    stack: list[tuple[JSON, str]] = [(value, location)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, str):
            if is_expression(node):
                yield from expression_value(node, field, at)
        elif isinstance(node, list):
            stack.extend((item, join(at, i)) for i, item in enumerate(node))
        elif isinstance(node, dict):
            stack.extend((child, join(at, key)) for key, child in node.items())
