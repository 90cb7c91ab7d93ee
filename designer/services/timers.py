"""Timers fire from the database: due rows become TimerFired happenings (the reaper calls this)."""

from __future__ import annotations

import time
from collections import defaultdict
from uuid import UUID

from django.db import transaction

import engine
from designer import tasks  # the module, not names: designer.tasks imports services too
from designer.models import Timer
from designer.services import executions
from designer.services.leases import moment


def fire_due(limit: int = 500) -> int:
    """Fire every due timer, once, however many reapers run; returns how many fired."""
    due = Timer.objects.filter(due_at__lte=moment(time.time())).order_by("due_at")
    by_execution: dict[UUID, list[tuple[int, str]]] = defaultdict(list)
    for pk, execution_id, timer_id in due.values_list("pk", "execution_id", "timer_id")[:limit]:
        by_execution[execution_id].append((pk, timer_id))
    fired = 0
    for execution_id, timers in by_execution.items():
        with transaction.atomic():
            # deliver() locks the execution row first (the lock order); the keys make a second
            # reaper's attempt a no-op.
            new = [
                executions.deliver(
                    execution_id, f"timer:{timer_id}", engine.TimerFired(timer_id), announce=False
                )
                for _, timer_id in timers
            ]
            Timer.objects.filter(pk__in=[pk for pk, _ in timers]).delete()
            if any(new):
                tasks.run_execution.delay_on_commit(str(execution_id))
        fired += sum(new)
    return fired
