"""Effects to rows, inside the step's transaction: timers, outbox entries, task tokens.

Effects that cancel each other within one batch (a timer started and cancelled, a task
scheduled and abandoned in the same step) never reach the database at all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from designer.models import Execution, Outbox, OutboxStatus, TaskToken, Timer, TokenStatus
from designer.services import tokens
from designer.services.leases import moment
from engine.integrations import parse_resource
from engine.runtime.effects import CancelTask, CancelTimer, Effect, Finish, InvokeTask, StartTimer

SYNC_PATTERNS = ("sync", "sync:2")


def record(row: Execution, effects: list[Effect], now: float) -> list[int]:
    """Write what `effects` ask for; returns the ids of new outbox rows to announce after commit."""
    timers: dict[str, StartTimer] = {}
    calls: dict[str, InvokeTask] = {}
    stale_timers: list[str] = []
    abandoned: list[str] = []
    finish: Finish | None = None
    for effect in effects:
        if isinstance(effect, StartTimer):
            timers[effect.timer_id] = effect
        elif isinstance(effect, CancelTimer):
            if timers.pop(effect.timer_id, None) is None:
                stale_timers.append(effect.timer_id)
        elif isinstance(effect, InvokeTask):
            calls[effect.task_id] = effect
        elif isinstance(effect, CancelTask):
            if calls.pop(effect.task_id, None) is None:
                abandoned.append(effect.task_id)
        elif isinstance(effect, Finish):
            finish = effect
    if stale_timers:
        Timer.objects.filter(execution=row, timer_id__in=stale_timers).delete()
    Timer.objects.bulk_create(
        Timer(execution=row, timer_id=t.timer_id, purpose=t.purpose, due_at=moment(t.due))
        for t in timers.values()
    )
    outbox = [_abandon(row, task_id) for task_id in abandoned]
    outbox += [_schedule(row, call) for call in calls.values()]
    if finish is not None:
        outbox.append(_close(row))
    return [item.pk for item in outbox if item is not None]


def _schedule(row: Execution, call: InvokeTask) -> Outbox | None:
    """An activity task waits in the TaskToken queue for a worker; anything else goes to the outbox."""
    if parse_resource(call.resource).kind == "activity":
        token = tokens.token_for(row.pk, call.task_id)
        TaskToken.objects.create(
            token_hash=tokens.hashed(token),
            execution=row,
            task_id=call.task_id,
            state_name=call.state_name,
            status=TokenStatus.SCHEDULED,
            activity_arn=call.resource,
            input=tokens.hide(call.parameters, [token]),
        )
        return None
    if call.task_token is not None:
        TaskToken.objects.create(
            token_hash=tokens.hashed(call.task_token),
            execution=row,
            task_id=call.task_id,
            state_name=call.state_name,
            status=TokenStatus.OPEN,
        )
    hidden = [call.task_token] if call.task_token is not None else []
    return _outbox(row, call.task_id, "InvokeTask", tokens.hide(call.to_json(), hidden))


def _abandon(row: Execution, task_id: str) -> Outbox | None:
    """A task whose outcome no longer matters: late answers get TaskTimedOut, a `.sync` child stops."""
    TaskToken.objects.filter(execution=row, task_id=task_id).exclude(status=TokenStatus.CLOSED).update(
        status=TokenStatus.CLOSED, closed_at=datetime.now(tz=UTC)
    )
    invocation = Outbox.objects.filter(execution=row, key=task_id).first()
    if invocation is None:
        return None
    if invocation.status == OutboxStatus.PENDING:
        Outbox.objects.filter(pk=invocation.pk).update(status=OutboxStatus.CANCELLED)
    resource = parse_resource(str(invocation.payload.get("resource", "")))
    if resource.is_service("states", "startExecution") and resource.pattern in SYNC_PATTERNS:
        return _outbox(row, f"stop-child:{task_id}", "StopChild", {"task_id": task_id})
    return None


def _close(row: Execution) -> Outbox | None:
    """The execution ended: nothing of it waits any more; a `.sync` parent hears about it."""
    Timer.objects.filter(execution=row).delete()
    Outbox.objects.filter(execution=row, status=OutboxStatus.PENDING, kind="InvokeTask").update(
        status=OutboxStatus.CANCELLED
    )
    TaskToken.objects.filter(execution=row).exclude(status=TokenStatus.CLOSED).update(
        status=TokenStatus.CLOSED, closed_at=datetime.now(tz=UTC)
    )
    if row.parent_id is not None and row.parent_pattern in SYNC_PATTERNS:
        return _outbox(row, "notify-parent", "NotifyParent", {})
    return None


def _outbox(row: Execution, key: str, kind: str, payload: Any) -> Outbox | None:
    item, created = Outbox.objects.get_or_create(
        execution=row,
        key=key,
        defaults={"kind": kind, "payload": payload, "dispatched_at": datetime.now(tz=UTC)},
    )
    return item if created else None
