"""Task timeouts: TimeoutSeconds and HeartbeatSeconds fire as timers; heartbeats push the heartbeat back."""

from task_steps import CALLBACK, T0, begin, only, task, timers, types

import engine
from engine.runtime.effects import CancelTask, CancelTimer
from engine.testing import machine_of, run

# --- timeouts and heartbeats -----------------------------------------------------------------


def test_timeout_seconds_fails_the_task_with_states_timeout_when_its_timer_fires():
    machine = machine_of(task(TimeoutSeconds=30))
    started = begin(machine, {})
    (timer,) = timers(started, "task-timeout")
    call = only(started, engine.InvokeTask)

    step = engine.step(started.execution, engine.TimerFired(timer.timer_id), timer.due)

    assert timer.due == T0 + 30
    assert types(step) == ["TaskTimedOut", "ExecutionFailed"]
    assert step.events[0]["taskTimedOutEventDetails"]["error"] == "States.Timeout"
    assert step.execution.error == "States.Timeout"
    assert CancelTask(call.task_id) in step.effects


def test_a_task_answered_in_time_cancels_its_timers():
    machine = machine_of(task(TimeoutSeconds=30, HeartbeatSeconds=10))
    started = begin(machine, {})
    call = only(started, engine.InvokeTask)
    timer_ids = {t.timer_id for t in started.effects if isinstance(t, engine.StartTimer)}

    step = engine.step(started.execution, engine.TaskSucceeded(call.task_id, 1), T0 + 5)

    assert {e.timer_id for e in step.effects if isinstance(e, CancelTimer)} == timer_ids
    assert step.execution.status == "SUCCEEDED"


def test_a_late_answer_after_the_timeout_is_ignored():
    machine = machine_of(task(TimeoutSeconds=30))
    started = begin(machine, {})
    (timer,) = timers(started, "task-timeout")
    call = only(started, engine.InvokeTask)
    engine.step(started.execution, engine.TimerFired(timer.timer_id), timer.due)

    late = engine.step(started.execution, engine.TaskSucceeded(call.task_id, 1), timer.due + 1)

    assert late.events == []
    assert late.execution.status == "FAILED"


def test_a_timed_out_task_can_be_retried():
    machine = machine_of(
        task(TimeoutSeconds=30, Retry=[{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2}])
    )
    started = begin(machine, {})
    (timer,) = timers(started, "task-timeout")

    step = engine.step(started.execution, engine.TimerFired(timer.timer_id), timer.due)

    assert types(step) == ["TaskTimedOut"]
    assert timers(step, "retry")[0].due == T0 + 32


def test_a_missed_heartbeat_fails_the_task_with_states_heartbeat_timeout():
    machine = machine_of(task(CALLBACK, HeartbeatSeconds=10, TimeoutSeconds=100))
    started = begin(machine, {})
    (heartbeat,) = timers(started, "heartbeat")

    step = engine.step(started.execution, engine.TimerFired(heartbeat.timer_id), heartbeat.due)

    assert heartbeat.due == T0 + 10
    assert types(step) == ["TaskTimedOut", "ExecutionFailed"]
    assert step.events[0]["taskTimedOutEventDetails"]["error"] == "States.HeartbeatTimeout"
    assert step.execution.error == "States.HeartbeatTimeout"


def test_a_heartbeat_pushes_the_heartbeat_timer_back():
    machine = machine_of(task(CALLBACK, HeartbeatSeconds=10, TimeoutSeconds=100))
    started = begin(machine, {})
    call = only(started, engine.InvokeTask)
    (first,) = timers(started, "heartbeat")

    beat = engine.step(started.execution, engine.TaskHeartbeat(call.task_id), T0 + 7)
    (second,) = timers(beat, "heartbeat")
    stale = engine.step(beat.execution, engine.TimerFired(first.timer_id), first.due)
    status_after_stale_timer = stale.execution.status
    expired = engine.step(stale.execution, engine.TimerFired(second.timer_id), second.due)

    assert CancelTimer(first.timer_id) in beat.effects
    assert second.due == T0 + 17
    assert beat.events == []
    assert stale.events == []
    assert status_after_stale_timer == "RUNNING"
    assert expired.execution.error == "States.HeartbeatTimeout"


def test_heartbeats_keep_a_task_alive_until_it_succeeds():
    machine = machine_of(task(CALLBACK, HeartbeatSeconds=10))
    step = begin(machine, {})
    call = only(step, engine.InvokeTask)

    for beat in range(1, 6):
        step = engine.step(step.execution, engine.TaskHeartbeat(call.task_id), T0 + 8 * beat)
    done = engine.step(step.execution, engine.TaskSucceeded(call.task_id, "ok"), T0 + 45)

    assert done.execution.status == "SUCCEEDED"
    assert done.execution.output == "ok"


def test_timeout_seconds_path_reads_the_timeout_from_the_input():
    machine = machine_of(task(TimeoutSecondsPath="$.limit"))

    started = begin(machine, {"limit": 12})

    assert timers(started, "task-timeout")[0].due == T0 + 12


def test_a_callback_task_times_out_in_the_runner_on_the_virtual_clock():
    machine = machine_of(task(CALLBACK, TimeoutSeconds=3600))

    result = run(machine, {})

    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert result.events[-1]["timestamp"] - result.events[0]["timestamp"] == 3600
