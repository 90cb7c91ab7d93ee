"""Execution.to_json() / from_json(): an execution paused anywhere survives a trip through JSON text.

A durable runner stores `to_json()` after every step and rebuilds the execution in another
process; continuing the rebuilt one must do exactly what continuing the original would have.
"""

import json

import pytest

import engine
from engine.runtime.effects import effect_from_json
from engine.runtime.execution import Execution
from engine.runtime.happenings import happening_from_json, happening_to_json
from engine.testing import machine_of

CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
T0 = 1_700_000_000.0

PAUSED = {
    "wait": {"Type": "Wait", "Seconds": 10},
    "task with timers": {"Type": "Task", "Resource": CALLBACK, "TimeoutSeconds": 30, "HeartbeatSeconds": 5},
    "retry pending": {
        "Type": "Task",
        "Resource": CALLBACK,
        "Retry": [{"ErrorEquals": ["States.ALL"], "JitterStrategy": "FULL", "IntervalSeconds": 4}],
    },
    "map mid-flight": {
        "Type": "Map",
        "MaxConcurrency": 2,
        "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"},
        "ItemProcessor": {
            "StartAt": "Ask",
            "States": {"Ask": {"Type": "Task", "Resource": CALLBACK, "Assign": {"got.$": "$"}, "End": True}},
        },
    },
    "parallel mid-flight": {
        "Type": "Parallel",
        "Branches": [
            {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 3, "End": True}}},
            {"StartAt": "Ask2", "States": {"Ask2": {"Type": "Task", "Resource": CALLBACK, "End": True}}},
        ],
    },
}
INPUTS = {"map mid-flight": [{"a": 1}, {"b": [True, None]}, "three"]}


def paused(name):
    machine = machine_of({"Assign": {"outer": 1}, **PAUSED[name]})  # variables travel with it too
    step = engine.start(machine, engine.Start(input=INPUTS.get(name, {"k": "v"}), seed="c" * 64), T0)
    if name == "retry pending":
        (call,) = [e for e in step.effects if isinstance(e, engine.InvokeTask)]
        step = engine.step(step.execution, engine.TaskFailed(call.task_id, "Boom", "x"), T0 + 1)
    return machine, step


def next_happening(step):
    """Whatever would move the paused execution on: answer a task, else fire the earliest timer."""
    calls = [e for e in step.effects if isinstance(e, engine.InvokeTask)]
    if calls:
        return engine.TaskSucceeded(calls[0].task_id, {"answer": calls[0].task_id}), T0 + 2
    timer = min((e for e in step.effects if isinstance(e, engine.StartTimer)), key=lambda t: t.due)
    return engine.TimerFired(timer.timer_id), timer.due


@pytest.mark.parametrize("name", sorted(PAUSED))
def test_to_json_is_plain_json(name):
    _, step = paused(name)

    text = json.dumps(step.execution.to_json(), allow_nan=False)

    assert json.loads(text) == step.execution.to_json()


@pytest.mark.parametrize("name", sorted(PAUSED))
def test_a_rebuilt_execution_continues_exactly_as_the_original(name):
    machine, step = paused(name)
    saved = json.loads(json.dumps(step.execution.to_json()))
    happening, now = next_happening(step)

    original = engine.step(step.execution, happening, now)
    rebuilt = engine.step(Execution.from_json(saved, machine), happening, now)

    assert rebuilt.events == original.events
    assert rebuilt.effects == original.effects
    assert rebuilt.execution.to_json() == original.execution.to_json()


def test_to_json_is_a_snapshot_not_a_view():
    _, step = paused("map mid-flight")
    saved = step.execution.to_json()
    frozen = json.dumps(saved, sort_keys=True)
    happening, now = next_happening(step)

    engine.step(step.execution, happening, now)

    assert json.dumps(saved, sort_keys=True) == frozen


def test_from_json_does_not_share_data_with_what_it_was_given():
    machine, step = paused("map mid-flight")
    saved = step.execution.to_json()
    frozen = json.dumps(saved, sort_keys=True)
    rebuilt = Execution.from_json(saved, machine)
    happening, now = next_happening(step)

    engine.step(rebuilt, happening, now)

    assert json.dumps(saved, sort_keys=True) == frozen


def test_a_finished_execution_round_trips_too():
    machine = machine_of({"Type": "Pass", "Result": {"done": [1, 2]}})
    step = engine.start(machine, engine.Start(input={}), T0)

    rebuilt = Execution.from_json(json.loads(json.dumps(step.execution.to_json())), machine)

    assert (rebuilt.status, rebuilt.output) == ("SUCCEEDED", {"done": [1, 2]})
    assert rebuilt.closed


@pytest.mark.parametrize(
    "happening",
    [
        engine.Start(
            input={"a": [1, None]}, seed="f" * 64, redrive_count=2, machine_type="EXPRESS", synchronous=True
        ),
        engine.TaskSucceeded("task-3", {"x": False}),
        engine.TaskFailed("task-3", "E", None),
        engine.TaskHeartbeat("task-3"),
        engine.TaskStarted("task-3", "worker-1"),
        engine.TimerFired("timer-9"),
        engine.Stop("E", "c"),
    ],
)
def test_happenings_round_trip_through_json(happening):
    text = json.dumps(happening_to_json(happening))

    assert happening_from_json(json.loads(text)) == happening


@pytest.mark.parametrize("name", sorted(PAUSED))
def test_effects_round_trip_through_json(name):
    _, step = paused(name)

    for effect in step.effects:
        assert effect_from_json(json.loads(json.dumps(effect.to_json()))) == effect
