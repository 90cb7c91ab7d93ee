"""Transitions: every StartAt, Next, Default and Catch target names a state in its own scope;
every state is reachable; every scope can end.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from engine.definition.diagnostics import Code, Diagnostic, error, join, quote, warning
from engine.definition.validate.schema import STATE_TYPES
from engine.definition.validate.scopes import Definition, Scope, State
from engine.json import JSON

MAX_LISTED = 12  # state names a message lists before it says "..."


def outgoing(state: State) -> list[tuple[str, str]]:
    """(target, pointer) for each transition the state declares: Next, Choices, Default, Catch."""
    found: list[tuple[str, str]] = []
    node = state.node
    if isinstance(node.get("Next"), str) and state.type not in ("Choice", "Succeed", "Fail"):
        found.append((node["Next"], state.at("Next")))
    if state.type == "Choice":
        for index, rule in enumerate(_list(node.get("Choices"))):
            if isinstance(rule, dict) and isinstance(rule.get("Next"), str):
                found.append((rule["Next"], state.at("Choices", index, "Next")))
        if isinstance(node.get("Default"), str):
            found.append((node["Default"], state.at("Default")))
    if state.type in ("Task", "Parallel", "Map"):
        for index, catcher in enumerate(_list(node.get("Catch"))):
            if isinstance(catcher, dict) and isinstance(catcher.get("Next"), str):
                found.append((catcher["Next"], state.at("Catch", index, "Next")))
    return found


def _list(value: JSON) -> list[JSON]:
    return value if isinstance(value, list) else []


def _names(scope: Scope) -> str:
    names = list(scope.states)
    listed = ", ".join(names[:MAX_LISTED])
    return listed + (", ..." if len(names) > MAX_LISTED else "")


def targets(definition: Definition) -> Iterator[Diagnostic]:
    """StartAt and every transition name a state of the same scope."""
    elsewhere = {name: scope for scope in definition.scopes for name in scope.states}
    for scope in definition.scopes:
        start = scope.node.get("StartAt")
        if isinstance(start, str) and start != "" and scope.states and start not in scope.states:
            message = f"StartAt names {quote(start)}, which is not a state here. Use one of: {_names(scope)}."
            yield error(Code.MISSING_TRANSITION_TARGET, message, join(scope.location, "StartAt"))
    for state in definition.states:
        for target, location in outgoing(state):
            if target in state.scope.states:
                continue
            message = f"{quote(state.name)} goes to {quote(target)}, which is not a state here."
            message += f" Use one of: {_names(state.scope)}."
            if target in elsewhere:
                message += " A state can only go to states of its own branch or Map processor."
            yield error(Code.MISSING_TRANSITION_TARGET, message, location)


def reachability(definition: Definition) -> Iterator[Diagnostic]:
    """Unreachable states, scopes without a terminal state, and states that can never end."""
    by_scope: dict[str, list[State]] = {}
    for state in definition.states:
        by_scope.setdefault(state.scope.location, []).append(state)
    for scope in definition.scopes:
        yield from _scope_reachability(scope, by_scope.get(scope.location, []))


def _scope_reachability(scope: Scope, states: list[State]) -> Iterator[Diagnostic]:
    start = scope.node.get("StartAt")
    names = scope.states
    if not isinstance(start, str) or start not in names:
        return  # reported already; nothing sensible can be said about reachability
    edges = {state.name: _edges(state) for state in states}
    # A state whose shape is broken (not an object, unknown Type, a missing target) may end for all
    # we know: counting it as terminal keeps one mistake from raising a cascade of diagnostics.
    ends = {name for name in names if _may_end(names[name], edges.get(name, []), names)}
    reached = _closure([start], edges)
    for name in names:
        if name not in reached:
            message = (
                f"The state {quote(name)} is not reachable: no StartAt, Next, Default or Catch leads to it."
            )
            yield error(
                Code.MISSING_TRANSITION_TARGET,
                message + " Connect it or remove it.",
                scope.state_location(name),
            )
    if not ends:
        message = 'No state here ends the execution. Add a Succeed or Fail state, or set "End": true on one.'
        yield error(Code.MISSING_END_STATE, message, join(scope.location, "States"))
        return
    reversed_edges: dict[str, list[str]] = {}
    for source, targets_of in edges.items():
        for target in targets_of:
            reversed_edges.setdefault(target, []).append(source)
    can_end = _closure(list(ends), reversed_edges)
    for name in names:
        if name in reached and name not in can_end:
            message = (
                f"No path from {quote(name)} leads to an end: the execution would loop until it is stopped."
            )
            yield warning(
                Code.NO_TERMINAL_PATH,
                message + " Add a way out (a Choice or Catch).",
                scope.state_location(name),
            )


def _edges(state: State) -> list[str]:
    found = [target for target, _ in outgoing(state)]
    # A misplaced Next (on a Choice, Succeed or Fail) is reported as such; it still shows which
    # state its author meant to reach, so that state is not also called unreachable.
    if state.type in ("Choice", "Succeed", "Fail") and isinstance(state.node.get("Next"), str):
        found.append(state.node["Next"])
    return found


def _may_end(node: JSON, targets_of: list[str], names: dict[str, JSON]) -> bool:
    if not isinstance(node, dict) or node.get("Type") not in STATE_TYPES:
        return True
    if node.get("Type") in ("Succeed", "Fail") or node.get("End") is True:
        return True
    # No transition at all is a broken state too (already reported), as is one to a missing state.
    return not targets_of or any(target not in names for target in targets_of)


def _closure(start: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(start)
    pending = deque(start)
    while pending:
        for target in edges.get(pending.popleft(), []):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen
