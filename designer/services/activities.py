"""Activities: create, delete, and hand their tasks to workers (GetActivityTask)."""

from __future__ import annotations

import time

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

import engine
from designer.models import Activity, TaskToken, TokenStatus
from designer.services import executions, tokens
from designer.services.state_machines import check_name
from engine.json import JSON

LONG_POLL_SECONDS = 60.0  # GetActivityTask waits this long for a task, as AWS does
POLL_INTERVAL = 0.2


def create(owner: User, name: str) -> Activity:
    """CreateActivity is idempotent on AWS: the same name gives the same activity."""
    check_name(name, "activity")
    try:
        with transaction.atomic():
            activity, _ = Activity.objects.get_or_create(owner=owner, name=name)
    except IntegrityError:  # two creators raced; the other one won
        activity = Activity.objects.get(owner=owner, name=name)
    return activity


def delete(activity: Activity) -> None:
    activity.delete()


def get_task(
    activity: Activity, worker_name: str | None = None, wait_seconds: float = LONG_POLL_SECONDS
) -> tuple[str, JSON] | None:
    """The oldest task scheduled for `activity` as (task token, input), waiting up to `wait_seconds`
    for one to arrive; None when none did (AWS then answers with an empty token)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        task = take_task(activity.arn, worker_name)
        if task is not None or time.monotonic() >= deadline:
            return task
        time.sleep(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic())))


def take_task(activity_arn: str, worker_name: str | None = None) -> tuple[str, JSON] | None:
    """One attempt, no waiting. The task becomes OPEN and its execution records ActivityStarted."""
    candidates = TaskToken.objects.filter(activity_arn=activity_arn, status=TokenStatus.SCHEDULED).order_by(
        "created_at", "pk"
    )
    for task in candidates[:20]:
        with transaction.atomic():
            executions.lock(task.execution_id)  # the lock order: execution row first
            taken = TaskToken.objects.filter(pk=task.pk, status=TokenStatus.SCHEDULED).update(
                status=TokenStatus.OPEN, worker_name=worker_name
            )
            if not taken:
                continue  # another worker got it first
            started = engine.TaskStarted(task.task_id, worker_name)
            executions.deliver(task.execution_id, f"started:{task.task_id}", started)
        token = tokens.token_for(task.execution_id, task.task_id)
        return token, tokens.reveal(task.input, token)
    return None


def describe(activity: Activity) -> dict[str, object]:
    return {
        "activityArn": activity.arn,
        "name": activity.name,
        "creationDate": activity.created_at.timestamp(),
    }
