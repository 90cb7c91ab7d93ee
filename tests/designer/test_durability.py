"""Durability on SQLite: leases, fencing, idempotent happenings, the outbox and timers in the database.

Each test plays a crash by stopping half-way through what a worker does (taking a lease or a
claim and never finishing), then checks that the reaper's services recover and nothing repeats.
"""

import time

import pytest
from harness import CALLS, drain, event_types, task

import engine
from designer import tasks
from designer.models import Execution, Inbox, Outbox, OutboxStatus, Status
from designer.services import executions, leases, outbox, recording, timers
from designer.services.leases import moment

pytestmark = pytest.mark.django_db

ONE_TASK = {"StartAt": "T", "States": {"T": task("double", End=True)}}
YEAR = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 31536000, "End": True}}}


@pytest.fixture
def announced(monkeypatch):
    """The messages services send, by task name (as ids), instead of a broker."""
    sent = {"run_execution": [], "deliver_effect": []}
    monkeypatch.setattr(tasks.run_execution, "delay", lambda i: sent["run_execution"].append(i))
    monkeypatch.setattr(tasks.deliver_effect, "delay", lambda i: sent["deliver_effect"].append(i))
    return sent


def test_a_happening_delivered_twice_is_applied_once(make_state_machine):
    execution = executions.start(make_state_machine(YEAR), {})
    drain()
    timer_id = execution.timers.get().timer_id

    first = executions.deliver(execution.pk, f"timer:{timer_id}", engine.TimerFired(timer_id))
    again = executions.deliver(execution.pk, f"timer:{timer_id}", engine.TimerFired(timer_id))
    executions.advance(execution.pk)
    executions.advance(execution.pk)

    assert (first, again) == (True, False)
    assert event_types(execution).count("WaitStateExited") == 1
    assert Execution.objects.get(pk=execution.pk).status == Status.SUCCEEDED


def test_a_worker_that_lost_its_lease_cannot_commit(make_state_machine):
    execution = executions.start(make_state_machine(ONE_TASK), {"n": 1})
    owner = leases.acquire(execution.pk)
    stale = leases.held(Execution.objects.get(pk=execution.pk), owner)
    Execution.objects.filter(pk=execution.pk).update(lease_expires_at=moment(time.time() - 1))
    executions.advance(execution.pk)  # a second worker takes the expired lease over and goes on
    written = execution.history.count()
    late = recording.Stepped(
        now=time.time(), events=[{"id": 99, "previousEventId": 98, "timestamp": 0, "type": "X"}]
    )

    committed = recording.commit(stale, [], late)

    assert committed == "lost"
    assert execution.history.count() == written
    assert Execution.objects.get(pk=execution.pk).lease_fence == stale.fence + 1


def test_an_execution_whose_worker_died_holding_the_lease_is_announced_again(make_state_machine, announced):
    execution = executions.start(make_state_machine(ONE_TASK), {"n": 1})
    leases.acquire(execution.pk)  # ... and the worker dies before committing anything
    executions.advance(execution.pk)  # another worker is told, but the lease is not free yet
    assert executions.nudge_stalled() == 0

    Execution.objects.filter(pk=execution.pk).update(lease_expires_at=moment(time.time() - 1))
    nudged = executions.nudge_stalled()
    drain()

    assert nudged == 1 and announced["run_execution"] == [str(execution.pk)]
    assert Execution.objects.get(pk=execution.pk).status == Status.SUCCEEDED
    assert executions.nudge_stalled() == 0


def test_a_happening_whose_message_was_lost_is_announced_again_but_not_too_often(
    make_state_machine, announced
):
    execution = executions.start(make_state_machine(ONE_TASK), {"n": 1})  # its message never arrives
    Inbox.objects.filter(execution=execution).update(created_at=moment(time.time() - 60))

    first = executions.nudge_stalled()
    second = executions.nudge_stalled()

    assert (first, second) == (1, 0)
    assert announced["run_execution"] == [str(execution.pk)]


def test_a_task_whose_worker_died_mid_call_runs_again_and_its_outcome_counts_once(
    make_state_machine, announced
):
    execution = executions.start(make_state_machine(ONE_TASK), {"n": 5})
    executions.advance(execution.pk)
    invocation = Outbox.objects.get(execution=execution)
    assert outbox._claim(invocation.pk) is not None  # a worker takes it and dies mid-call
    calls = CALLS.get("double", 0)
    outbox.deliver(invocation.pk)  # a redelivered message while the claim holds: nothing happens
    assert CALLS.get("double", 0) == calls and outbox.sweep() == 0

    # Time passes: the claim runs out long after the row was announced.
    Outbox.objects.filter(pk=invocation.pk).update(
        dispatched_at=moment(time.time() - 200), claimed_until=moment(time.time() - 1)
    )
    resent = outbox.sweep()
    outbox.deliver(invocation.pk)
    late = executions.deliver(execution.pk, "task:task-1", engine.TaskSucceeded("task-1", {"n": 0}))

    assert resent == 1 and announced["deliver_effect"] == [invocation.pk]
    assert late is False  # the dead worker's answer, had it come, would change nothing
    execution.refresh_from_db()
    assert execution.status == Status.SUCCEEDED and execution.output == {"n": 10}
    assert event_types(execution).count("LambdaFunctionSucceeded") == 1
    assert Outbox.objects.get(pk=invocation.pk).status == OutboxStatus.DONE


def test_effects_committed_just_before_a_crash_are_sent_by_the_sweeper(make_state_machine, announced):
    execution = executions.start(make_state_machine(ONE_TASK), {"n": 5})
    executions.advance(execution.pk)  # committed; its message after commit never went out
    Outbox.objects.filter(execution=execution).update(dispatched_at=moment(time.time() - 3600))

    resent = outbox.sweep()

    assert resent == 1
    assert announced["deliver_effect"] == [Outbox.objects.get(execution=execution).pk]


def test_a_one_year_wait_lives_in_the_database_until_it_is_due(make_state_machine):
    execution = executions.start(make_state_machine(YEAR), {})
    drain()
    timer = execution.timers.get()
    assert 364 < (timer.due_at.timestamp() - time.time()) / 86400 < 366
    assert timers.fire_due() == 0

    execution.timers.update(due_at=moment(time.time() - 1))  # a year later, in another process
    fired = timers.fire_due()
    drain()

    assert fired == 1
    assert Execution.objects.get(pk=execution.pk).status == Status.SUCCEEDED


def test_a_due_timer_fires_once_however_many_reapers_try(make_state_machine):
    execution = executions.start(make_state_machine(YEAR), {})
    drain()
    execution.timers.update(due_at=moment(time.time() - 1))

    fired = [timers.fire_due(), timers.fire_due()]

    assert fired == [1, 0]
    assert execution.inbox.filter(key__startswith="timer:").count() == 1
