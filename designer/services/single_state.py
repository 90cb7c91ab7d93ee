"""The single-state test, as AWS's TestState answers at inspection level DEBUG.

One state, one input and, if wanted, a mocked task outcome; the real engine runs the state and
every stage of its data flow is shown: the input after InputPath, after Parameters, the result,
after ResultSelector, after ResultPath, and the output, with the status, error, cause and the
state it would go to next.

How: the state runs alone in a machine of its own, each state it may go to replaced by a
stand-in (so its targets need not exist, and the run ends as soon as it leaves). The task's
parameters, its result and the output come from that run's history. The other stages come
from running the same state cut short after the field in question (a Pass state with only its
InputPath gives the value after InputPath, and so on), so there is one engine and no second
implementation of the data flow to drift from it. Nothing is stored.
"""

from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import engine
from designer import functions
from designer.services import integrations
from designer.services.errors import ServiceError
from engine.definition.diagnostics import pointer
from engine.integrations import TaskOutcome, parse_resource, standard
from engine.json import JSON, MISSING
from engine.runtime.effects import CancelTimer, Finish, InvokeTask, StartTimer

SUPPORTED = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail")
NO_END = ("Choice", "Succeed", "Fail")  # states that need neither Next nor End
STAND_IN = "statecraft.next.{}"
PLAIN_RESOURCE = "arn:aws:states:::lambda:invoke"  # for the cut-short runs, which never invoke it
DEFAULT_NAME = "TestState"
START = 1_704_067_200.0  # the virtual clock: a Wait of a year ends at once
MAX_TURNS = 100
# Task events by resource kind (Task, LambdaFunction for function ARNs, Activity), and where the
# scheduled event keeps the task's input.
SCHEDULED = {"TaskScheduled": "parameters", "LambdaFunctionScheduled": "input", "ActivityScheduled": "input"}
SUCCEEDED = ("TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded")
TASK_EVENTS = ("Task", "LambdaFunction", "Activity")

Answer = Callable[[InvokeTask], TaskOutcome]


@dataclass(frozen=True)
class Mock:
    """A task outcome given instead of invoking the resource: a result, or an error and cause."""

    result: JSON = None
    error: str | None = None
    cause: str | None = None

    def outcome(self, call: InvokeTask) -> TaskOutcome:
        if self.error is not None:
            return TaskOutcome.failed(self.error, self.cause)
        return TaskOutcome.succeeded(self.result)


@dataclass
class Trace:
    """What one run of the state showed."""

    status: str = "FAILED"  # SUCCEEDED | FAILED | RETRIABLE | CAUGHT_ERROR, as TestState says
    output: JSON = MISSING
    next_state: str | None = None
    error: str | None = None
    cause: str | None = None
    parameters: JSON = MISSING  # what the task was invoked with
    result: JSON = MISSING  # what the task returned
    variables: JSON = MISSING  # what Assign set


def run(
    definition: JSON, input: JSON, *, state_name: str | None = None, mock: Mock | None = None
) -> dict[str, Any]:
    """Test one state: `definition` is a state (an object with Type), or a whole state machine
    (text or object) with `state_name` naming the state in it (default: its StartAt)."""
    state, name, query_language = _pick(definition, state_name)
    _check_supported(state, mock)
    answer = mock.outcome if mock is not None else _invoke
    main = _trace(state, name, input, query_language, answer, strict=True)
    return {
        "status": main.status,
        "output": None if main.output is MISSING else main.output,
        "next_state": main.next_state,
        "error": main.error,
        "cause": main.cause,
        "inspection_data": dict(_stages(state, name, input, query_language, main)),
    }


def _pick(definition: JSON, state_name: str | None) -> tuple[dict[str, Any], str, str | None]:
    """(the state, its name, the machine's QueryLanguage) from what the caller sent."""
    if isinstance(definition, str):
        document, diagnostics = engine.load_document(definition)
        if document is None:
            problems = [d.as_json() for d in diagnostics]
            raise ServiceError(
                "InvalidDefinition", f"The definition cannot be read: {problems[0]['message']}", problems
            )
        definition = document
    if isinstance(definition, dict) and isinstance(definition.get("Type"), str):
        return definition, state_name if state_name is not None else DEFAULT_NAME, None
    if not isinstance(definition, dict) or not isinstance(definition.get("States"), dict):
        raise ServiceError(
            "ValidationException",
            "Send one state (an object with Type), or a whole definition (with States) and a state_name.",
        )
    name = state_name if state_name is not None else definition.get("StartAt")
    state = next((s for n, s in _all_states(definition) if n == name), None)
    if not isinstance(name, str) or not isinstance(state, dict):
        raise ServiceError("ValidationException", f"The definition has no state named {name!r}.")
    language = definition.get("QueryLanguage")
    return state, name, language if isinstance(language, str) else None


def _all_states(scope: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every state of a definition, nested Parallel branches and Map processors included."""
    states = scope.get("States")
    if not isinstance(states, dict):
        return
    for name, state in states.items():
        yield name, state
        if not isinstance(state, dict):
            continue
        branches = state.get("Branches")
        for inner in [
            *(branches if isinstance(branches, list) else []),
            state.get("ItemProcessor"),
            state.get("Iterator"),
        ]:
            if isinstance(inner, dict):
                yield from _all_states(inner)


def _check_supported(state: dict[str, Any], mock: Mock | None) -> None:
    if state.get("Type") not in SUPPORTED:
        raise ServiceError(
            "ValidationException",
            f"The single-state test runs {', '.join(SUPPORTED)} states, not {state.get('Type')!r}; "
            "test a Parallel or Map state by running its state machine.",
        )
    if state["Type"] != "Task" or mock is not None or not isinstance(state.get("Resource"), str):
        return
    resource = parse_resource(state["Resource"])
    waits = resource.kind == "activity" or resource.pattern != "request-response"
    if waits or resource.is_service("states", "startExecution"):
        raise ServiceError(
            "ValidationException",
            "This Task waits for a worker, a callback or another execution: give a mock result or error.",
        )


def _invoke(call: InvokeTask) -> TaskOutcome:
    """Carry out a Task for real, as an Express execution would: local functions and HTTP."""
    return standard(functions=functions.registry, http=integrations.http()).invoke(call)


def _trace(
    state: dict[str, Any], name: str, input: JSON, query_language: str | None, answer: Answer, strict: bool
) -> Trace:
    """Run `state` alone on `input`. `strict`: an invalid state is the caller's error (else MISSING)."""
    definition, stand_ins = _machine(state, name, query_language)
    machine, diagnostics = engine.load_machine(definition)
    if machine is None:
        if not strict:
            return Trace()
        raise _invalid(diagnostics, name)
    events, finish, retrying = _drive(machine, input, answer)
    return _read(events, name, stand_ins, finish, retrying)


def _machine(
    state: dict[str, Any], name: str, query_language: str | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """A machine of `state` alone; each target it names becomes a Succeed stand-in."""
    stand_ins: dict[str, str] = {}

    def stand_in(target: Any) -> Any:
        if not isinstance(target, str):
            return target  # validation says what is wrong with it
        key = STAND_IN.format(len(stand_ins))
        stand_ins[key] = target
        return key

    state = dict(state)
    for key in ("Next", "Default"):
        if key in state:
            state[key] = stand_in(state[key])
    for key in ("Choices", "Catch"):
        if isinstance(state.get(key), list):
            state[key] = [
                {**rule, "Next": stand_in(rule["Next"])}
                if isinstance(rule, dict) and "Next" in rule
                else rule
                for rule in state[key]
            ]
    if "Next" not in state and "End" not in state and state.get("Type") not in NO_END:
        state["End"] = True
    definition: dict[str, Any] = {
        "StartAt": name,
        "States": {name: state, **{key: {"Type": "Succeed"} for key in stand_ins}},
    }
    if query_language is not None:
        definition["QueryLanguage"] = query_language
    return definition, stand_ins


def _invalid(diagnostics: list[engine.Diagnostic], name: str) -> ServiceError:
    """Errors located in the state as sent: "/Next", not "/States/TestState/Next"."""
    prefix = pointer("States", name)
    problems = [
        {**d.as_json(), "location": d.location.removeprefix(prefix)}
        for d in diagnostics
        if d.severity == engine.Severity.ERROR
    ]
    first = problems[0]["message"] if problems else "it does not compile"
    return ServiceError("InvalidDefinition", f"The state is not valid: {first}", problems)


def _drive(
    machine: engine.StateMachine, input: JSON, answer: Answer
) -> tuple[list[dict[str, Any]], Finish | None, bool]:
    """Step the engine until the state is left: (events, the Finish if it ended, whether a retry is due)."""
    now = START
    begun = engine.start(machine, engine.Start(input=input, seed=secrets.token_hex(32)), now)
    execution, events, effects = begun.execution, list(begun.events), deque(begun.effects)
    happenings: deque[engine.Happening] = deque()
    happening: engine.Happening
    timers: dict[str, float] = {}
    for _ in range(MAX_TURNS):
        while effects:
            effect = effects.popleft()
            if isinstance(effect, Finish):
                return events, effect, False
            if isinstance(effect, StartTimer):
                if effect.purpose == "retry":
                    return events, None, True  # TestState stops here: RETRIABLE
                timers[effect.timer_id] = effect.due
            elif isinstance(effect, CancelTimer):
                timers.pop(effect.timer_id, None)
            elif isinstance(effect, InvokeTask):
                outcome = answer(effect).to_happening(effect.task_id)
                if outcome is None:
                    raise ServiceError(
                        "ValidationException", "The task waits for a callback: give a mock result."
                    )
                happenings.append(outcome)
        if happenings:
            happening = happenings.popleft()
        elif timers:
            timer_id = min(timers, key=timers.__getitem__)
            now = max(now, timers.pop(timer_id))
            happening = engine.TimerFired(timer_id)
        else:
            break
        stepped = engine.step(execution, happening, now)
        execution = stepped.execution
        events.extend(stepped.events)
        effects.extend(stepped.effects)
    return events, None, False


def _read(
    events: list[dict[str, Any]], name: str, stand_ins: dict[str, str], finish: Finish | None, retrying: bool
) -> Trace:
    trace = Trace()
    failure: dict[str, Any] = {}
    exited = False
    for event in events:
        kind = event["type"]
        details = next((v for k, v in event.items() if k.endswith("EventDetails")), None) or {}
        if kind in SCHEDULED:
            trace.parameters = details.get(SCHEDULED[kind])
        elif kind in SUCCEEDED:
            trace.result = details.get("output")
        elif kind.startswith(TASK_EVENTS) and kind.endswith(("Failed", "TimedOut")):
            failure = details
        elif kind.endswith("StateExited") and details.get("name") == name:
            exited, trace.output = True, details.get("output")
            trace.variables = details.get("assignedVariables", MISSING)
        elif kind.endswith("StateEntered") and details.get("name") in stand_ins:
            trace.next_state = stand_ins[details["name"]]
            if not exited:  # a Catcher took the error: its output is the next state's input
                trace.output = details.get("input")
            break
    # The engine records the state's exit on a catch too (as AWS does): a failure before it means caught
    caught = trace.next_state is not None and (not exited or bool(failure))
    if retrying or caught:
        trace.status = "RETRIABLE" if retrying else "CAUGHT_ERROR"
        trace.error, trace.cause = failure.get("error"), failure.get("cause")
    elif exited:
        trace.status = "SUCCEEDED"
    elif finish is not None:
        trace.error, trace.cause = finish.error, finish.cause
    return trace


def _stages(
    state: dict[str, Any], name: str, input: JSON, query_language: str | None, main: Trace
) -> Iterator[tuple[str, JSON]]:
    """The inspection data, stage by stage, up to the first stage that failed."""
    yield "input", input
    language = state.get("QueryLanguage", query_language)
    if language == "JSONata":
        yield from _present(after_arguments=main.parameters, result=main.result, variables=main.variables)
        return
    kind = state["Type"]

    def cut(fields: dict[str, Any], value: JSON, answer: Answer = _never) -> JSON:
        return _trace(fields, name, value, query_language, answer, strict=False).output

    after_input = (
        cut({"Type": "Pass", "InputPath": state["InputPath"]}, input) if "InputPath" in state else input
    )
    if after_input is MISSING:
        return
    yield "after_input_path", after_input
    if kind not in ("Pass", "Task"):
        yield from _present(variables=main.variables)
        return
    if kind == "Task":
        after_parameters = main.parameters
    elif "Parameters" in state:
        kept: dict[str, Any] = {k: state[k] for k in ("InputPath", "Parameters") if k in state}
        after_parameters = cut({"Type": "Pass", **kept}, input)
    else:
        after_parameters = after_input
    result = main.result if kind == "Task" else state.get("Result", after_parameters)
    if after_parameters is MISSING or result is MISSING:
        yield from _present(after_parameters=after_parameters)
        return
    yield "after_parameters", after_parameters
    yield "result", result
    selected = result
    if "ResultSelector" in state:
        selector = {"Type": "Task", "Resource": PLAIN_RESOURCE, "ResultSelector": state["ResultSelector"]}
        selected = cut(selector, {}, Mock(result).outcome)
    if selected is MISSING:
        return
    yield "after_result_selector", selected
    placed = (
        cut({"Type": "Pass", "Result": selected, "ResultPath": state["ResultPath"]}, input)
        if "ResultPath" in state
        else selected
    )
    yield from _present(after_result_path=placed, variables=main.variables)


def _present(**stages: JSON) -> Iterator[tuple[str, JSON]]:
    return ((key, value) for key, value in stages.items() if value is not MISSING)


def _never(call: InvokeTask) -> TaskOutcome:
    return TaskOutcome.failed("States.Runtime", "The cut-short run of a stage invokes nothing.")
