"""Choice rules: JSONPath rules (Variable and one operator, And / Or / Not) and JSONata rules
(Condition). Only a top-level rule has Next and Assign.

JSONPath rules are compiled with engine.choice_rules, the code that runs them, so a rule that
validates is a rule that runs; its paths are then checked with the engine's path parser.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.choice_rules import OPERATORS, ChoiceRuleError, compile_rule
from engine.definition.diagnostics import Diagnostic, join, quote, schema_error
from engine.definition.validate import values as v
from engine.definition.validate.expressions import path_value
from engine.definition.validate.fields import check_fields
from engine.definition.validate.schema import OBJECT_FIELDS
from engine.definition.validate.scopes import Definition, State
from engine.definition.validate.structure import unknown_fields
from engine.json import JSON

_RULE_CHECKS: dict[str, v.Check] = {
    "Next": v.name,
    "Comment": v.text,
    "Assign": v.assign,
    "Condition": v.condition,
    "Output": v.jsonata_value,
}
_TOP_LEVEL_ONLY = ("Next", "Assign")


def choice_rules(definition: Definition) -> Iterator[Diagnostic]:
    for state in definition.states:
        choices = state.node.get("Choices")
        if state.type != "Choice" or not isinstance(choices, list):
            continue
        for index, rule in enumerate(choices):
            location = state.at("Choices", index)
            if not isinstance(rule, dict):
                yield schema_error("A Choice rule must be an object with a test and Next.", location)
                continue
            if "Next" not in rule:
                yield schema_error(
                    "The field 'Next' is required but was missing: where to go when this rule matches.",
                    location,
                )
            if state.jsonata:
                yield from _jsonata_rule(rule, location, state)
            else:
                yield from _jsonpath_rule(rule, location, state)


def _jsonata_rule(rule: dict[str, JSON], location: str, state: State) -> Iterator[Diagnostic]:
    fields = OBJECT_FIELDS["JSONataRule"]
    for key in rule:
        if key == "Variable" or key in OPERATORS:
            message = (
                f'JSONata Choice rules test a Condition: use "Condition": "{{% ... %}}", not {quote(key)}.'
            )
            yield schema_error(message, join(location, key))
    others = {key: value for key, value in rule.items() if key != "Variable" and key not in OPERATORS}
    yield from unknown_fields(others, location, fields, state.query_language, "a JSONata Choice rule")
    if "Condition" not in rule:
        yield schema_error("The field 'Condition' is required but was missing: a {% %} expression.", location)
    yield from check_fields(rule, location, _RULE_CHECKS, state, fields)


def _jsonpath_rule(rule: dict[str, JSON], location: str, state: State) -> Iterator[Diagnostic]:
    if "Output" in rule:
        message = 'The field \'Output\' is for JSONata only. Set "QueryLanguage": "JSONata" to use it.'
        yield schema_error(message, join(location, "Output"))
    yield from check_fields(rule, location, _RULE_CHECKS, state, OBJECT_FIELDS["JSONPathRule"])
    yield from _nested_extras(rule, location)
    test = {key: value for key, value in rule.items() if key != "Output"}
    try:
        compiled = compile_rule(test)
    except ChoiceRuleError as exc:
        yield schema_error(exc.message, location + exc.pointer)
        return
    except Exception as exc:  # the compiler is someone else's code: report, never crash
        yield schema_error(f"This Choice rule could not be read ({type(exc).__name__}).", location)
        return
    for at, path in compiled.paths:
        field = at.rsplit("/", 1)[-1]
        yield from path_value(path, field, location + at)


def _nested_extras(rule: dict[str, JSON], location: str) -> Iterator[Diagnostic]:
    """Next and Assign belong to top-level rules only; find them in nested ones without recursion."""
    stack: list[tuple[JSON, str]] = list(_members(rule, location))
    while stack:
        member, at = stack.pop()
        if not isinstance(member, dict):
            continue
        for key in _TOP_LEVEL_ONLY:
            if key in member:
                message = f"Only top-level Choice rules have {quote(key)}; remove it from this nested rule."
                yield schema_error(message, join(at, key))
        stack.extend(_members(member, at))


def _members(rule: dict[str, JSON], location: str) -> Iterator[tuple[JSON, str]]:
    for key in ("And", "Or"):
        if isinstance(members := rule.get(key), list):
            yield from ((member, join(location, key, i)) for i, member in enumerate(members))
    if "Not" in rule:
        yield rule["Not"], join(location, "Not")
