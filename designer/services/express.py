"""Express executions: run in memory and answer synchronously (StartSyncExecution). Nothing is stored."""

from __future__ import annotations

import time
import uuid
from typing import Any

from designer import functions
from designer.models import MachineType, StateMachine, Version, arn_prefix
from designer.services import integrations, machines
from designer.services.errors import ServiceError
from designer.services.state_machines import check_name
from engine.clock import SystemClock
from engine.integrations import standard
from engine.json import JSON
from engine.runtime.memory import MemoryRunner


def start_sync(
    state_machine: StateMachine, input: JSON, *, name: str | None = None, version: Version | None = None
) -> dict[str, Any]:
    """Run an Express execution to its end and describe it as StartSyncExecution does."""
    if state_machine.type != MachineType.EXPRESS:
        raise ServiceError(
            "StateMachineTypeNotSupported", "A Standard state machine runs durably (StartExecution)."
        )
    definition = version.definition if version is not None else state_machine.definition
    machine = machines.compiled(definition, MachineType.EXPRESS)  # validation refused .sync and callbacks
    name = name if name is not None else str(uuid.uuid4())
    check_name(name, "execution")
    machine_arn = version.arn if version is not None else state_machine.arn
    arn = f"{arn_prefix(state_machine.owner_id)}:express:{state_machine.name}:{name}:{uuid.uuid4()}"
    runner = MemoryRunner(
        machine,
        standard(functions=functions.registry, http=integrations.http()),
        SystemClock(),
        record_history=False,
    )
    started = time.time()
    result = runner.run(
        input,
        execution_arn=arn,
        state_machine_arn=machine_arn,
        name=name,
        machine_type="EXPRESS",
        synchronous=True,
    )
    described: dict[str, Any] = {
        "executionArn": arn,
        "stateMachineArn": machine_arn,
        "name": name,
        "startDate": started,
        "stopDate": time.time(),
        "status": result.status,
        "input": input,
    }
    if result.status == "SUCCEEDED":
        described["output"] = result.output
    else:
        described.update(error=result.error, cause=result.cause)
    return described
