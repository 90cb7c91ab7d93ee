"""The outbox: effects carried out after the step that asked for them committed.

`deliver` claims a row for a while, carries it out and marks it done together with the
happening it produced. A worker that dies in between leaves the claim to expire; `sweep` (the
reaper) then announces the row again. So a task invocation may run twice after a crash (as a
Lambda invocation may on AWS), but its outcome is applied once: happenings are keyed by task.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

import engine
from designer import tasks  # the module, not names: designer.tasks imports services too
from designer.models import Execution, Outbox, OutboxStatus
from designer.services import children, executions, integrations, tokens
from designer.services.leases import moment
from engine.integrations import describe_child_result
from engine.runtime.effects import InvokeTask, effect_from_json


def deliver(outbox_id: int) -> None:
    """Carry out one outbox row, unless it is done, cancelled or being carried out right now."""
    item = _claim(outbox_id)
    if item is not None:
        HANDLERS[item.kind](item)


def sweep(patience: float = 1.0) -> int:
    """Announce again the rows whose worker died mid-way, and those whose message seems lost.

    A row that was never claimed may just sit behind a long queue: the reaper passes a
    `patience` above 1 while the broker has a backlog, so a busy queue is not flooded with repeats.
    """
    config = settings.STATECRAFT
    now = time.time()
    # Claimed by a worker that went silent past its claim, and not announced since it was taken.
    abandoned = Q(claimed_until__lt=moment(now), dispatched_at__lt=F("claimed_until"))
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=moment(now))
    lost = free & Q(dispatched_at__lt=moment(now - config["RESEND_SECONDS"] * patience))
    stale = abandoned | lost
    pending = Outbox.objects.filter(status=OutboxStatus.PENDING).filter(stale)
    ids = list(pending.values_list("pk", flat=True)[:500])
    if ids:
        Outbox.objects.filter(pk__in=ids).update(dispatched_at=moment(now))
        for outbox_id in ids:
            tasks.deliver_effect.delay(outbox_id)
    return len(ids)


def _claim(outbox_id: int) -> Outbox | None:
    now = time.time()
    with transaction.atomic():
        item = Outbox.objects.select_for_update().filter(pk=outbox_id).first()
        if item is None or item.status != OutboxStatus.PENDING:
            return None
        if item.claimed_until is not None and item.claimed_until > moment(now):
            return None  # another worker is on it
        seconds = settings.STATECRAFT["CLAIM_SECONDS"]
        if item.kind == "InvokeTask" and item.payload.get("timeout_seconds") is not None:
            seconds = max(seconds, float(item.payload["timeout_seconds"]) + 5)
        item.claimed_until = moment(now + seconds)
        item.attempts += 1
        item.save(update_fields=["claimed_until", "attempts"])
    return item


def _invoke_task(item: Outbox) -> None:
    execution = Execution.objects.select_related("state_machine").filter(pk=item.execution_id).first()
    if execution is None or execution.is_closed:
        _done(item)
        return
    call = effect_from_json(tokens.reveal(item.payload, tokens.token_for(execution.pk, item.key)))
    assert isinstance(call, InvokeTask)
    outcome = integrations.for_execution(execution).invoke(call)  # never raises
    happening = outcome.to_happening(call.task_id)  # None: a callback, worker or child answers later
    with transaction.atomic():
        if happening is not None:
            executions.deliver(execution.pk, f"task:{call.task_id}", happening, announce=False)
        _done(item)
    if happening is not None:
        executions.advance(execution.pk)  # here and now: saves a trip through the broker


def _notify_parent(item: Outbox) -> None:
    """A `.sync` child ended: its DescribeExecution answer is its parent task's outcome."""
    child = Execution.objects.select_related("state_machine", "version").get(pk=item.execution_id)
    assert child.parent_id is not None and child.parent_task_id is not None
    outcome = describe_child_result(child.parent_pattern, children.result_of(child))  # type: ignore[arg-type]
    happening = outcome.to_happening(child.parent_task_id)
    with transaction.atomic():
        if happening is not None:
            executions.deliver(child.parent_id, f"task:{child.parent_task_id}", happening)
        _done(item)


def _stop_child(item: Outbox) -> None:
    """The parent no longer waits for a `.sync` child (it timed out, failed or stopped): stop it."""
    child = Execution.objects.filter(
        parent_id=item.execution_id, parent_task_id=item.payload["task_id"]
    ).first()
    with transaction.atomic():
        if child is not None:
            executions.deliver(child.pk, "stop", engine.Stop(), announce=True)
        _done(item)


def _done(item: Outbox) -> None:
    Outbox.objects.filter(pk=item.pk, status=OutboxStatus.PENDING).update(status=OutboxStatus.DONE)


HANDLERS: dict[str, Callable[[Outbox], None]] = {
    "InvokeTask": _invoke_task,
    "NotifyParent": _notify_parent,
    "StopChild": _stop_child,
}
