"""What Express executions refuse: .sync and .waitForTaskToken integrations, and activities.

This holds for an EXPRESS state machine and for the item processor of a DISTRIBUTED Map that
runs its children as EXPRESS executions, however deep.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.definition.diagnostics import Diagnostic, schema_error
from engine.definition.validate.expressions import is_expression
from engine.definition.validate.resources import parse_arn
from engine.definition.validate.scopes import Definition, State


def express_limits(definition: Definition) -> Iterator[Diagnostic]:
    for state in definition.states:
        resource = state.node.get("Resource")
        if state.type != "Task" or not state.scope.express or not isinstance(resource, str):
            continue
        if state.jsonata and is_expression(resource):
            continue
        arn = parse_arn(resource)
        if arn is None:
            continue  # not an ARN: task_resources says so
        where = _where(state, definition)
        if arn.kind == "activity":
            message = f"Express state machine does not support activities. {where}, or use a Lambda function."
            yield schema_error(message, state.at("Resource"))
        elif arn.pattern:
            suggestion = resource.removesuffix(arn.pattern)
            message = (
                f"Express state machine does not support {arn.pattern.removesuffix(':2')!r} service"
                f" integration. {where}, or call {suggestion} and do not wait."
            )
            yield schema_error(message, state.at("Resource"))


def _where(state: State, definition: Definition) -> str:
    if definition.express:
        return "Use a STANDARD state machine"
    return "Set the enclosing Map's ProcessorConfig ExecutionType to STANDARD"
