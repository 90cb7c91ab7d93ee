"""One batch of steps written in one transaction: state, history, applied happenings and effects.

Nothing leaves before the commit: effects become rows here (Timer, Outbox, TaskToken) and their
Celery messages go out on commit. A worker killed at any point leaves either the old state
with its happenings still waiting, or the new state with its effects in the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction

import engine
from designer import tasks  # the module, not names: designer.tasks imports services too
from designer.models import Execution, HistoryEvent, Inbox, Status, TaskToken, TokenStatus
from designer.services import effects, leases, tokens
from designer.services.leases import Lease, moment
from engine.runtime.effects import Effect, InvokeTask


@dataclass
class Stepped:
    """What the engine made of a batch of happenings, ready to store."""

    now: float
    events: list[dict[str, Any]] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    state: dict[str, Any] | None = None  # None: nothing to store (the batch did not start it)
    status: str = Status.RUNNING
    output: Any = None
    error: str | None = None
    cause: str | None = None
    last_event_id: int = 0

    def add(self, events: list[dict[str, Any]], effects: list[Effect]) -> None:
        self.events.extend(events)
        self.effects.extend(effects)

    def take_state(self, execution: engine.Execution) -> None:
        self.state = tokens.state_to_store(execution.to_json())
        self.status, self.output = execution.status, execution.output
        self.error, self.cause = execution.error, execution.cause
        self.last_event_id = execution.last_event_id

    @classmethod
    def crashed(cls, row: Execution, error: Exception, now: float) -> Stepped:
        """The execution fails with States.Runtime: Statecraft itself could not run it."""
        cause = (
            f"Statecraft could not run this execution ({type(error).__name__}: {error}). Please report it."
        )
        event = {
            "id": row.last_event_id + 1,
            "previousEventId": row.last_event_id,
            "timestamp": now,
            "type": "ExecutionFailed",
            "executionFailedEventDetails": {"error": "States.Runtime", "cause": cause},
        }
        stepped = cls(now, [event], [engine.Finish("FAILED", error="States.Runtime", cause=cause)])
        stepped.state = {**row.state, "status": "FAILED"} if row.state is not None else {"status": "FAILED"}
        stepped.status, stepped.error, stepped.cause = Status.FAILED, "States.Runtime", cause
        stepped.last_event_id = row.last_event_id + 1
        return stepped


def commit(lease: Lease, applied: list[int], stepped: Stepped) -> Literal["holding", "released", "lost"]:
    """Store a batch if `lease` still holds the execution ("lost", and nothing written, if not).

    Gives the lease up in the same transaction when no other happening waits ("released"),
    which saves the holder a round trip; "holding" means more waits and the holder goes on.
    """
    with transaction.atomic():
        row = leases.locked_if_held(lease)
        if row is None:
            return "lost"
        issued = [
            e.task_token for e in stepped.effects if isinstance(e, InvokeTask) and e.task_token is not None
        ]
        hidden = _tokens_to_hide(row, issued) if stepped.events and (issued or row.uses_tokens) else []
        HistoryEvent.objects.bulk_create(
            [_event_row(row, event, hidden) for event in stepped.events], batch_size=500
        )
        Inbox.objects.filter(pk__in=applied).update(applied_at=moment(stepped.now))
        holding = stepped.status == Status.RUNNING and leases.waiting(row)
        _store(row, stepped, release=not holding, uses_tokens=bool(issued))
        for outbox_id in effects.record(row, stepped.effects, stepped.now):
            tasks.deliver_effect.delay_on_commit(outbox_id)
    return "holding" if holding else "released"


def _store(row: Execution, stepped: Stepped, release: bool, uses_tokens: bool) -> None:
    fields: dict[str, Any] = {"lease_expires_at": leases.expiry(stepped.now)}
    if release:
        fields.update(lease_owner=None, lease_expires_at=None)
    if uses_tokens:
        fields["uses_tokens"] = True
    if stepped.state is not None:
        fields.update(
            state=stepped.state,
            status=stepped.status,
            output=stepped.output,
            error=stepped.error,
            cause=stepped.cause,
            last_event_id=stepped.last_event_id,
        )
        if stepped.status != Status.RUNNING:
            fields["stopped_at"] = moment(stepped.now)
    Execution.objects.filter(pk=row.pk).update(**fields)
    for name, value in fields.items():
        setattr(row, name, value)


def _tokens_to_hide(row: Execution, issued: list[str]) -> list[str]:
    """Tokens that must not reach history: this batch's, and those still waiting for an answer.
    (A closed token is worthless: it answers once.)"""
    waiting = TaskToken.objects.filter(execution=row).exclude(status=TokenStatus.CLOSED)
    return issued + [
        tokens.token_for(row.pk, task_id) for task_id in waiting.values_list("task_id", flat=True)
    ]


def _event_row(row: Execution, event: dict[str, Any], hidden: list[str]) -> HistoryEvent:
    return HistoryEvent(
        execution=row,
        event_id=event["id"],
        previous_event_id=event["previousEventId"],
        type=event["type"],
        timestamp=moment(event["timestamp"]),
        data=tokens.hide(event, hidden),
    )
