"""The callback API: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.

A token answers once. Its row is found by the token's hash; the token itself is never stored,
logged or put in history.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

import engine
from designer.models import TaskToken, TokenStatus
from designer.services import executions, tokens
from designer.services.errors import ServiceError
from engine.json import JSON

MAX_TOKEN_LENGTH = 1024  # AWS's limit on taskToken
OPEN = (TokenStatus.SCHEDULED, TokenStatus.OPEN)


def send_task_success(token: str, output: JSON, *, owner: User | None = None) -> None:
    task = _find(token, owner)
    with transaction.atomic():
        _settle(task)
        executions.deliver(
            task.execution_id, f"task:{task.task_id}", engine.TaskSucceeded(task.task_id, output)
        )


def send_task_failure(
    token: str, error: str | None = None, cause: str | None = None, *, owner: User | None = None
) -> None:
    task = _find(token, owner)
    with transaction.atomic():
        _settle(task)
        executions.deliver(
            task.execution_id, f"task:{task.task_id}", engine.TaskFailed(task.task_id, error, cause)
        )


def send_task_heartbeat(token: str, *, owner: User | None = None) -> None:
    """The task is alive: its HeartbeatSeconds clock starts again."""
    task = _find(token, owner)
    with transaction.atomic():
        executions.lock(task.execution_id)
        beat = TaskToken.objects.filter(pk=task.pk, status__in=OPEN).update(heartbeats=F("heartbeats") + 1)
        if not beat:
            raise _timed_out()
        count = TaskToken.objects.values_list("heartbeats", flat=True).get(pk=task.pk)
        executions.deliver(
            task.execution_id, f"heartbeat:{task.task_id}:{count}", engine.TaskHeartbeat(task.task_id)
        )


def _find(token: str, owner: User | None) -> TaskToken:
    """The task a token answers. With `owner`, only that owner's tasks: another's looks like none."""
    if not isinstance(token, str) or not 1 <= len(token) <= MAX_TOKEN_LENGTH:
        raise ServiceError(
            "InvalidToken", f"Invalid Token: a task token is 1 to {MAX_TOKEN_LENGTH} characters."
        )
    tasks = TaskToken.objects.filter(token_hash=tokens.hashed(token))
    if owner is not None:
        tasks = tasks.filter(execution__state_machine__owner=owner)
    task = tasks.first()
    if task is None:
        raise ServiceError("TaskDoesNotExist", "Task Does Not Exist: no task waits for this token.")
    return task


def _settle(task: TaskToken) -> None:
    """Close the token, or refuse: it answered already, or its task ended another way."""
    executions.lock(task.execution_id)  # the lock order: execution row first
    closed = TaskToken.objects.filter(pk=task.pk, status__in=OPEN).update(
        status=TokenStatus.CLOSED, closed_at=datetime.now(tz=UTC)
    )
    if not closed:
        raise _timed_out()


def _timed_out() -> ServiceError:
    return ServiceError("TaskTimedOut", "Task Timed Out: the task already ended; this token answers no more.")
