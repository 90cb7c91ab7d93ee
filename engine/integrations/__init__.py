"""Task integrations: small adapters behind one interface, tried in order.

The stepper never imports this package. A runner builds an `Integrations` registry and
carries out each InvokeTask effect with `integrations.invoke(call)`; the outcome is
`succeeded`, `failed` (both become the next happening: `outcome.to_happening(task_id)`) or
`pending` (the result arrives later: a callback, an activity worker, a child execution).
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.errors import ErrorName
from engine.integrations.activities import ActivityIntegration, ActivityQueue
from engine.integrations.address_policy import AddressPolicy
from engine.integrations.base import Integration, Selective, TaskOutcome
from engine.integrations.callbacks import (
    CallbackError,
    CallbackIntegration,
    CallbackRegistry,
    hash_token,
    new_token,
)
from engine.integrations.connections import (
    ApiKeyAuth,
    BasicAuth,
    Connection,
    Connections,
    OAuthClientCredentials,
)
from engine.integrations.executions import (
    ChildRequest,
    ChildResult,
    ChildStarted,
    ChildStartRefused,
    ExecutionIntegration,
    StartChild,
    describe_child_result,
)
from engine.integrations.functions import FunctionContext, FunctionRegistry
from engine.integrations.http import HttpIntegration
from engine.integrations.mocks import MockConfig, MockConfigError, MockIntegration, MockTestCase
from engine.integrations.resources import Resource, parse_resource
from engine.integrations.storage import ObjectStore, StorageIntegration
from engine.runtime.effects import InvokeTask

__all__ = [
    "ActivityIntegration",
    "ActivityQueue",
    "AddressPolicy",
    "ApiKeyAuth",
    "BasicAuth",
    "CallbackError",
    "CallbackIntegration",
    "CallbackRegistry",
    "ChildRequest",
    "ChildResult",
    "ChildStartRefused",
    "ChildStarted",
    "Connection",
    "Connections",
    "ExecutionIntegration",
    "FunctionContext",
    "FunctionRegistry",
    "HttpIntegration",
    "Integration",
    "Integrations",
    "MockConfig",
    "MockConfigError",
    "MockIntegration",
    "MockTestCase",
    "OAuthClientCredentials",
    "Resource",
    "StartChild",
    "TaskOutcome",
    "describe_child_result",
    "hash_token",
    "new_token",
    "parse_resource",
    "standard",
]


class Integrations:
    """The registry: the first adapter that handles a call's resource carries it out."""

    def __init__(self, adapters: Sequence[Integration]) -> None:
        self.adapters = tuple(adapters)

    def adapter_for(self, call: InvokeTask) -> Integration | None:
        for adapter in self.adapters:
            if not adapter.handles(call.resource):
                continue
            if isinstance(adapter, Selective) and not adapter.claims(call):
                continue
            return adapter
        return None

    def invoke(self, call: InvokeTask) -> TaskOutcome:
        """Carry out `call`. Never raises: whatever goes wrong is a failed outcome."""
        adapter = self.adapter_for(call)
        if adapter is None:
            # On AWS an unknown resource never gets this far (CreateStateMachine refuses it);
            # here it means nothing was registered for it, which no Catch should paper over.
            cause = (
                f"No integration handles the resource {call.resource!r} of state {call.state_name!r}. "
                "Register a function, connection or other adapter for it, or a mocked response "
                "for the state."
            )
            return TaskOutcome.failed(ErrorName.RUNTIME, cause)
        try:
            return adapter.invoke(call)
        except Exception as error:  # an adapter's bug must not take the runner down with it
            name = type(adapter).__name__
            cause = f"The {name} failed on state {call.state_name!r}: {type(error).__name__}: {error}"
            return TaskOutcome.failed(ErrorName.RUNTIME, cause)


def standard(
    *,
    functions: FunctionRegistry | None = None,
    http: HttpIntegration | None = None,
    activities: ActivityQueue | None = None,
    start_child: StartChild | None = None,
    mocks: MockTestCase | None = None,
    storage: ObjectStore | None = None,
) -> Integrations:
    """The usual registry, in the order that matters: mocks first, callbacks last."""
    adapters: list[Integration] = []
    if mocks is not None:
        adapters.append(MockIntegration(mocks))
    if functions is not None:
        adapters.append(functions)
    if start_child is not None:
        adapters.append(ExecutionIntegration(start_child))
    if http is not None:
        adapters.append(http)
    if activities is not None:
        adapters.append(ActivityIntegration(activities))
    if storage is not None:
        adapters.append(StorageIntegration(storage))
    adapters.append(CallbackIntegration(functions))
    return Integrations(adapters)
