"""ASL intrinsic functions for JSONPath mode: parse a call once per definition, evaluate it per state.

    intrinsic = parse_intrinsic("States.Format('Hello {}', $.name)")   # IntrinsicSyntaxError if invalid
    intrinsic.evaluate(read, rng)                                       # read("$.name") resolves paths

A call compiles to a small tree of closures, so evaluating it costs a few function calls: no
re-parsing, and path arguments are handed to `read` as written, never copied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from random import Random

from engine.data.intrinsics.functions import FUNCTIONS, Evaluator, Read, Signature, fill_template
from engine.data.intrinsics.parser import Call, IntrinsicSyntaxError, Literal, Node, PathArg, parse
from engine.errors import IntrinsicFailure
from engine.json import JSON

__all__ = [
    "FUNCTIONS",
    "Intrinsic",
    "IntrinsicSyntaxError",
    "Read",
    "looks_like_intrinsic",
    "parse_intrinsic",
]

_LOOKS_LIKE_CALL = re.compile(r"\s*States\.[A-Za-z0-9]+\(")


def looks_like_intrinsic(text: str) -> bool:
    """Whether a `.$` value is meant as an intrinsic call (else it is a path)."""
    return isinstance(text, str) and _LOOKS_LIKE_CALL.match(text) is not None


@dataclass(frozen=True, slots=True)
class Intrinsic:
    """A parsed intrinsic call: immutable, shareable between executions and threads."""

    text: str
    _run: Evaluator = field(repr=False, compare=False)

    def evaluate(self, read: Read, rng: Random) -> JSON:
        """The call's value. `read(path)` resolves a path argument (and raises when it is absent);
        `rng` is the only source of randomness (States.MathRandom, States.UUID), so replays repeat.
        Bad arguments raise States.IntrinsicFailure."""
        try:
            return self._run(read, rng)
        except (ArithmeticError, LookupError, RecursionError, TypeError, ValueError) as error:
            # A safety net: the functions check their arguments, but no Python error may escape.
            raise IntrinsicFailure(f"{self.text} failed: {error}") from None


def parse_intrinsic(text: str) -> Intrinsic:
    """Parse and check one call; raises IntrinsicSyntaxError saying what is wrong."""
    if not isinstance(text, str):
        raise IntrinsicSyntaxError(f"An intrinsic function call must be a string, not {type(text).__name__}.")
    return _parse_cached(text)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> Intrinsic:
    # Safe to share: an Intrinsic is immutable. Definitions repeat calls (Map items, versions).
    return Intrinsic(text, _compile_call(parse(text.strip())))


def _compile_call(call: Call) -> Evaluator:
    """A closure computing `call`; unknown names and wrong argument counts are syntax errors."""
    signature = FUNCTIONS.get(call.name)
    if signature is None:
        raise IntrinsicSyntaxError(
            f"{call.name} is not an intrinsic function; use one of {', '.join(FUNCTIONS)}."
        )
    count = len(call.args)
    if count < signature.min_args or (signature.max_args is not None and count > signature.max_args):
        raise IntrinsicSyntaxError(f"{call.name} takes {_arity(signature)}, but {count} were given.")
    arguments = tuple(_compile_node(arg) for arg in call.args)
    template = call.args[0] if call.name == "States.Format" else None
    if isinstance(template, Literal) and template.pieces is not None:
        return _format_literal(template.pieces, arguments[1:])
    run = signature.run
    return lambda read, rng: run([argument(read, rng) for argument in arguments], rng)


def _format_literal(pieces: tuple[str, ...], arguments: tuple[Evaluator, ...]) -> Evaluator:
    """States.Format with a literal template: split at its placeholders once, here."""
    if len(pieces) == 1 and not arguments:
        text = pieces[0]
        return lambda read, rng: text
    return lambda read, rng: fill_template(
        "States.Format", pieces, [argument(read, rng) for argument in arguments]
    )


def _compile_node(node: Node) -> Evaluator:
    if isinstance(node, Literal):
        value = node.value
        return lambda read, rng: value
    if isinstance(node, PathArg):
        path = node.path
        return lambda read, rng: read(path)
    return _compile_call(node)


def _arity(signature: Signature) -> str:
    low, high = signature.min_args, signature.max_args
    plural = "s" if low != 1 else ""
    if high is None:
        return f"at least {low} argument{plural}"
    if low == high:
        return f"exactly {low} argument{plural}"
    return f"{low} to {high} arguments"
