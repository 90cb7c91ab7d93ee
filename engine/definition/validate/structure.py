"""Structure: StartAt and States in every scope, state names, Type, which fields a state has.

What a field holds is fields.py's business; here only whether it belongs where it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from difflib import get_close_matches

from engine.definition.diagnostics import Code, Diagnostic, error, join, quote, schema_error
from engine.definition.validate.expressions import describe
from engine.definition.validate.schema import (
    AT_MOST_ONE,
    FLOW_TYPES,
    INSTEAD,
    OBJECT_FIELDS,
    ONE_OF,
    REQUIRED,
    STATE_FIELDS,
    STATE_TYPES,
    Languages,
)
from engine.definition.validate.scopes import JSONATA, JSONPATH, QUERY_LANGUAGES, Definition, Scope, State
from engine.json import JSON

MAX_STATE_NAME = 80  # characters, as AWS allows
_SCOPE_NAMES = {
    "machine": "the state machine",
    "branch": "a Parallel branch",
    "processor": "a Map ItemProcessor",
}


def unknown_fields(
    node: Mapping[str, JSON], location: str, allowed: Mapping[str, Languages], language: str, owner: str
) -> Iterator[Diagnostic]:
    """Fields of `node` that `allowed` does not list, or lists for the other query language only."""
    usable = [key for key, languages in allowed.items() if language in languages]
    for key in node:
        languages = allowed.get(key)
        if languages is None:
            close = get_close_matches(key, usable, n=1, cutoff=0.8)
            hint = f" (did you mean {close[0]!r}?)" if close else f". Supported fields: {', '.join(usable)}"
            message = f"The field {quote(key)} is not supported in {owner}. Remove it{hint}."
            yield schema_error(message, join(location, key))
        elif language not in languages:
            other = JSONATA if language == JSONPATH else JSONPATH
            instead = f" Use {INSTEAD[key]} instead." if key in INSTEAD else ""
            message = f"The field {quote(key)} is for {other} only, and {owner} uses {language}.{instead}"
            yield schema_error(message, join(location, key))


def document_shape(definition: Definition) -> Iterator[Diagnostic]:
    """The definition is an object; every scope has a StartAt and a non-empty States object."""
    if definition.document is None:
        message = "The definition is null. Write a JSON object with StartAt and States."
        yield error(Code.MISSING_DESCRIPTION, message, "")
        return
    if definition.root is None:
        message = "A state machine definition is a JSON object with StartAt and States"
        yield schema_error(f"{message}, not {describe(definition.document)}.", "")
        return
    for scope in definition.scopes:
        yield from _scope_shape(scope)


def _scope_shape(scope: Scope) -> Iterator[Diagnostic]:
    owner = _SCOPE_NAMES[scope.kind]
    fields = OBJECT_FIELDS[scope.kind]
    yield from unknown_fields(scope.node, scope.location, fields, scope.query_language, owner)
    missing = [name for name in ("StartAt", "States") if name not in scope.node]
    if missing:
        message = f"These fields are required: [{', '.join(missing)}]. Add them to {owner}."
        yield schema_error(message, scope.location)
    states = scope.node.get("States")
    if "States" in scope.node and not isinstance(states, dict):
        message = f"States must be an object of named states, not {describe(states)}."
        yield schema_error(message, join(scope.location, "States"))
    elif isinstance(states, dict) and not states:
        yield schema_error(
            f"States is empty. Add at least one state to {owner}.", join(scope.location, "States")
        )
    start = scope.node.get("StartAt")
    if "StartAt" in scope.node and (not isinstance(start, str) or start == ""):
        message = f"StartAt must be the name of the first state, not {describe(start)}."
        yield schema_error(message, join(scope.location, "StartAt"))


def state_names(definition: Definition) -> Iterator[Diagnostic]:
    """Names are 1 to 80 characters and unique in the whole machine, nested scopes included."""
    first_seen: dict[str, str] = {}
    for scope in definition.scopes:
        for name in scope.states:
            location = scope.state_location(name)
            if not 0 < len(name) <= MAX_STATE_NAME:
                message = f"A state name has 1 to {MAX_STATE_NAME} characters, not {len(name)}. Rename it."
                yield error(Code.INVALID_STATE_NAME, message, location)
            if name in first_seen:
                message = (
                    f"The state name {quote(name)} is already used at {quote(first_seen[name])}. Names are"
                    " unique in the whole state machine, Parallel branches and Map processors included."
                    " Rename one."
                )
                yield error(Code.DUPLICATE_STATE_NAME, message, location)
            else:
                first_seen[name] = location


def state_shapes(definition: Definition) -> Iterator[Diagnostic]:
    """Every state is an object with a known Type and only the fields that Type takes."""
    for scope in definition.scopes:
        for name, node in scope.states.items():
            if not isinstance(node, dict):
                message = f"The state {quote(name)} must be an object with a Type, not {describe(node)}."
                yield schema_error(message, scope.state_location(name))
    for state in definition.states:
        if "Type" not in state.node:
            message = f"The field 'Type' is required but was missing. Use one of: {', '.join(STATE_TYPES)}."
            yield schema_error(message, state.location)
        elif state.type not in STATE_TYPES:
            message = f"{quote(state.type)} is not a state type. Use one of: {', '.join(STATE_TYPES)}."
            yield schema_error(message, state.at("Type"))
        else:
            yield from _state_fields(state, str(state.type))


def _state_fields(state: State, kind: str) -> Iterator[Diagnostic]:
    node = state.node
    special = () if kind in FLOW_TYPES else ("Next", "End")
    for key in special:
        if key in node:
            ending = "chooses its next state in Choices and Default" if kind == "Choice" else "ends its scope"
            yield schema_error(f"A {kind} state {ending}: remove {quote(key)}.", state.at(key))
    rest = {key: value for key, value in node.items() if key not in special}
    yield from unknown_fields(
        rest, state.location, STATE_FIELDS[kind], state.query_language, f"a {kind} state"
    )
    for key in REQUIRED.get(kind, ()):
        if key not in node:
            message = f"The field {quote(key)} is required but was missing. Add it to this {kind} state."
            yield schema_error(message, state.location)
    usable = [key for key in node if state.query_language in STATE_FIELDS[kind].get(key, frozenset())]
    yield from _one_of(state, kind, usable)
    for group in AT_MOST_ONE.get(kind, ()):
        yield from _at_most_one(group, usable, state.location)
    if kind in FLOW_TYPES:
        yield from _next_or_end(state)


def _one_of(state: State, kind: str, usable: list[str]) -> Iterator[Diagnostic]:
    group = ONE_OF.get(kind)
    if group is None:
        return
    options = [key for key in group if state.query_language in STATE_FIELDS[kind][key]]
    present = [key for key in options if key in usable]
    if not present and len(options) == 1:
        message = f"The field {quote(options[0])} is required but was missing. Add it to this {kind} state."
        yield schema_error(message, state.location)
    elif not present:
        yield schema_error(f"A {kind} state needs one of: {', '.join(options)}. Add one.", state.location)
    for extra in present[1:]:
        message = f"A {kind} state takes one of {', '.join(options)}, and it has {quote(present[0])}."
        message += f" Remove {quote(extra)}."
        yield schema_error(message, state.at(extra))


def _at_most_one(group: tuple[str, ...], present: list[str], location: str) -> Iterator[Diagnostic]:
    found = [key for key in group if key in present]
    for extra in found[1:]:
        message = f"Use either {quote(found[0])} or {quote(extra)}, not both. Remove one of them."
        yield schema_error(message, join(location, extra))


def _next_or_end(state: State) -> Iterator[Diagnostic]:
    has_next, end = "Next" in state.node, state.node.get("End")
    if has_next and "End" in state.node:
        yield schema_error("A state has either Next or End, not both. Remove one of them.", state.at("End"))
    elif not has_next and "End" not in state.node:
        message = f'The state {quote(state.name)} needs a Next state or "End": true. Add one of them.'
        yield schema_error(message, state.location)
    elif not has_next and end is False:
        yield schema_error('"End": false needs a Next state. Add Next, or set "End": true.', state.at("End"))


def query_languages(definition: Definition) -> Iterator[Diagnostic]:
    """QueryLanguage is JSONPath or JSONata; a JSONata machine has no JSONPath states."""
    root = definition.root
    if root is None:
        return
    if "QueryLanguage" in root and root["QueryLanguage"] not in QUERY_LANGUAGES:
        yield _bad_language(root["QueryLanguage"], "/QueryLanguage")
    for state in definition.states:
        if "QueryLanguage" not in state.node:
            continue
        value = state.node["QueryLanguage"]
        if value not in QUERY_LANGUAGES:
            yield _bad_language(value, state.at("QueryLanguage"))
        elif value == JSONPATH and definition.query_language == JSONATA:
            message = (
                "The state machine's QueryLanguage is JSONata, so no state can use JSONPath. Convert this"
                " state to JSONata, or set the top-level QueryLanguage to JSONPath."
            )
            yield schema_error(message, state.at("QueryLanguage"))


def _bad_language(value: JSON, location: str) -> Diagnostic:
    return schema_error(f"QueryLanguage must be 'JSONPath' or 'JSONata', not {quote(value)}.", location)
