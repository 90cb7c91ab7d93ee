"""Checks of one field's value: its JSON type, its range, its syntax. Each is a small generator.

A check takes the value and its Site (field name, pointer, query language) and yields what
is wrong. fields.py maps field names to these checks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from engine.data.timestamps import parse_timestamp
from engine.definition.diagnostics import Code, Diagnostic, join, quote, schema_error, warning
from engine.definition.validate.expressions import (
    describe,
    expression_value,
    is_expression,
    jsonata_template,
    looks_like_path,
    path_or_intrinsic,
    path_value,
    payload_template,
)
from engine.json import JSON

MAX_SECONDS = 99_999_999  # AWS's bound on every seconds field
MAX_LABEL = 40


@dataclass(frozen=True)
class Site:
    """Where a value is: its field's name, its pointer, and whether JSONata is in force there."""

    field: str
    location: str
    jsonata: bool


Check = Callable[[JSON, Site], Iterator[Diagnostic]]


def wrong_type(value: JSON, site: Site, wanted: str) -> Diagnostic:
    return schema_error(
        f"The value for the field {quote(site.field)} must be {wanted}, not {describe(value)}.", site.location
    )


def is_integer(value: JSON) -> bool:
    # An integral float (3.0) counts: JSON does not tell 3 from 3.0.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or (math.isfinite(value) and value.is_integer())


def is_number(value: JSON) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def anything(value: JSON, site: Site) -> Iterator[Diagnostic]:
    yield from ()


def text(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if not isinstance(value, str):
        yield wrong_type(value, site, "a string")


def name(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if not isinstance(value, str) or value == "":
        yield wrong_type(value, site, "the name of a state")


def boolean(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if not isinstance(value, bool):
        yield wrong_type(value, site, "true or false")


def obj(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if not isinstance(value, dict):
        yield wrong_type(value, site, "an object")


def nonempty_array(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if not isinstance(value, list):
        yield wrong_type(value, site, "an array")
    elif not value:
        yield schema_error(f"{site.field} must not be empty. Add at least one entry.", site.location)


def array(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if not isinstance(value, list):
        yield wrong_type(value, site, "an array")


def branches(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """Parallel's Branches: a non-empty array of objects (each with StartAt and States)."""
    yield from nonempty_array(value, site)
    for index, branch in enumerate(value if isinstance(value, list) else []):
        if not isinstance(branch, dict):
            message = f"Each branch must be an object with StartAt and States, not {describe(branch)}."
            yield schema_error(message, join(site.location, index))


def strings(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        yield wrong_type(value, site, "an array of strings")


def one_of(*options: str) -> Check:
    def check(value: JSON, site: Site) -> Iterator[Diagnostic]:
        if value not in options:
            listed = ", ".join(repr(option) for option in options)
            yield schema_error(
                f"The value for the field {quote(site.field)} must be one of {listed}.", site.location
            )

    return check


def integer(low: int, high: int | None = None) -> Check:
    """An integer in [low, high]; in JSONata states also a {% %} expression."""

    def check(value: JSON, site: Site) -> Iterator[Diagnostic]:
        if site.jsonata and is_expression(value):
            yield from expression_value(value, site.field, site.location)
        elif not is_integer(value):
            yield wrong_type(value, site, "an integer")
        elif value < low or (high is not None and value > high):
            yield _out_of_range(site, low, high)

    return check


def number(low: float, high: float | None = None) -> Check:
    def check(value: JSON, site: Site) -> Iterator[Diagnostic]:
        if site.jsonata and is_expression(value):
            yield from expression_value(value, site.field, site.location)
        elif not is_number(value) or not math.isfinite(value):
            yield wrong_type(value, site, "a number")
        elif value < low or (high is not None and value > high):
            yield _out_of_range(site, low, high)

    return check


def _out_of_range(site: Site, low: float, high: float | None) -> Diagnostic:
    bounds = f"at least {low}" if high is None else f"between {low} and {high}"
    return schema_error(f"The value for the field {quote(site.field)} must be {bounds}.", site.location)


def optional_path(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """InputPath, OutputPath: a Path, or null (which means {})."""
    if value is not None:
        yield from path_value(value, site.field, site.location)


def reference_path(value: JSON, site: Site) -> Iterator[Diagnostic]:
    yield from path_value(value, site.field, site.location, reference=True)


def result_path(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """ResultPath: a reference path into the state's input (never $$ or a variable), or null."""
    if value is None:
        return
    if isinstance(value, str) and value.startswith("$") and value[1:2] not in ("", ".", "["):
        message = "ResultPath writes into the state's input, so it starts with '$.' or '$['"
        yield schema_error(
            f"{message}; {quote(value)} does not. To keep a value for later, use Assign.", site.location
        )
        return
    yield from path_value(value, site.field, site.location, reference=True)


def error_path(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """ErrorPath, CausePath: a reference path or an intrinsic call."""
    yield from path_or_intrinsic(value, site.field, site.location, reference=True)


def template(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """Parameters, ResultSelector, ItemSelector, BatchInput in JSONPath: an object template."""
    if not isinstance(value, dict):
        yield wrong_type(value, site, "an object")
    else:
        yield from payload_template(value, site.field, site.location)


def expression_or_object(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """Arguments, and ItemSelector in JSONata: an object, or one {% %} expression."""
    if not isinstance(value, dict) and not is_expression(value):
        yield wrong_type(value, site, "an object or a {% %} expression")
    else:
        yield from jsonata_template(value, site.field, site.location)


def selector(value: JSON, site: Site) -> Iterator[Diagnostic]:
    yield from (expression_or_object if site.jsonata else template)(value, site)


def jsonata_value(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """Output and the like: any JSON; its {% %} strings must compile."""
    yield from jsonata_template(value, site.field, site.location)


def items(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if not isinstance(value, list) and not is_expression(value):
        yield wrong_type(value, site, "an array or a {% %} expression")
    else:
        yield from jsonata_template(value, site.field, site.location)


def condition(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if isinstance(value, bool):
        return
    if not is_expression(value):
        yield wrong_type(value, site, "a {% %} expression or a boolean")
    else:
        yield from expression_value(value, site.field, site.location)


def timestamp(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if site.jsonata and is_expression(value):
        yield from expression_value(value, site.field, site.location)
    elif not isinstance(value, str):
        yield wrong_type(value, site, "an RFC 3339 timestamp string")
    elif parse_timestamp(value) is None:
        message = "String does not match RFC3339 timestamp. Write it like 2016-03-14T01:59:00Z."
        yield schema_error(message, site.location)


def message_text(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """Fail's Error and Cause: a string (in JSONata possibly an expression)."""
    if not isinstance(value, str):
        yield wrong_type(value, site, "a string")
    elif site.jsonata:
        yield from jsonata_template(value, site.field, site.location)
    elif looks_like_path(value):
        message = (
            f"{quote(value)} looks like a path, but {quote(site.field)} is kept as text because its name"
            f" does not end with 'Path'. Use {quote(site.field + 'Path')} to read it from the input."
        )
        yield warning(Code.NO_PATH, message, site.location)


def string_or_expression(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """Resource, RoleArn: a string; in JSONata states possibly an expression."""
    if not isinstance(value, str):
        yield wrong_type(value, site, "a string")
    elif site.jsonata and is_expression(value):
        yield from expression_value(value, site.field, site.location)


def label(value: JSON, site: Site) -> Iterator[Diagnostic]:
    if not isinstance(value, str):
        yield wrong_type(value, site, "a string")
    elif not 0 < len(value) <= MAX_LABEL:
        yield schema_error(f"A Label has 1 to {MAX_LABEL} characters, not {len(value)}.", site.location)


def pass_result(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """Result is used as is; a path in it is a mistake AWS warns about."""
    if looks_like_path(value):
        yield _static_result(site.location)
    elif isinstance(value, dict):
        for key in value:
            if isinstance(key, str) and key.endswith(".$"):
                yield _static_result(join(site.location, key))


def _static_result(location: str) -> Diagnostic:
    message = (
        "Result is used as written, paths included. To select from the input, use Parameters with '.$' keys."
    )
    return warning(Code.PASS_RESULT_IS_STATIC, message, location)


def assign(value: JSON, site: Site) -> Iterator[Diagnostic]:
    """Assign: an object of variable names; values are templates (JSONPath) or JSONata values."""
    if not isinstance(value, dict):
        yield wrong_type(value, site, "an object of variable names and values")
        return
    for key in value:
        variable = key.removesuffix(".$") if not site.jsonata else key
        if not variable.isidentifier() or variable == "states":
            message = (
                f"{quote(variable)} is not a usable variable name: start with a letter or '_', then use"
                " letters, digits and '_' ('states' is reserved)."
            )
            yield schema_error(message, join(site.location, key))
    yield from (jsonata_template if site.jsonata else payload_template)(value, site.field, site.location)
