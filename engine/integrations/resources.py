"""Task resource ARNs taken apart: which service, which action, which integration pattern."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Pattern = Literal["request-response", "sync", "sync:2", "waitForTaskToken"]
ResourceKind = Literal["service", "sdk", "function", "activity", "unknown"]

_SUFFIXES: tuple[tuple[str, Pattern], ...] = (
    (".sync:2", "sync:2"),  # before ".sync", which it ends with too
    (".sync", "sync"),
    (".waitForTaskToken", "waitForTaskToken"),
)


@dataclass(frozen=True, slots=True)
class Resource:
    """A parsed Task resource.

    - `arn:aws:states:::lambda:invoke.waitForTaskToken`: kind "service", service "lambda",
      action "invoke", pattern "waitForTaskToken".
    - `arn:aws:states:::aws-sdk:s3:getObject`: kind "sdk", service "s3", action "getObject".
    - `arn:aws:lambda:us-east-1:123456789012:function:f:prod`: kind "function",
      service "lambda", name "f", qualifier "prod".
    - `arn:aws:states:us-east-1:123456789012:activity:work`: kind "activity", name "work".
    - anything else: kind "unknown" (no adapter handles it).
    """

    arn: str
    kind: ResourceKind
    service: str = ""
    action: str = ""
    pattern: Pattern = "request-response"
    name: str = ""
    qualifier: str | None = None
    partition: str = "aws"
    region: str = ""
    account: str = ""

    def is_service(self, service: str, action: str) -> bool:
        return self.kind == "service" and self.service == service and self.action == action


def parse_resource(arn: str) -> Resource:
    """Take a Task's Resource apart. Never raises: what it cannot read is kind "unknown"."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    if len(parts) < 6 or parts[0] != "arn":
        return Resource(str(arn), "unknown")
    _, partition, vendor, region, account, rest = parts
    where = Resource(arn, "unknown", partition=partition, region=region, account=account)
    if vendor == "lambda" and rest.startswith("function:"):
        name, _, qualifier = rest.removeprefix("function:").partition(":")
        return replace(
            where, kind="function", service="lambda", action="invoke", name=name, qualifier=qualifier or None
        )
    if vendor != "states":
        return where
    if rest.startswith("activity:"):
        return replace(where, kind="activity", service="states", name=rest.removeprefix("activity:"))
    action, pattern = _split_pattern(rest)
    if action.startswith("aws-sdk:"):
        service, _, api = action.removeprefix("aws-sdk:").partition(":")
        return replace(where, kind="sdk", service=service, action=api, pattern=pattern)
    service, _, api = action.partition(":")
    if not service or not api:
        return where
    return replace(where, kind="service", service=service, action=api, pattern=pattern)


def _split_pattern(action: str) -> tuple[str, Pattern]:
    for suffix, pattern in _SUFFIXES:
        if action.endswith(suffix):
            return action.removesuffix(suffix), pattern
    return action, "request-response"
