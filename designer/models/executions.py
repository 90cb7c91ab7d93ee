"""Executions and what belongs to them: inbox, history, timers, outbox, task tokens.

Only designer.services writes these rows. Lock order, wherever two are taken: the Execution
row first, then its own Inbox, Timer, Outbox and TaskToken rows. No transaction locks two
executions; work that crosses executions (a child telling its parent) goes through the outbox.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models

from designer.models.state_machines import MachineType, StateMachine, Version


class Status(models.TextChoices):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    ABORTED = "ABORTED"


class Execution(models.Model):
    """One run of a Standard state machine. The database row is the truth about it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    state_machine = models.ForeignKey(StateMachine, on_delete=models.CASCADE, related_name="executions")
    version = models.ForeignKey(Version, on_delete=models.SET_NULL, null=True, blank=True)
    name = models.CharField(max_length=80)
    arn = models.CharField(max_length=300, unique=True)
    machine_type = models.CharField(max_length=8, choices=MachineType.choices, default=MachineType.STANDARD)
    definition = models.TextField(help_text="The exact definition this execution runs.")
    input = models.JSONField(null=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    output = models.JSONField(null=True)
    error = models.TextField(null=True)
    cause = models.TextField(null=True)
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True)
    # The engine's Execution.to_json(), without its seed (which derives from SECRET_KEY).
    state = models.JSONField(null=True)
    last_event_id = models.PositiveIntegerField(default=0)
    # The lease: who may advance this execution, until when, and a counter that grows with every
    # new holder, so a worker that lost its lease cannot commit over its successor.
    lease_owner = models.CharField(max_length=64, null=True)
    lease_fence = models.BigIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True)
    nudged_at = models.DateTimeField(null=True)  # when the reaper last re-announced it
    uses_tokens = models.BooleanField(default=False)  # it ever handed out a task token
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    parent_task_id = models.CharField(max_length=64, null=True, blank=True)
    parent_pattern = models.CharField(max_length=32, null=True, blank=True)  # sync | sync:2 | ...
    redrive_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state_machine", "name"], name="execution_name_per_machine"),
            models.UniqueConstraint(
                fields=["parent", "parent_task_id"],
                condition=models.Q(parent__isnull=False),
                name="one_child_per_parent_task",
            ),
        ]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="execution_status_lease")]
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.arn

    @property
    def is_closed(self) -> bool:
        return self.status != Status.RUNNING


class Inbox(models.Model):
    """A happening delivered to an execution, applied at most once: `key` names it."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="inbox")
    key = models.CharField(max_length=200)  # "start", "task:<id>", "timer:<id>", "stop", ...
    happening = models.JSONField()  # engine happening_to_json()
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["execution", "key"], name="happening_once")]
        # Partial: the runner and the reaper only ever look for happenings not yet applied.
        indexes = [
            models.Index(
                fields=["execution", "created_at"],
                condition=models.Q(applied_at__isnull=True),
                name="inbox_unapplied",
            )
        ]


class HistoryEvent(models.Model):
    """One event of GetExecutionHistory. Append-only."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="history")
    event_id = models.PositiveIntegerField()
    previous_event_id = models.PositiveIntegerField()
    type = models.CharField(max_length=64)
    timestamp = models.DateTimeField()
    data = models.JSONField()  # the whole event as the engine recorded it (task tokens hidden)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["execution", "event_id"], name="event_once")]
        ordering = ["execution", "event_id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("History is append-only.")
        super().save(*args, **kwargs)


class Timer(models.Model):
    """A pending timer. It lives here, not in a Celery countdown, so it survives any restart."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="timers")
    timer_id = models.CharField(max_length=64)
    purpose = models.CharField(max_length=32)
    due_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["execution", "timer_id"], name="timer_once")]


class OutboxStatus(models.TextChoices):
    PENDING = "PENDING"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class Outbox(models.Model):
    """An effect to carry out after its step committed: a task invocation or a message to another
    execution. Written in the step's transaction, so a crash right after commit loses nothing."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="outbox")
    key = models.CharField(max_length=200)  # the task id, or "notify-parent", "stop-child:<task id>"
    kind = models.CharField(max_length=32)  # InvokeTask | NotifyParent | StopChild
    payload = models.JSONField()  # for InvokeTask, the effect with its task token hidden
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True)  # a worker is carrying it out until then
    dispatched_at = models.DateTimeField(null=True)  # when a message about it was last sent
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["execution", "key"], name="effect_once")]
        indexes = [
            models.Index(
                fields=["dispatched_at"],
                condition=models.Q(status=OutboxStatus.PENDING),
                name="outbox_pending",
            )
        ]


class TokenStatus(models.TextChoices):
    SCHEDULED = "SCHEDULED"  # an activity task no worker has taken yet
    OPEN = "OPEN"  # handed out: waiting for SendTaskSuccess or SendTaskFailure
    CLOSED = "CLOSED"  # answered, timed out or abandoned: later answers get TaskTimedOut


class TaskToken(models.Model):
    """A task waiting for an answer. Only the token's SHA-256 is stored, never the token."""

    token_hash = models.CharField(max_length=64, unique=True)
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="task_tokens")
    task_id = models.CharField(max_length=64)
    state_name = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=TokenStatus.choices, default=TokenStatus.OPEN)
    activity_arn = models.CharField(max_length=300, null=True, blank=True, db_index=True)
    input = models.JSONField(null=True)  # what GetActivityTask hands the worker
    worker_name = models.CharField(max_length=80, null=True, blank=True)
    heartbeats = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["execution", "task_id"], name="token_per_task")]
        indexes = [models.Index(fields=["activity_arn", "status", "created_at"], name="activity_queue")]
