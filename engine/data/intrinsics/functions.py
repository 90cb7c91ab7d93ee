"""The States.* intrinsic functions as a table: name → (argument counts, implementation).

Implementations take the evaluated arguments and the execution's random source and return a
new JSON value; they never change their arguments. Bad arguments raise States.IntrinsicFailure.
Where AWS follows Java (Math.round, StringTokenizer, Map.toString) we do too; the conformance
cases tagged `intrinsic:States.*` pin those choices.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from random import Random
from typing import Any

from engine.errors import IntrinsicFailure
from engine.json import JSON, dumps

Read = Callable[[str], JSON]
Evaluator = Callable[[Read, Random], JSON]
Implementation = Callable[[list[JSON], Random], JSON]

MAX_RANGE_ITEMS = 1000
MAX_TEXT_CHARS = 10_000  # Base64Encode, Base64Decode and Hash inputs
INT32 = (-(2**31), 2**31 - 1)  # MathAdd's documented argument range
HASHES: dict[str, Callable[[bytes], Any]] = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}


@dataclass(frozen=True, slots=True)
class Signature:
    run: Implementation
    min_args: int
    max_args: int | None  # None: any number


# ---- argument checks ------------------------------------------------------------------------


def _kind(value: JSON) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else type(value).__name__


def _bad(name: str, position: int, expected: str, value: JSON) -> IntrinsicFailure:
    return IntrinsicFailure(
        f"Invalid argument {position} for {name}: expected {expected}, got {_kind(value)}."
    )


def _string(name: str, position: int, value: JSON) -> str:
    if type(value) is not str:
        raise _bad(name, position, "a string", value)
    return value


def _array(name: str, position: int, value: JSON) -> list[JSON]:
    if type(value) is not list:
        raise _bad(name, position, "an array", value)
    return value


def _object(name: str, position: int, value: JSON) -> dict[str, JSON]:
    if type(value) is not dict:
        raise _bad(name, position, "an object", value)
    return value


def _integer(name: str, position: int, value: JSON) -> int:
    """A number as an integer, rounded half up like Java's Math.round, as AWS does (-1.5 → -1)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad(name, position, "a number", value)
    if isinstance(value, int):
        return value
    if not math.isfinite(value):
        raise _bad(name, position, "a finite number", value)
    floor = math.floor(value)
    return floor + 1 if value - floor >= 0.5 else floor


def _int32(name: str, position: int, value: JSON) -> int:
    number = _integer(name, position, value)
    if not INT32[0] <= number <= INT32[1]:
        raise IntrinsicFailure(
            f"Invalid argument {position} for {name}: {number} is outside the range {INT32[0]} to {INT32[1]}."
        )
    return number


def _limited_text(name: str, value: JSON) -> str:
    text = _string(name, 1, value)
    if len(text) > MAX_TEXT_CHARS:
        raise IntrinsicFailure(
            f"Invalid argument 1 for {name}: the string is longer than {MAX_TEXT_CHARS} characters."
        )
    return text


# ---- JSON helpers ---------------------------------------------------------------------------


def java_text(value: JSON) -> str:
    """How AWS prints a value inside States.Format: Java's toString (`{a=1, b=[x, y]}`)."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return java_double(value)
    if kind is list:
        return "[" + ", ".join(java_text(item) for item in value) + "]"
    if kind is dict:
        return "{" + ", ".join(f"{key}={java_text(item)}" for key, item in value.items()) + "}"
    return str(value)


def java_double(number: float) -> str:
    """Java's Double.toString: 1.0, 0.001, 1.0E7, 1.5E-4 (shortest round-tripping digits)."""
    if number == 0:
        return "-0.0" if math.copysign(1.0, number) < 0 else "0.0"
    if 1e-3 <= abs(number) < 1e7:
        return repr(number)  # always positional with a '.' in this range
    sign, digits, exponent = Decimal(repr(number)).as_tuple()
    shown = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) + int(exponent) - 1
    return f"{'-' if sign else ''}{shown[0]}.{shown[1:] or '0'}E{power}"


def same_json(left: JSON, right: JSON) -> bool:
    """JSON equality: booleans are not numbers, 1 equals 1.0, objects ignore key order."""
    if left is right:
        return True
    left_type, right_type = type(left), type(right)
    if left_type is bool or right_type is bool:
        return left_type is right_type and left == right
    if left_type in (int, float) and right_type in (int, float):
        return bool(left == right)
    if left_type is not right_type:
        return False
    if left_type is list:
        return len(left) == len(right) and all(same_json(a, b) for a, b in zip(left, right))
    if left_type is dict:
        return left.keys() == right.keys() and all(same_json(item, right[key]) for key, item in left.items())
    return bool(left == right)


def _identity(value: JSON) -> Any:
    """A hashable stand-in for `value`, equal exactly when same_json() says so."""
    kind = type(value)
    if kind is bool:
        return ("bool", value)
    if kind is list:
        return ("list", tuple(_identity(item) for item in value))
    if kind is dict:
        return ("object", frozenset((key, _identity(item)) for key, item in value.items()))
    return value  # str, number or None: 1 and 1.0 hash and compare equal, as they should


def _reject_constant(name: str) -> JSON:
    raise ValueError(f"{name} is not JSON")


# ---- the functions --------------------------------------------------------------------------


def _format(args: list[JSON], rng: Random) -> JSON:
    template = _string("States.Format", 1, args[0])
    return fill_template("States.Format", tuple(template.split("{}")), args[1:])


def fill_template(name: str, pieces: tuple[str, ...], values: list[JSON]) -> str:
    if len(pieces) - 1 != len(values):
        raise IntrinsicFailure(
            f"{name}: the template has {len(pieces) - 1} '{{}}' placeholder(s) but {len(values)} "
            "argument(s) follow it; give one argument per placeholder."
        )
    out = [pieces[0]]
    for value, piece in zip(values, pieces[1:]):
        out.append(value if type(value) is str else java_text(value))
        out.append(piece)
    return "".join(out)


def _string_to_json(args: list[JSON], rng: Random) -> JSON:
    text = _string("States.StringToJson", 1, args[0])
    if not text.strip():
        return None  # AWS gives null for "" and " " (test_string_to_json cases 0 and 1)
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise IntrinsicFailure(
            f"Invalid argument 1 for States.StringToJson: not a JSON text ({error})."
        ) from None


def _json_to_string(args: list[JSON], rng: Random) -> JSON:
    return dumps(args[0])


def _array_of(args: list[JSON], rng: Random) -> JSON:
    return list(args)


def _array_partition(args: list[JSON], rng: Random) -> JSON:
    array = _array("States.ArrayPartition", 1, args[0])
    size = _integer("States.ArrayPartition", 2, args[1])
    if size <= 0:
        raise IntrinsicFailure(
            f"Invalid argument 2 for States.ArrayPartition: the chunk size must be positive, got {size}."
        )
    return [array[at : at + size] for at in range(0, len(array), size)]


def _array_contains(args: list[JSON], rng: Random) -> JSON:
    array = _array("States.ArrayContains", 1, args[0])
    wanted = args[1]
    return any(same_json(item, wanted) for item in array)


def _array_range(args: list[JSON], rng: Random) -> JSON:
    start, end, step = (_integer("States.ArrayRange", i + 1, arg) for i, arg in enumerate(args))
    if step == 0:
        raise IntrinsicFailure("Invalid argument 3 for States.ArrayRange: the step must not be 0.")
    count = max(0, (end - start) // step + 1)
    if count > MAX_RANGE_ITEMS:
        raise IntrinsicFailure(
            f"States.ArrayRange({start}, {end}, {step}) would have {count} items; "
            f"at most {MAX_RANGE_ITEMS} are allowed."
        )
    return list(range(start, start + count * step, step))


def _array_get_item(args: list[JSON], rng: Random) -> JSON:
    array = _array("States.ArrayGetItem", 1, args[0])
    index = _integer("States.ArrayGetItem", 2, args[1])
    if not 0 <= index < len(array):
        raise IntrinsicFailure(
            f"Invalid argument 2 for States.ArrayGetItem: index {index} is out of bounds for an array of "
            f"length {len(array)}."
        )
    return array[index]


def _array_length(args: list[JSON], rng: Random) -> JSON:
    return len(_array("States.ArrayLength", 1, args[0]))


def _array_unique(args: list[JSON], rng: Random) -> JSON:
    seen: set[Any] = set()
    unique = []
    for item in _array("States.ArrayUnique", 1, args[0]):
        identity = _identity(item)
        if identity not in seen:
            seen.add(identity)
            unique.append(item)
    return unique


def _base64_encode(args: list[JSON], rng: Random) -> JSON:
    text = _limited_text("States.Base64Encode", args[0])
    # errors="replace": a lone surrogate becomes '?', as Java's String.getBytes(UTF_8) does.
    return base64.b64encode(text.encode("utf-8", errors="replace")).decode("ascii")


def _base64_decode(args: list[JSON], rng: Random) -> JSON:
    text = _limited_text("States.Base64Decode", args[0])
    try:
        data = base64.b64decode(text)  # like Java's MIME decoder, skips characters outside the alphabet
    except (binascii.Error, ValueError):
        raise IntrinsicFailure(
            "Invalid argument 1 for States.Base64Decode: not a valid Base64 string."
        ) from None
    return data.decode("utf-8", errors="replace")


def _hash(args: list[JSON], rng: Random) -> JSON:
    text = _limited_text("States.Hash", args[0])
    algorithm = _string("States.Hash", 2, args[1])
    digest = HASHES.get(algorithm)
    if digest is None:
        raise IntrinsicFailure(
            f"Invalid argument 2 for States.Hash: {algorithm!r} is not supported; "
            f"use one of {', '.join(HASHES)}."
        )
    return digest(text.encode("utf-8", errors="replace")).hexdigest()


def _json_merge(args: list[JSON], rng: Random) -> JSON:
    first = _object("States.JsonMerge", 1, args[0])
    second = _object("States.JsonMerge", 2, args[1])
    deep = args[2]
    if type(deep) is not bool:
        raise _bad("States.JsonMerge", 3, "a boolean", deep)
    if deep:
        raise IntrinsicFailure(
            "Invalid argument 3 for States.JsonMerge: only shallow merging (false) is supported."
        )
    return {**first, **second}


def _math_random(args: list[JSON], rng: Random) -> JSON:
    start = _int32("States.MathRandom", 1, args[0])
    end = _int32("States.MathRandom", 2, args[1])
    if start >= end:
        raise IntrinsicFailure(
            f"Invalid arguments for States.MathRandom: the start ({start}) must be less than the end ({end})."
        )
    if len(args) == 3:
        # The same seed always gives the same number, as AWS documents.
        return Random(_integer("States.MathRandom", 3, args[2])).randrange(start, end)
    return rng.randrange(start, end)


def _math_add(args: list[JSON], rng: Random) -> JSON:
    return _int32("States.MathAdd", 1, args[0]) + _int32("States.MathAdd", 2, args[1])


def _string_split(args: list[JSON], rng: Random) -> JSON:
    """Split at any of the delimiter characters and drop empty pieces (Java's StringTokenizer)."""
    text = _string("States.StringSplit", 1, args[0])
    delimiters = _string("States.StringSplit", 2, args[1])
    if not delimiters:
        return [text] if text else []
    first = delimiters[0]
    if len(delimiters) > 1:
        text = text.translate({ord(char): first for char in delimiters[1:]})
    return [piece for piece in text.split(first) if piece]


def _uuid(args: list[JSON], rng: Random) -> JSON:
    # Drawn from the execution's random source so a replayed execution gets the same UUIDs.
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


FUNCTIONS: dict[str, Signature] = {
    "States.Format": Signature(_format, 1, None),
    "States.StringToJson": Signature(_string_to_json, 1, 1),
    "States.JsonToString": Signature(_json_to_string, 1, 1),
    "States.Array": Signature(_array_of, 0, None),
    "States.ArrayPartition": Signature(_array_partition, 2, 2),
    "States.ArrayContains": Signature(_array_contains, 2, 2),
    "States.ArrayRange": Signature(_array_range, 3, 3),
    "States.ArrayGetItem": Signature(_array_get_item, 2, 2),
    "States.ArrayLength": Signature(_array_length, 1, 1),
    "States.ArrayUnique": Signature(_array_unique, 1, 1),
    "States.Base64Encode": Signature(_base64_encode, 1, 1),
    "States.Base64Decode": Signature(_base64_decode, 1, 1),
    "States.Hash": Signature(_hash, 2, 2),
    "States.JsonMerge": Signature(_json_merge, 3, 3),
    "States.MathRandom": Signature(_math_random, 2, 3),
    "States.MathAdd": Signature(_math_add, 2, 2),
    "States.StringSplit": Signature(_string_split, 2, 2),
    "States.UUID": Signature(_uuid, 0, 0),
}
