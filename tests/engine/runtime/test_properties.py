"""Property tests over generated state machines and inputs.

1. Robustness: load_machine never raises, and a loaded machine always runs to an end whose error
   is a States.* name or one the definition (or its mocks) can name.
2. Determinism: stepping an execution rebuilt from `to_json()` does exactly what stepping the
   original does, and a run serialised between every step has the in-memory runner's history.

Machines are small graphs of Pass, Choice, Wait, Succeed, Fail, Parallel, Map and Task states
with random paths, payload templates, intrinsics and JSONata expressions. Transitions only go
forward, so every generated run ends without needing the 25,000-event limit.
"""

import copy
import heapq
import itertools
import json
from collections import deque

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from machine_generators import (
    CALLBACK,
    CUSTOM_ERRORS,
    INPUTS,
    JSON_VALUES,
    SERVICE,
    SETTINGS,
    definitions,
    state_dicts,
)

import engine
from engine.clock import VirtualClock
from engine.definition import load_machine
from engine.definition.diagnostics import Code
from engine.integrations import standard
from engine.runtime.effects import CancelTask, CancelTimer, Finish, InvokeTask, StartTimer
from engine.runtime.execution import Execution
from engine.runtime.memory import MemoryRunner
from engine.testing import START, mocks_of

# --- invalid definitions: a valid one with one part broken ------------------------------------

BREAKABLE = [
    "Type", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
    "Seconds", "Timestamp", "SecondsPath", "Choices", "Default", "Branches", "ItemProcessor", "ItemsPath",
    "MaxConcurrency", "Retry", "Catch", "Error", "ErrorPath", "Result", "Assign", "Output", "Arguments",
    "TimeoutSeconds", "HeartbeatSeconds", "Condition", "QueryLanguage", "ItemSelector", "Resource",
]  # fmt: skip
JUNK = st.one_of(
    JSON_VALUES,
    st.sampled_from(
        [
            "Bogus", "Nowhere", "$..", "$.a[", "States.Format(", "States.Nope($)", "{% ( %}",
            "{% $states.input", "$$.Nothing", -1, 0, 1e300, [], {}, [{"ErrorEquals": []}], [{"Next": "S0"}],
            "JSONata", "JSONPath", {"k.$": None}, {"k.$": "$.a"},
        ]
    ),
)  # fmt: skip


@st.composite
def broken_definitions(draw):
    definition = copy.deepcopy(draw(definitions()))
    for _ in range(draw(st.integers(1, 2))):
        target = draw(st.sampled_from([definition, *state_dicts(definition)]))
        key = draw(st.sampled_from(BREAKABLE))
        if draw(st.integers(0, 3)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(JUNK)
    return definition


# --- checks -----------------------------------------------------------------------------------


def fail_state_errors(definition):
    """The errors a definition's Fail states name; None when one computes its error at run time."""
    errors = set(CUSTOM_ERRORS)
    for state in state_dicts(definition):
        if state.get("Type") != "Fail":
            continue
        error = state.get("Error")
        if "ErrorPath" in state or (isinstance(error, str) and error.startswith("{%")):
            return None
        if isinstance(error, str):
            errors.add(error)
    return errors


def assert_ended_properly(result, definition):
    assert result.status in ("SUCCEEDED", "FAILED", "TIMED_OUT"), result.as_json()
    assert result.event_types()[0] == "ExecutionStarted"
    assert result.event_types()[-1] in ("ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut")
    # '' is a known bug (a Fail without Error inside a Parallel or Map): see the xfail tests in
    # tests/engine/states/test_parallel.py and test_map.py
    if result.status == "FAILED" and result.error not in (None, ""):
        allowed = fail_state_errors(definition)
        assert isinstance(result.error, str)
        assert result.error.startswith("States.") or allowed is None or result.error in allowed, (
            result.as_json()
        )
    json.dumps(result.output)  # the output is plain JSON


def mock_responses(draw, definition):
    returns = st.builds(lambda v: {"Return": v}, JSON_VALUES)
    throws = st.sampled_from(
        [
            {"Throw": {"Error": "Custom.Task", "Cause": "mocked"}},
            {"Throw": {"Error": "Custom.A"}},
            {"Throw": {"Error": "States.TaskFailed", "Cause": "c"}},
        ]
    )
    answers = st.integers(0, 3).flatmap(lambda k: returns if k else throws)
    names = [
        name
        for scope in [definition, *state_dicts(definition)]
        for name, state in (scope.get("States") if isinstance(scope.get("States"), dict) else {}).items()
        if isinstance(state, dict) and state.get("Type") == "Task"
    ]
    # a Task inside a Map or a retried one is invoked many times: past its list, the mock fails
    return {name: draw(st.lists(answers, min_size=1, max_size=12)) for name in sorted(names)}


# --- 1. robustness ----------------------------------------------------------------------------


@settings(max_examples=700, **SETTINGS)
@given(data=st.data(), value=INPUTS, seed=st.sampled_from(["0" * 64, "ab" * 32, "f" * 64]))
def test_a_generated_machine_loads_and_runs_to_an_end(data, value, seed):
    definition = data.draw(definitions())
    mocks = mock_responses(data.draw, definition)

    machine, diagnostics = load_machine(definition)

    assert machine is not None, [d.as_json() for d in diagnostics]
    result = MemoryRunner(machine, standard(mocks=mocks_of(mocks)), VirtualClock(START)).run(value, seed=seed)
    assert_ended_properly(result, definition)
    named = result.error is None or result.error.startswith("States.")
    event(f"{result.status} {result.error if named else 'custom'}")
    event(f"{min(len(result.events) // 10 * 10, 50)}+ events")


@settings(max_examples=500, **SETTINGS)
@given(data=st.data(), value=INPUTS)
def test_a_broken_definition_never_makes_load_machine_or_a_run_raise(data, value):
    definition = data.draw(broken_definitions())

    machine, diagnostics = load_machine(definition)

    assert not [d for d in diagnostics if d.code == Code.INTERNAL_VALIDATION_ERROR]
    event("invalid" if machine is None else "still valid")
    if machine is None:
        assert any(d.severity == "ERROR" for d in diagnostics)
        return
    mocks = mock_responses(data.draw, definition)
    result = MemoryRunner(machine, standard(mocks=mocks_of(mocks)), VirtualClock(START)).run(
        value, seed="1" * 64
    )
    assert_ended_properly(result, definition)


@settings(max_examples=300, **SETTINGS)
@given(definition=JSON_VALUES)
def test_arbitrary_json_as_a_definition_never_makes_load_machine_raise(definition):
    machine, diagnostics = load_machine(definition)

    assert machine is None or not [d for d in diagnostics if d.severity == "ERROR"]


# --- 2. determinism ---------------------------------------------------------------------------


class Driver:
    """Feeds an execution happenings chosen from `picks`: answers, heartbeats, timers, bogus ids."""

    def __init__(self, machine, value, seed):
        self.machine = machine
        self.now = START
        self.timers = {}
        self.tasks = {}
        self.stale = ["timer-999", "task-999"]
        self.steps = 0
        step = engine.start(machine, engine.Start(input=value, seed=seed), self.now)
        self.execution = step.execution
        self.absorb(step)

    def absorb(self, step):
        for effect in step.effects:
            if isinstance(effect, StartTimer):
                self.timers[effect.timer_id] = effect.due
            elif isinstance(effect, CancelTimer):
                self.stale.append(effect.timer_id)
                self.timers.pop(effect.timer_id, None)
            elif isinstance(effect, InvokeTask):
                self.tasks[effect.task_id] = effect
            elif isinstance(effect, CancelTask) and self.tasks.pop(effect.task_id, None) is not None:
                self.stale.append(effect.task_id)  # answering it now is a late answer

    def choose(self, pick):
        self.steps += 1
        options = []
        for task_id in sorted(self.tasks):
            answer = engine.TaskSucceeded(task_id, {"answered": task_id, "pick": pick % 7})
            options += [(answer, "answer")] * 3
            options.append(
                (engine.TaskFailed(task_id, CUSTOM_ERRORS[pick % 3], "failed by the driver"), "answer")
            )
            options.append((engine.TaskHeartbeat(task_id), "beat"))
        if self.timers:
            earliest = min(self.timers, key=lambda t: (self.timers[t], t))
            options += [(engine.TimerFired(earliest), "timer")] * 3
        stale = self.stale[pick % len(self.stale)]
        late = engine.TimerFired(stale) if stale.startswith("timer") else engine.TaskSucceeded(stale, "late")
        options.append((late, "stale"))
        if pick % 97 == 0:
            options.append((engine.Stop("Driver.Stop", "picked"), "stop"))
        happening, kind = options[pick % len(options)]
        if kind == "timer":
            self.now = max(self.now, self.timers.pop(happening.timer_id))
        else:
            self.now += pick % 3
        if kind == "answer":
            self.stale.append(happening.task_id)
            del self.tasks[happening.task_id]
        return happening


ENUM_BUG = "returned an unsupported result type"


def hits_the_error_name_enum_bug(events):
    """A predefined error name is an ErrorName enum until a JSON round trip makes it a str, and
    JSONata rejects the enum (xfail tests in states/test_task.py): such runs differ by design now."""
    return any(ENUM_BUG in json.dumps(event, default=str) for event in events)


def replayed_equals_original(machine, execution, happening, now):
    saved = json.loads(json.dumps(execution.to_json()))
    try:
        original = engine.step(execution, happening, now)
    except engine.StatesError as error:
        assume(ENUM_BUG not in str(error))  # it escapes step() from a Catch: see the xfail tests
        raise
    rebuilt = engine.step(Execution.from_json(saved, machine), happening, now)
    assume(not hits_the_error_name_enum_bug(original.events))
    assert rebuilt.events == original.events, happening
    assert rebuilt.effects == original.effects, happening
    assert rebuilt.execution.to_json() == original.execution.to_json()
    return original


@settings(max_examples=400, **SETTINGS)
@given(
    data=st.data(),
    value=INPUTS,
    picks=st.lists(st.integers(0, 10_000), min_size=10, max_size=80),
)
def test_a_step_on_a_rebuilt_execution_equals_the_step_on_the_original(data, value, picks):
    definition = data.draw(definitions(resource=st.sampled_from([CALLBACK, SERVICE]), waiting=True))
    machine, diagnostics = load_machine(definition)
    assert machine is not None, [d.as_json() for d in diagnostics]
    driver = Driver(machine, value, seed="9" * 64)

    for pick in picks:
        if driver.execution.closed:
            break
        happening = driver.choose(pick)
        step = replayed_equals_original(machine, driver.execution, happening, driver.now)
        driver.absorb(step)

    assert driver.execution.status in ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")
    event(f"ended {driver.execution.status}")
    event(f"{min(driver.steps // 5 * 5, 30)}+ steps")


def run_serialised(machine, value, seed, mocks):
    """The in-memory runner's loop, with the execution stored as JSON text between every step."""
    integrations = standard(mocks=mocks_of(mocks))
    clock = VirtualClock(START)
    queue, timers, cancelled, sequence = deque(), [], set(), itertools.count()
    step = engine.start(machine, engine.Start(input=value, seed=seed), clock.now())
    events, finish = [], None
    while True:
        events += step.events
        stored = json.dumps(step.execution.to_json())
        for effect in step.effects:
            if isinstance(effect, InvokeTask):
                queue.append(integrations.invoke(effect).to_happening(effect.task_id))
            elif isinstance(effect, StartTimer):
                heapq.heappush(timers, (effect.due, next(sequence), effect.timer_id))
            elif isinstance(effect, CancelTimer):
                cancelled.add(effect.timer_id)
            elif isinstance(effect, Finish):
                finish = effect
        if finish is not None:
            return events, finish
        happening = None
        if queue:
            happening = queue.popleft()
        while happening is None and timers:
            due, _, timer_id = heapq.heappop(timers)
            if timer_id not in cancelled:
                clock.wait_until(due)
                happening = engine.TimerFired(timer_id)
        assert happening is not None, "a run without callbacks never waits for nothing"
        execution = Execution.from_json(json.loads(stored), machine)
        step = engine.step(execution, happening, clock.now())


@settings(max_examples=400, **SETTINGS)
@given(data=st.data(), value=INPUTS, seed=st.sampled_from(["0" * 64, "7" * 64]))
def test_a_run_serialised_between_every_step_has_the_in_memory_history(data, value, seed):
    definition = data.draw(definitions(waiting=True))
    mocks = mock_responses(data.draw, definition)
    machine, diagnostics = load_machine(definition)
    assert machine is not None, [d.as_json() for d in diagnostics]

    try:
        expected = MemoryRunner(machine, standard(mocks=mocks_of(mocks)), VirtualClock(START)).run(
            value, seed=seed
        )
    except engine.StatesError as error:
        assume(ENUM_BUG not in str(error))  # it escapes step() from a Catch: see the xfail tests
        raise
    assume(not hits_the_error_name_enum_bug(expected.events))

    events, finish = run_serialised(machine, value, seed, mocks)

    event(f"{finish.status}, {sum(e['type'] == 'TaskScheduled' for e in events)} tasks scheduled")
    event(f"timers: {'waited' if events[-1]['timestamp'] > START else 'none'}")

    assert events == expected.events
    assert (finish.status, finish.output, finish.error, finish.cause) == (
        expected.status,
        expected.output,
        expected.error,
        expected.cause,
    )
