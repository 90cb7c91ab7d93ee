"""The scopes of a raw definition (top level, Parallel branches, Map processors) and their states.

Found with an explicit stack, never recursion, so any nesting the document bounds allow is
walked safely. Everything here copes with garbage: a scope whose States is not an object has
no states, a state that is not an object is left to the structure rules to report.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from engine.definition.diagnostics import join
from engine.json import JSON

JSONPATH = "JSONPath"
JSONATA = "JSONata"
QUERY_LANGUAGES = (JSONPATH, JSONATA)


@dataclass(frozen=True)
class Scope:
    """An object with StartAt and States: the definition itself, a branch or an item processor."""

    location: str  # "" for the definition, "/States/P/Branches/0", "/States/M/ItemProcessor"
    node: dict[str, JSON]
    kind: str  # "machine", "branch" or "processor"
    query_language: str  # for its states that do not say
    express: bool = False  # its states run in an Express execution (the machine, or a Map's children)

    @property
    def states(self) -> dict[str, JSON]:
        states = self.node.get("States")
        return states if isinstance(states, dict) else {}

    def state_location(self, name: str) -> str:
        return join(self.location, "States", name)


@dataclass(frozen=True)
class State:
    """A state that is a JSON object, with the scope it sits in and its effective query language."""

    name: str
    node: dict[str, JSON]
    location: str
    scope: Scope
    query_language: str

    @property
    def type(self) -> JSON:
        return self.node.get("Type")

    @property
    def jsonata(self) -> bool:
        return self.query_language == JSONATA

    def at(self, *parts: str | int) -> str:
        return join(self.location, *parts)


@dataclass(frozen=True)
class Definition:
    """What every rule receives: the raw document and its scopes and states, walked once."""

    document: JSON
    machine_type: str  # "STANDARD" or "EXPRESS"
    scopes: list[Scope] = field(default_factory=list)
    states: list[State] = field(default_factory=list)

    @property
    def root(self) -> dict[str, JSON] | None:
        return self.document if isinstance(self.document, dict) else None

    @property
    def query_language(self) -> str:
        return _language(self.root.get("QueryLanguage") if self.root is not None else None, JSONPATH)

    @property
    def express(self) -> bool:
        return self.machine_type == "EXPRESS"


def walk(document: JSON, machine_type: str) -> Definition:
    definition = Definition(document, "EXPRESS" if str(machine_type).upper() == "EXPRESS" else "STANDARD")
    if definition.root is None:
        return definition
    default = definition.query_language
    pending = deque([Scope("", definition.root, "machine", default, definition.express)])
    while pending:
        scope = pending.popleft()  # breadth first: outer scopes before inner ones
        definition.scopes.append(scope)
        for name, node in scope.states.items():
            if not isinstance(node, dict):
                continue
            state = State(
                name, node, scope.state_location(name), scope, _language(node.get("QueryLanguage"), default)
            )
            definition.states.append(state)
            pending.extend(inner_scopes(state, default, scope.express))
    return definition


def inner_scopes(state: State, query_language: str, express: bool) -> list[Scope]:
    """The branches of a Parallel state, the processor of a Map state (ItemProcessor or Iterator)."""
    found: list[Scope] = []
    if state.type == "Parallel" and isinstance(branches := state.node.get("Branches"), list):
        for index, branch in enumerate(branches):
            if isinstance(branch, dict):
                found.append(Scope(state.at("Branches", index), branch, "branch", query_language, express))
    if state.type == "Map":
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(processor := state.node.get(key), dict):
                inner = express or _runs_express_children(processor)
                found.append(Scope(state.at(key), processor, "processor", query_language, inner))
    return found


def _runs_express_children(processor: dict[str, JSON]) -> bool:
    config = processor.get("ProcessorConfig")
    return (
        isinstance(config, dict)
        and config.get("Mode") == "DISTRIBUTED"
        and config.get("ExecutionType") == "EXPRESS"
    )


def _language(value: JSON, default: str) -> str:
    # Nested states inherit the top level's language, not their parent state's (as AWS does).
    return value if isinstance(value, str) and value in QUERY_LANGUAGES else default
