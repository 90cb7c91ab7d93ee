"""What the app's tests share: local functions, a Task builder, and `drain`, which does synchronously
what workers and the reaper would do, by calling the same services they call."""

import time

from designer import functions
from designer.models import Execution, Outbox, OutboxStatus, Status
from designer.services import executions, outbox, timers
from designer.services.leases import moment

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:{}"
CALLS: dict[str, int] = {}  # how often each test function ran in this process
ANSWERS: dict[str, str] = {}  # the task token each `remember` call received, by order


@functions.register("double")
def double(event):
    CALLS["double"] = CALLS.get("double", 0) + 1
    return {"n": event["n"] * 2}


@functions.register("explode")
def explode(event):
    raise ValueError("no such order")


@functions.register("remember")
def remember(event):
    """Stands in for "send the token to a person": the test answers in their place."""
    ANSWERS[event["order"]] = event["token"]
    return {}


def task(function, **fields):
    return {"Type": "Task", "Resource": FUNCTION.format(function), **fields}


def drain(rounds: int = 500) -> None:
    """Run everything that is due until nothing is: outbox rows, waiting happenings, due timers."""
    for _ in range(rounds):
        free = Outbox.objects.filter(status=OutboxStatus.PENDING).exclude(
            claimed_until__gt=moment(time.time())
        )
        work = list(free.values_list("pk", flat=True))
        for outbox_id in work:
            outbox.deliver(outbox_id)
        waiting = Execution.objects.filter(status=Status.RUNNING, inbox__applied_at__isnull=True).distinct()
        runnable = list(waiting.values_list("pk", flat=True))
        for execution_id in runnable:
            executions.advance(execution_id)
        if not work and not runnable and not timers.fire_due():
            return
    raise AssertionError(f"still busy after {rounds} rounds")


def make_timers_due(execution: Execution) -> None:
    """Time passes: every timer of `execution` is due now."""
    execution.timers.update(due_at=moment(time.time() - 1))


def event_types(execution: Execution) -> list[str]:
    return list(execution.history.order_by("event_id").values_list("type", flat=True))
