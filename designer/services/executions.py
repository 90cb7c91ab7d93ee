"""Execution use cases: start, deliver a happening, advance, stop. The only writers of Execution and Inbox.

The durable loop, in short: a happening (start, task outcome, timer, callback, stop) becomes an
Inbox row, and a Celery message says "this execution may have work". `advance` takes the
execution's lease, applies every waiting happening with the engine, commits state, history,
timers and effects in one transaction (designer.services.recording), and repeats until nothing
waits; effects leave only after their commit. The reaper re-announces what a lost message or a
dead worker left behind.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import replace
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q

import engine
from designer import tasks  # the module, not names: designer.tasks imports us too
from designer.models import Execution, Inbox, MachineType, StateMachine, Status, Version, arn_prefix
from designer.services import leases, machines, recording, tokens
from designer.services.errors import ServiceError
from designer.services.leases import moment
from designer.services.state_machines import check_name
from engine.json import JSON
from engine.runtime.happenings import happening_from_json, happening_to_json

log = logging.getLogger(__name__)
BATCH = 200  # happenings applied per transaction at most


def start(
    state_machine: StateMachine,
    input: JSON,
    *,
    name: str | None = None,
    version: Version | None = None,
    parent: Execution | None = None,
    parent_task_id: str | None = None,
    parent_pattern: str | None = None,
) -> Execution:
    """Start a Standard execution of a version (or of the draft) and announce it to the workers."""
    if state_machine.type != MachineType.STANDARD:
        raise ServiceError(
            "StateMachineTypeNotSupported",
            "An Express state machine runs synchronously (StartSyncExecution).",
        )
    definition = version.definition if version is not None else state_machine.definition
    machines.compiled(definition, state_machine.type)  # an invalid draft cannot run
    name = name if name is not None else str(uuid.uuid4())
    check_name(name, "execution")
    arn = f"{arn_prefix(state_machine.owner_id)}:execution:{state_machine.name}:{name}"
    begin = engine.Start(
        input=input,
        execution_arn=arn,
        state_machine_arn=version.arn if version is not None else state_machine.arn,
        name=name,
        seed="",  # derived from SECRET_KEY when the start is applied; never stored
    )
    try:
        with transaction.atomic():
            row = Execution.objects.create(
                state_machine=state_machine,
                version=version,
                name=name,
                arn=arn,
                machine_type=state_machine.type,
                definition=definition,
                input=input,
                started_at=moment(time.time()),
                parent=parent,
                parent_task_id=parent_task_id,
                parent_pattern=parent_pattern,
            )
            Inbox.objects.create(execution=row, key="start", happening=happening_to_json(begin))
            tasks.run_execution.delay_on_commit(str(row.pk))
    except IntegrityError:
        raise ServiceError(
            "ExecutionAlreadyExists", f"An execution named {name!r} already exists; pick another name."
        ) from None
    return row


def deliver(execution_id: UUID, key: str, happening: engine.Happening, *, announce: bool = True) -> bool:
    """Hand an execution a happening, at most once per `key`. True if it was new and the execution runs.

    Locks the execution row: see leases.release_if_idle for why no delivery can go unnoticed.
    """
    # savepoint=False: under the row lock nobody else can add this key, so no conflict to roll back.
    with transaction.atomic(savepoint=False):
        row = lock(execution_id)
        if row is None or row.is_closed or Inbox.objects.filter(execution=row, key=key).exists():
            return False
        Inbox.objects.create(execution=row, key=key, happening=happening_to_json(happening))
        if announce:
            tasks.run_execution.delay_on_commit(str(execution_id))
        return True


def lock(execution_id: UUID) -> Execution | None:
    """Lock an execution row until the transaction ends. Always the first lock a transaction takes."""
    return Execution.objects.select_for_update().filter(pk=execution_id).only("pk", "status").first()


def stop(execution: Execution, error: str | None = None, cause: str | None = None) -> Execution:
    """StopExecution: the execution ends ABORTED. Applied at once unless a worker holds it right now."""
    deliver(execution.pk, "stop", engine.Stop(error, cause), announce=False)
    advance(execution.pk)
    execution.refresh_from_db()
    return execution


def advance(execution_id: UUID) -> None:
    """Apply every waiting happening, a batch per transaction, until none waits. Safe to call
    any number of times from anywhere: whoever does not get the lease returns at once."""
    owner = leases.acquire(execution_id)
    if owner is None:
        return
    while True:
        row = Execution.objects.filter(pk=execution_id).first()
        lease = leases.held(row, owner) if row is not None else None
        if row is None or lease is None:
            return
        pending = list(
            Inbox.objects.filter(execution_id=execution_id, applied_at__isnull=True).order_by("pk")[:BATCH]
        )
        if not pending or row.is_closed:
            if leases.release_if_idle(lease):
                return
            continue
        if recording.commit(lease, [item.pk for item in pending], _step(row, pending)) != "holding":
            return  # released (nothing else waits), or lost (whoever holds it now carries on)


def _step(row: Execution, pending: list[Inbox]) -> recording.Stepped:
    """Run the engine over a batch of happenings. No I/O here; the engine never raises for
    anything a definition or its data can cause, so an exception is a bug: the execution
    fails with States.Runtime rather than failing every worker that picks it up."""
    now = time.time()
    try:
        execution = machines.load(row)
        stepped = recording.Stepped(now=now)
        for item in pending:
            happening = happening_from_json(item.happening)
            if isinstance(happening, engine.Start):
                if execution is not None:
                    continue
                machine = machines.compiled(row.definition, row.machine_type)
                result = engine.start(machine, replace(happening, seed=tokens.seed_for(row.pk)), now)
            elif execution is None:
                continue
            else:
                result = engine.step(execution, happening, now)
            execution = result.execution
            stepped.add(result.events, result.effects)
        if execution is not None:
            stepped.take_state(execution)
        return stepped
    except Exception as error:
        log.exception("Execution %s failed inside Statecraft.", row.pk)
        return recording.Stepped.crashed(row, error, now)


def nudge_stalled(patience: float = 1.0) -> int:
    """Re-announce executions whose lease expired, or whose happenings nobody picked up.

    An expired lease means its holder died: announced at once. A happening nobody picked up may
    just sit behind a long queue; the reaper passes a `patience` above 1 while the broker has a
    backlog, so that a busy queue is not flooded with repeats.
    """
    config = settings.STATECRAFT
    now = time.time()
    quiet = moment(now - config["NUDGE_AFTER_SECONDS"] * patience)
    not_lately = Q(nudged_at__isnull=True) | Q(
        nudged_at__lt=moment(now - config["RESEND_SECONDS"] * patience)
    )
    expired = Q(lease_owner__isnull=False, lease_expires_at__lt=moment(now)) & (
        not_lately | Q(nudged_at__lt=F("lease_expires_at"))  # not yet told since it expired
    )
    waiting = Inbox.objects.filter(applied_at__isnull=True, created_at__lt=quiet).values("execution_id")
    unclaimed = Q(lease_owner__isnull=True, pk__in=waiting) & not_lately
    stalled = expired | unclaimed
    ids = list(
        Execution.objects.filter(status=Status.RUNNING).filter(stalled).values_list("pk", flat=True)[:500]
    )
    if ids:
        Execution.objects.filter(pk__in=ids).update(nudged_at=moment(now))
        for execution_id in ids:
            tasks.run_execution.delay(str(execution_id))
    return len(ids)


def describe(execution: Execution) -> dict[str, Any]:
    """What DescribeExecution says about an execution (values as JSON, not text)."""
    return {
        "executionArn": execution.arn,
        "stateMachineArn": execution.version.arn if execution.version else execution.state_machine.arn,
        "name": execution.name,
        "status": execution.status,
        "startDate": execution.started_at.timestamp(),
        "stopDate": execution.stopped_at.timestamp() if execution.stopped_at else None,
        "input": execution.input,
        "output": execution.output,
        "error": execution.error,
        "cause": execution.cause,
        "redriveCount": execution.redrive_count,
    }
