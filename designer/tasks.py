"""Celery tasks: decode the arguments, call one service, nothing else.

A message only says "this may have work"; the task asserts the world from the database, so a
redelivered, repeated or stale message does nothing harmful.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from celery import shared_task
from django.db import OperationalError

from designer.services import executions, outbox


def _backoff(retries: int) -> float:
    return float(min(2**retries, 30))


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)  # type: ignore[untyped-decorator]
def run_execution(self: Any, execution_id: str) -> None:
    """Apply whatever happenings wait for an execution."""
    try:
        executions.advance(UUID(execution_id))
    except OperationalError as error:  # the database went away or a lock timed out: advance is idempotent
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)  # type: ignore[untyped-decorator]
def deliver_effect(self: Any, outbox_id: int) -> None:
    """Carry out one outbox row (a task invocation, or a message to another execution)."""
    try:
        outbox.deliver(outbox_id)
    except OperationalError as error:
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
