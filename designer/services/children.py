"""Nested executions: `states:startExecution` (and `.sync`, `.sync:2`, `.waitForTaskToken`) from a parent."""

from __future__ import annotations

from designer.models import Execution, StateMachine, Version, account_of
from designer.services import executions
from designer.services.errors import ServiceError
from engine.integrations import ChildRequest, ChildResult, ChildStarted, ChildStartRefused


def start_child(parent: Execution, request: ChildRequest) -> ChildStarted:
    """Start the child durably. Idempotent per parent task: a repeated invocation (after a crash)
    finds the child it started before instead of starting another."""
    existing = Execution.objects.filter(parent=parent, parent_task_id=request.task_id).first()
    if existing is not None:
        return ChildStarted(existing.arn, existing.started_at.timestamp())
    state_machine, version = _target(parent, request.state_machine_arn)
    try:
        child = executions.start(
            state_machine,
            request.input,
            name=request.name,
            version=version,
            parent=parent,
            parent_task_id=request.task_id,
            parent_pattern=request.pattern,
        )
    except ServiceError as error:
        # Two deliveries of one invocation raced (a claim expired under a slow worker): the
        # loser finds the winner's child.
        raced = Execution.objects.filter(parent=parent, parent_task_id=request.task_id).first()
        if raced is not None:
            return ChildStarted(raced.arn, raced.started_at.timestamp())
        raise ChildStartRefused(error.code, error.message) from None
    return ChildStarted(child.arn, child.started_at.timestamp())


def result_of(child: Execution) -> ChildResult:
    """A child that ended, as DescribeExecution would describe it to its parent."""
    assert child.stopped_at is not None
    return ChildResult(
        execution_arn=child.arn,
        state_machine_arn=child.version.arn if child.version else child.state_machine.arn,
        name=child.name,
        status=child.status,  # type: ignore[arg-type]
        input=child.input,
        start_date=child.started_at.timestamp(),
        stop_date=child.stopped_at.timestamp(),
        output=child.output,
        error=child.error,
        cause=child.cause,
        redrive_count=child.redrive_count,
    )


def _target(parent: Execution, arn: str) -> tuple[StateMachine, Version | None]:
    """The state machine (and version) an ARN names, among the parent owner's own."""
    owner_id = parent.state_machine.owner_id
    parts = arn.split(":")
    missing = ChildStartRefused("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
    if len(parts) not in (7, 8) or parts[5] != "stateMachine" or parts[4] != account_of(owner_id):
        raise missing
    state_machine = StateMachine.objects.filter(owner_id=owner_id, name=parts[6]).first()
    if state_machine is None:
        raise missing
    if len(parts) == 7:
        return state_machine, None
    version = state_machine.versions.filter(number=int(parts[7]) if parts[7].isdigit() else -1).first()
    if version is None:
        raise missing
    return state_machine, version
