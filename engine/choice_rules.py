"""Choice rules (JSONPath mode): comparison operators and type tests as tables; And / Or / Not.

A rule is compiled once per definition into a closure over its operator's table entry, so
evaluating `{"Variable": "$.n", "NumericLessThan": 3}` costs one `read` and two small calls.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engine.data.timestamps import instant_of, is_timestamp
from engine.errors import StatesRuntime
from engine.json import JSON, MISSING

Reader = Callable[[str], JSON]
"""Reads the value at a path (Variable or a `...Path` operand); MISSING when nothing is there."""

Test = Callable[[Reader], bool]
Key = Callable[[JSON], object]  # a value's comparable form, or None when the operator ignores it
Relation = Callable[[Any, Any], bool]  # applied to two keys of one family


class ChoiceRuleError(ValueError):
    """A malformed Choice rule. `pointer` locates it inside the rule (RFC 6901, "" for the rule)."""

    def __init__(self, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled Choice rule.

    `matches(read)` says whether the rule holds; it raises States.Runtime when a path it
    compares names nothing. `paths` lists every (pointer inside the rule, path) the rule
    reads, for validation.
    """

    matches: Test
    paths: tuple[tuple[str, str], ...]


def _is_number(value: JSON) -> bool:
    return type(value) is int or type(value) is float  # not bool, though bool is an int


def _number_key(value: JSON) -> object:
    kind = type(value)  # _is_number, inlined: this runs for every numeric comparison
    return value if kind is int or kind is float else None


def _string_key(value: JSON) -> object:
    if type(value) is not str:
        return None
    if value.isascii() or _ASTRAL.search(value) is None:
        return value
    # AWS orders strings by UTF-16 code units (Java's compareTo), not by code points; they
    # differ where a character past U+FFFF meets one in U+E000..U+FFFF. Its surrogate pair
    # sorts as UTF-16 does.
    return _ASTRAL.sub(_surrogate_pair, value)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _surrogate_pair(match: re.Match[str]) -> str:
    offset = ord(match.group()) - 0x10000
    return chr(0xD800 + (offset >> 10)) + chr(0xDC00 + (offset & 0x3FF))


def _boolean_key(value: JSON) -> object:
    return value if type(value) is bool else None


def _timestamp_key(value: JSON) -> object:
    return instant_of(value) if type(value) is str else None  # a non-timestamp string never matches


_FAMILIES: dict[str, tuple[Key, str]] = {  # family -> (comparable form, what its operand must be)
    "String": (_string_key, "a string"),
    "Numeric": (_number_key, "a number"),
    "Boolean": (_boolean_key, "true or false"),
    "Timestamp": (_timestamp_key, "an RFC 3339 timestamp such as 2016-03-14T01:59:00Z"),
}
_RELATIONS: dict[str, Relation] = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "GreaterThan": operator.gt,
    "LessThanEquals": operator.le,
    "GreaterThanEquals": operator.ge,
}
COMPARISONS: dict[str, tuple[Key, Relation, str]] = {
    family + relation: (key, relation_test, wants)
    for family, (key, wants) in _FAMILIES.items()
    for relation, relation_test in _RELATIONS.items()
    if family != "Boolean" or relation == "Equals"  # BooleanEquals is the only Boolean operator
}
"""StringEquals, NumericLessThan, ... -> (key, relation, operand description). Each has a
`...Path` twin whose operand is read at run time; a value of another type never matches."""

TYPE_TESTS: dict[str, Callable[[JSON], bool]] = {
    "IsNull": lambda value: value is None,
    "IsString": lambda value: type(value) is str,
    "IsNumeric": _is_number,
    "IsBoolean": lambda value: type(value) is bool,
    "IsTimestamp": is_timestamp,
}
"""Type tests; each takes true or false, and `"IsString": false` matches every non-string."""

_LOGICAL = ("And", "Or", "Not")
OPERATORS: frozenset[str] = frozenset(
    [
        *COMPARISONS,
        *(name + "Path" for name in COMPARISONS),
        *TYPE_TESTS,
        "IsPresent",
        "StringMatches",
        *_LOGICAL,
    ]
)
_OTHER_FIELDS = frozenset({"Variable", "Next", "Comment", "Assign"})


def compile_rule(rule: Mapping[str, JSON]) -> Rule:
    """Compile one Choices[i] entry (or a nested And/Or/Not member) into a Rule.

    Raises ChoiceRuleError for a malformed rule: no operator, two operators, an operand of
    the wrong type, a missing or stray Variable, an unknown field.
    """
    paths: list[tuple[str, str]] = []
    return Rule(_compile(rule, "", paths), tuple(paths))


def _compile(rule: JSON, at: str, paths: list[tuple[str, str]]) -> Test:
    if not isinstance(rule, Mapping):
        raise ChoiceRuleError("A Choice rule must be an object.", at)
    _check_fields(rule, at)
    names = [name for name in rule if name in OPERATORS]
    if len(names) != 1:
        found = ", ".join(names) if names else "none"
        message = (
            f"A Choice rule needs exactly one operator (e.g. StringEquals, IsPresent, And); found {found}."
        )
        raise ChoiceRuleError(message, at)
    name = names[0]
    operand = rule[name]
    if name in _LOGICAL:
        if "Variable" in rule:
            raise ChoiceRuleError(
                f"Remove Variable: an {name} rule tests its member rules.", f"{at}/Variable"
            )
        return _compile_logical(name, operand, f"{at}/{name}", paths)
    variable = rule.get("Variable", MISSING)
    if variable is MISSING:
        raise ChoiceRuleError(f"Add a Variable: the path of the value {name} tests.", at)
    _check_path(variable, "Variable", f"{at}/Variable", paths)
    return _compile_test(name, variable, operand, f"{at}/{name}", paths)


def _check_fields(rule: Mapping[str, JSON], at: str) -> None:
    for name in rule:
        if name in OPERATORS or name in _OTHER_FIELDS:
            continue
        if name == "Condition":
            hint = 'Condition is JSONata: set "QueryLanguage": "JSONata", or use Variable and an operator.'
            raise ChoiceRuleError(hint, f"{at}/Condition")
        raise ChoiceRuleError(f"Field {name!r} is not supported in a Choice rule.", f"{at}/{_escape(name)}")


def _check_path(path: JSON, field: str, at: str, paths: list[tuple[str, str]]) -> None:
    if type(path) is not str or not path.startswith("$"):
        raise ChoiceRuleError(f"{field} must be a path starting with '$'; got {path!r}.", at)
    paths.append((at, path))


def _compile_logical(name: str, operand: JSON, at: str, paths: list[tuple[str, str]]) -> Test:
    if name == "Not":
        inner = _compile(operand, at, paths)
        return lambda read: not inner(read)
    if type(operand) is not list or not operand:
        raise ChoiceRuleError(f"{name} must be a non-empty array of Choice rules.", at)
    members = tuple(_compile(member, f"{at}/{i}", paths) for i, member in enumerate(operand))
    return _all_of(members) if name == "And" else _any_of(members)


def _all_of(members: tuple[Test, ...]) -> Test:
    def test(read: Reader) -> bool:
        return all(member(read) for member in members)  # stops at the first false member, as AWS does

    return test


def _any_of(members: tuple[Test, ...]) -> Test:
    def test(read: Reader) -> bool:
        return any(member(read) for member in members)

    return test


def _compile_test(name: str, variable: str, operand: JSON, at: str, paths: list[tuple[str, str]]) -> Test:
    if name == "IsPresent" or name in TYPE_TESTS:
        if type(operand) is not bool:
            raise ChoiceRuleError(f"{name} takes true or false; got {operand!r}.", at)
        if name == "IsPresent":
            return lambda read: (read(variable) is not MISSING) is operand
        return _type_test(TYPE_TESTS[name], variable, operand)
    if name == "StringMatches":
        if type(operand) is not str:
            raise ChoiceRuleError(f"StringMatches takes a string pattern; got {operand!r}.", at)
        return _string_matches(_wildcard(operand), variable)
    if name in COMPARISONS:
        key, relation, wants = COMPARISONS[name]
        operand_key = key(operand)
        if operand_key is None:
            raise ChoiceRuleError(f"{name} takes {wants}; got {operand!r}.", at)
        return _compare_literal(key, relation, variable, operand_key)
    key, relation, _ = COMPARISONS[name.removesuffix("Path")]
    _check_path(operand, name, at, paths)
    return _compare_paths(key, relation, variable, operand)


def _type_test(accepts: Callable[[JSON], bool], variable: str, expected: bool) -> Test:
    def test(read: Reader) -> bool:
        return accepts(_value_at(read, variable)) is expected

    return test


def _compare_literal(key: Key, relation: Relation, variable: str, operand: object) -> Test:
    def test(read: Reader) -> bool:
        value = read(variable)
        if value is MISSING:
            raise _invalid_path(variable)
        value_key = key(value)
        return value_key is not None and relation(value_key, operand)

    return test


def _compare_paths(key: Key, relation: Relation, variable: str, other: str) -> Test:
    def test(read: Reader) -> bool:
        value_key = key(_value_at(read, variable))
        operand_key = key(_value_at(read, other))
        return value_key is not None and operand_key is not None and relation(value_key, operand_key)

    return test


def _string_matches(pattern: re.Pattern[str], variable: str) -> Test:
    def test(read: Reader) -> bool:
        value = _value_at(read, variable)
        return type(value) is str and pattern.fullmatch(value) is not None

    return test


def _wildcard(pattern: str) -> re.Pattern[str]:
    """StringMatches' pattern as a regex: `*` is any run of characters; `\\*` a literal star,
    `\\\\` a literal backslash. No other character is special."""
    parts: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if char == "*":
            parts.append(".*")
        elif char == "\\":
            parts.append(re.escape(next(chars, "\\")))  # the escaped character, or a trailing backslash
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def _value_at(read: Reader, path: str) -> JSON:
    value = read(path)
    if value is MISSING:
        raise _invalid_path(path)
    return value


def _invalid_path(path: str) -> StatesRuntime:
    # AWS's wording; the Choice state prefixes "An error occurred while executing the state ...".
    return StatesRuntime(
        f"Invalid path '{path}': The choice state's condition path references an invalid value."
    )


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
