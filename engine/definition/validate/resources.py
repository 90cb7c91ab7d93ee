"""Task resources: a Lambda function ARN, an activity ARN, or arn:aws:states:::service:action.

Optimized integrations are checked against the actions and patterns AWS offers, for the
services listed here; a service not listed is let through (AWS adds them often, and refusing
a valid definition is worse than missing an invalid one).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from engine.definition.diagnostics import Code, Diagnostic, error, quote, schema_error
from engine.definition.validate.expressions import is_expression
from engine.definition.validate.scopes import Definition

_R, _S, _S2, _W = "", ".sync", ".sync:2", ".waitForTaskToken"
PATTERNS = (_S2, _S, _W)  # ".sync:2" before ".sync", which it ends with too

INTEGRATIONS: dict[str, dict[str, frozenset[str]]] = {
    "lambda": {"invoke": frozenset({_R, _W})},
    "dynamodb": {action: frozenset({_R}) for action in ("getItem", "putItem", "updateItem", "deleteItem")},
    "sns": {"publish": frozenset({_R, _W})},
    "sqs": {"sendMessage": frozenset({_R, _W})},
    "states": {"startExecution": frozenset({_R, _S, _S2, _W})},
    "events": {"putEvents": frozenset({_R, _W})},
    "apigateway": {"invoke": frozenset({_R, _W})},
    "http": {"invoke": frozenset({_R})},
    "batch": {"submitJob": frozenset({_R, _S})},
    "ecs": {"runTask": frozenset({_R, _S, _W})},
    "glue": {"startJobRun": frozenset({_R, _S})},
}
"""Optimized integrations: service -> action -> the integration patterns it supports."""


@dataclass(frozen=True)
class Arn:
    """A Task resource taken apart. `kind` is "function", "activity", "integration", "sdk" or "other"."""

    text: str
    kind: str
    service: str = ""
    action: str = ""
    pattern: str = ""


def parse_arn(text: str) -> Arn | None:
    """The parts of `text`, or None when it is not an ARN at all."""
    parts = text.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn" or parts[1] == "":
        return None
    _, _, vendor, region, account, rest = parts
    if vendor == "lambda" and rest.startswith("function:") and rest != "function:":
        return Arn(text, "function", "lambda", "invoke")
    if vendor != "states":
        return Arn(text, "other")
    if rest.startswith("activity:") and region and account and rest != "activity:":
        return Arn(text, "activity")
    if region or account:
        return Arn(text, "other")
    pattern = next((suffix for suffix in PATTERNS if rest.endswith(suffix)), _R)
    action = rest.removesuffix(pattern) if pattern else rest
    if action.startswith("aws-sdk:"):
        service, _, api = action.removeprefix("aws-sdk:").partition(":")
        return Arn(text, "sdk" if service and api else "other", service, api, pattern)
    service, _, api = action.partition(":")
    return Arn(text, "integration" if service and api else "other", service, api, pattern)


def task_resources(definition: Definition) -> Iterator[Diagnostic]:
    for state in definition.states:
        resource = state.node.get("Resource")
        if (
            state.type != "Task"
            or not isinstance(resource, str)
            or (state.jsonata and is_expression(resource))
        ):
            continue
        yield from resource_problems(resource, state.at("Resource"))


def resource_problems(resource: str, location: str) -> Iterator[Diagnostic]:
    arn = parse_arn(resource)
    if arn is None or arn.kind == "other":
        message = (
            f"{quote(resource)} is not a Task resource. Use a Lambda function ARN"
            " (arn:aws:lambda:REGION:ACCOUNT:function:NAME), an activity ARN, or an integration such as"
            " arn:aws:states:::lambda:invoke."
        )
        yield error(Code.INVALID_RESOURCE, message, location)
    elif arn.kind == "sdk" and arn.pattern in (_S, _S2):
        message = (
            f"AWS SDK integrations do not support {quote(arn.pattern)}. Remove it, or use .waitForTaskToken."
        )
        yield schema_error(message, location)
    elif arn.kind == "integration" and arn.service in INTEGRATIONS:
        yield from _integration_problems(arn, location)


def _integration_problems(arn: Arn, location: str) -> Iterator[Diagnostic]:
    actions = INTEGRATIONS[arn.service]
    patterns = actions.get(arn.action)
    if patterns is None:
        known = ", ".join(actions)
        message = (
            f"The resource provided {arn.text} is not recognized: {arn.service} has no optimized"
            f" integration {quote(arn.action)}. Use one of {known}, or the AWS SDK integration"
            f" arn:aws:states:::aws-sdk:{arn.service}:{arn.action}."
        )
        yield schema_error(message, location)
    elif arn.pattern not in patterns:
        supported = ", ".join(repr(p) for p in sorted(patterns) if p) or "none"
        message = (
            f"{arn.service}:{arn.action} does not support {quote(arn.pattern)} (it supports: {supported})."
        )
        yield schema_error(message, location)
