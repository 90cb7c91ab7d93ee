"""Tokenizer and recursive-descent parser for intrinsic calls such as `States.Format('{}', $.a)`.

The grammar (ASL, "Intrinsic Functions"):

    call    = "States." NAME "(" [ arg *( "," arg ) ] ")"
    arg     = string | number | "true" | "false" | "null" | path | call
    string  = "'" *( char | "\\'" | "\\{" | "\\}" | "\\\\" ) "'"
    path    = "$" ...   (a Path, a context path "$$..." or a variable "$name...")

Any other backslash escape is an error: AWS refuses such a definition
(conformance case scenarios...test_illegal_escapes__ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NoReturn

from engine.data.paths import PathSyntaxError, compile_path
from engine.json import JSON

MAX_NESTING = 10  # AWS: "You can nest up to 10 intrinsic functions within a field"


class IntrinsicSyntaxError(ValueError):
    """An intrinsic function call AWS would refuse when the state machine is created."""


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant argument. For a string, `pieces` is its text split at each unescaped `{}`."""

    value: JSON
    pieces: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class PathArg:
    """A path argument, kept as written: the caller's `read` resolves it."""

    path: str


@dataclass(frozen=True, slots=True)
class Call:
    name: str  # "States.Format"
    args: tuple[Node, ...]
    at: int  # where the call starts in the text, for messages


Node = Literal | PathArg | Call

_CALL_START = re.compile(r"States\.([A-Za-z0-9]+)\(")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPED = {"'": "'", "{": "{", "}": "}", "\\": "\\"}
_KEYWORDS: dict[str, JSON] = {"true": True, "false": False, "null": None}
_SPACE = " \t\n\r"


def parse(text: str) -> Call:
    """The syntax tree of one intrinsic call; raises IntrinsicSyntaxError saying what is wrong."""
    parser = _Parser(text)
    parser.skip_space()
    call = parser.call(depth=1)
    parser.skip_space()
    if parser.at < len(text):
        parser.fail(f"unexpected {text[parser.at :]!r} after the closing parenthesis")
    return call


class _Parser:
    """A cursor over the text of one call."""

    __slots__ = ("at", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def fail(self, message: str, at: int | None = None) -> NoReturn:
        where = self.at if at is None else at
        raise IntrinsicSyntaxError(
            f"Invalid intrinsic function call {self.text!r}: {message} (at character {where + 1})."
        )

    def skip_space(self) -> None:
        text, at = self.text, self.at
        while at < len(text) and text[at] in _SPACE:
            at += 1
        self.at = at

    def call(self, depth: int) -> Call:
        start = self.at
        if depth > MAX_NESTING:
            self.fail(f"intrinsic functions can be nested at most {MAX_NESTING} deep")
        head = _CALL_START.match(self.text, start)
        if head is None:
            self.fail("expected a call such as States.Format(...)")
        self.at = head.end()
        args: list[Node] = []
        self.skip_space()
        if self._peek() == ")":
            self.at += 1
            return Call("States." + head.group(1), (), start)
        while True:
            args.append(self.argument(depth))
            self.skip_space()
            char = self._peek()
            self.at += 1
            if char == ")":
                return Call("States." + head.group(1), tuple(args), start)
            if char != ",":
                self.at -= 1
                self.fail("expected ',' or ')' after an argument" if char else "missing ')'")

    def argument(self, depth: int) -> Node:
        self.skip_space()
        char = self._peek()
        if char == "'":
            return self.string()
        if char == "$":
            return self.path()
        if char == "-" or char.isdigit():
            return self.number()
        if self.text.startswith("States.", self.at):
            return self.call(depth + 1)
        word = _WORD.match(self.text, self.at)
        if word is not None and word.group() in _KEYWORDS:
            self.at = word.end()
            return Literal(_KEYWORDS[word.group()])
        if not char or char in ",)":
            self.fail("missing argument")
        self.fail("expected a string in single quotes, a number, true, false, null, a path or a call")

    def string(self) -> Literal:
        text, start = self.text, self.at
        at = start + 1
        pieces: list[str] = []
        current: list[str] = []
        while at < len(text):
            char = text[at]
            if char == "'":
                self.at = at + 1
                pieces.append("".join(current))
                return Literal("{}".join(pieces), tuple(pieces))
            if char == "\\":
                escaped = _ESCAPED.get(text[at + 1 : at + 2])
                if escaped is None:
                    self.fail(r"invalid escape in a string: only \', \{, \} and \\ are allowed", at)
                current.append(escaped)
                at += 2
            elif char == "{" and text.startswith("{}", at):
                # An unescaped "{}" is a States.Format placeholder; "\{}" is not.
                pieces.append("".join(current))
                current = []
                at += 2
            else:
                current.append(char)
                at += 1
        self.fail("unterminated string: a closing single quote is missing", start)

    def number(self) -> Literal:
        match = _NUMBER.match(self.text, self.at)
        if match is None:
            self.fail("expected a number after '-'")
        self.at = match.end()
        if match.group(1) is None and match.group(2) is None:
            return Literal(int(match.group()))
        value = float(match.group())
        if not math.isfinite(value):
            self.fail(f"the number {match.group()} is too large", match.start())
        return Literal(value)

    def path(self) -> PathArg:
        """A path runs to the first ',', ')' or space outside brackets and quotes."""
        text, start = self.text, self.at
        at, depth, quote = start, 0, ""
        while at < len(text):
            char = text[at]
            if quote:
                if char == "\\":
                    at += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"" and depth > 0:
                quote = char
            elif char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
            elif depth == 0 and (char in ",)" or char in _SPACE):
                break
            at += 1
        if depth != 0 or quote:
            self.fail("unbalanced brackets or quotes in a path", start)
        self.at = at
        path = text[start:at]
        try:
            compile_path(path)
        except PathSyntaxError as error:
            self.fail(f"invalid path argument: {error}", start)
        return PathArg(path)

    def _peek(self) -> str:
        return self.text[self.at : self.at + 1]
