"""The functions Step Functions adds to JSONata, and the built-ins it changes.

AWS adds $partition, $range, $hash, $random([seed]), $uuid and $parse, and removes $eval
(calling it fails like calling any undefined function). Randomness ($random, $uuid, $shuffle)
comes from the execution's `rng` and time ($now, $millis) from the state's entered time, so a
replayed execution computes the same values.

Calling convention (jsonata-python's JLambda): arguments arrive evaluated, `None` meaning
undefined and `Utils.NULL_VALUE` meaning null; a result of `None` is undefined.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from jsonata import Functions, Utils

from engine.json import JSON

MAX_RANGE_ITEMS = 1_000_000  # the bound JSONata puts on its own range operator [a..b] (D2014)
HASHES: dict[str, Callable[[bytes], Any]] = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}
_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


class FunctionError(Exception):
    """A bad argument to one of our functions; the message goes into the cause as it is."""


@dataclass(frozen=True, slots=True)
class Call:
    """What the functions may see during one evaluation."""

    rng: random.Random
    entered_time: str | None  # $states.context.State.EnteredTime, the clock of $now and $millis


_CURRENT: ContextVar[Call] = ContextVar("jsonata_call")


@contextmanager
def calling(call: Call) -> Iterator[None]:
    """Make `call` what the functions see while an expression evaluates (thread- and task-safe)."""
    token = _CURRENT.set(call)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def _signature_error(name: str, index: int) -> FunctionError:
    # Worded like JSONata's own T0410, so every bad argument reads alike.
    return FunctionError(f"T0410: Argument {index} of function {name} does not match function signature")


def _array(name: str, index: int, value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if value is Utils.NULL_VALUE or isinstance(value, dict | str | int | float):
        return [value]  # JSONata treats a single value as an array of one, as its "a" signature does
    raise _signature_error(name, index)


def _number(name: str, index: int, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _signature_error(name, index)
    return value


def _integer(name: str, index: int, value: Any) -> int:
    number = _number(name, index, value)
    if isinstance(number, float):
        if not number.is_integer():
            raise FunctionError(f"Argument {index} of function {name} must be an integer, got {number}")
        return int(number)
    return number


def _string(name: str, index: int, value: Any) -> str:
    if not isinstance(value, str):
        raise _signature_error(name, index)
    return value


def _partition(array: Any = None, size: Any = None, *rest: Any) -> Any:
    if array is None:
        return None
    items = _array("partition", 1, array)
    chunk = _integer("partition", 2, size)
    if chunk <= 0:
        raise FunctionError(f"Argument 2 of function partition must be a positive integer, got {chunk}")
    # Plain lists, not JSONata sequences: AWS returns [[0]] for $partition([0], 1), not [0].
    return [list(items[at : at + chunk]) for at in range(0, len(items), chunk)]


def _range(start: Any = None, end: Any = None, step: Any = 1, *rest: Any) -> Any:
    first = _number("range", 1, start)
    last = _number("range", 2, end)
    by = _number("range", 3, step)
    if by == 0:
        raise FunctionError("Argument 3 of function range must not be zero")
    count = max(0, math.floor((last - first) / by) + 1)
    if count > MAX_RANGE_ITEMS:
        raise FunctionError(
            f"The range from {first} to {last} by {by} would have {count} items; at most {MAX_RANGE_ITEMS}"
        )
    # A JSONata sequence: one item comes back as that item (AWS: $range(1, 9, 9) is 1), none as undefined.
    return Utils.create_sequence_from_iter(Utils.convert_number(first + i * by) for i in range(count))


def _hash(value: Any = None, algorithm: Any = None, *rest: Any) -> Any:
    if value is None:
        return None
    text = _string("hash", 1, value)
    name = _string("hash", 2, algorithm)
    digest = HASHES.get(name)
    if digest is None:
        raise FunctionError(
            f"Argument 2 of function hash must be one of {', '.join(HASHES)}, got {json.dumps(name)}"
        )
    return digest(text.encode("utf-8")).hexdigest()


def _random(seed: Any = None, *rest: Any) -> Any:
    if seed is None:
        return _CURRENT.get().rng.random()
    if isinstance(seed, str):
        return random.Random(seed).random()
    # The same seed always gives the same number, as AWS documents.
    return random.Random(_integer("random", 1, seed)).random()


def _uuid(*rest: Any) -> Any:
    return str(uuid.UUID(int=_CURRENT.get().rng.getrandbits(128), version=4))


def _parse(text: Any = None, *rest: Any) -> Any:
    if text is None:
        return None
    source = _string("parse", 1, text)
    try:
        value = json.loads(source, parse_constant=_no_constant)
    except ValueError as error:
        raise FunctionError(f"Argument 1 of function parse is not valid JSON: {error}") from None
    return Utils.NULL_VALUE if value is None else value


def _no_constant(name: str) -> JSON:
    raise ValueError(f"{name} is not a JSON value")


def _shuffle(array: Any = None, *rest: Any) -> Any:
    if array is None:
        return None
    items = list(_array("shuffle", 1, array))
    _CURRENT.get().rng.shuffle(items)
    return items


def _millis(*rest: Any) -> Any:
    entered = _CURRENT.get().entered_time
    try:
        moment = datetime.fromisoformat(entered or "")
    except ValueError:  # no context object to read: the wall clock, the one impure fallback
        return round(time.time() * 1000)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_EPOCH.tzinfo)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def _now(picture: Any = None, timezone: Any = None, *rest: Any) -> Any:
    picture = None if picture is Utils.NULL_VALUE else picture
    timezone = None if timezone is Utils.NULL_VALUE else timezone
    return Functions.datetime_from_millis(_millis(), picture, timezone)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "partition": _partition,
    "range": _range,
    "hash": _hash,
    "random": _random,
    "uuid": _uuid,
    "parse": _parse,
    "shuffle": _shuffle,
    "millis": _millis,
    "now": _now,
}
REMOVED = ("eval",)  # AWS: "$eval is not supported; use $parse"


def install(expression: Any) -> None:
    """Bind our functions into one compiled expression's environment (once, at compile time)."""
    for name, implementation in FUNCTIONS.items():
        expression.register_lambda(name, implementation)
    for name in REMOVED:
        expression.assign(name, None)  # an explicit None shadows the built-in: T1006 when called
