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

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import engine
from engine.clock import VirtualClock
from engine.definition import load_machine
from engine.definition.diagnostics import Code
from engine.integrations import standard
from engine.runtime.effects import CancelTask, CancelTimer, Finish, InvokeTask, StartTimer
from engine.runtime.execution import Execution
from engine.runtime.memory import MemoryRunner
from engine.testing import START, mocks_of

SERVICE = "arn:aws:states:::sns:publish"
CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
CUSTOM_ERRORS = ["Custom.A", "Custom.B", "Custom.Task"]
SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

# --- pools of the pieces definitions are made of ----------------------------------------------
# Each pool has safe pieces (they work on the friendly inputs below) and risky ones (they fail
# on most inputs). Risky pieces come now and then, so runs go deep before something breaks.

PATHS = (["$", "$.a", "$.n", "$.items", "$.s", "$.a.b"], ["$.missing", "$..n", "$.items[*]", "$.items[0]"])
CONTEXT_PATHS = ["$$.State.Name", "$$.Execution.Input", "$$.State.RetryCount", "$$.Execution.StartTime"]
INTRINSICS = (
    [
        "States.Format('{} and {}', $.a, $.n)",
        "States.Array($.n, 1, 'x')",
        "States.MathAdd($.n, 1)",
        "States.JsonToString($)",
        "States.ArrayLength($.items)",
        "States.ArrayPartition($.items, 2)",
        "States.ArrayRange(1, 5, 2)",
        "States.ArrayUnique($.items)",
        "States.ArrayContains($.items, 1)",
        "States.StringSplit($.s, ',')",
        "States.Hash($.s, 'SHA-256')",
        "States.Base64Encode($.s)",
        "States.JsonMerge($.a, $.b, false)",
        "States.UUID()",
        "States.MathRandom(1, 10)",
    ],
    ["States.StringToJson($.s)", "States.ArrayGetItem($.items, 0)", "States.Base64Decode($.s)"],
)
EXPRESSIONS = (
    [
        "{% $states.input %}",
        "{% $states.input.a %}",
        "{% $states.input.n + 1 %}",
        "{% $count($states.input.items) %}",
        "{% $states.context.State.Name %}",
        "{% $string($states.input) %}",
        "{% $random() %}",
    ],
    ["{% $v %}", "{% $states.input.items[0] %}", "{% $undefinedThing %}", "{% $states.input.s + 1 %}"],
)
RESULT_EXPRESSIONS = ["{% $states.result %}", "{% [$states.input, $states.result] %}"]
CONDITIONS = (
    ["{% $states.input.n > 1 %}", "{% $exists($states.input.a) %}", "{% $states.input.s = 'x' %}"],
    ["{% $states.input %}", "{% $v = 1 %}"],
)
RULES = (
    [
        {"Variable": "$.n", "NumericGreaterThan": 1},
        {"Variable": "$.n", "NumericEqualsPath": "$.m"},
        {"Variable": "$.s", "StringEquals": "x"},
        {"Variable": "$.s", "StringMatches": "x*"},
        {"Variable": "$.a", "IsPresent": True},
        {"Variable": "$.flag", "BooleanEquals": False},
        {"Variable": "$.t", "TimestampLessThan": "2020-01-01T00:00:00Z"},
        {"Variable": "$.items", "IsNull": False},
        {"Not": {"Variable": "$.n", "IsNumeric": True}},
        {"And": [{"Variable": "$.n", "IsNumeric": True}, {"Variable": "$.n", "NumericLessThan": 5}]},
        {"Or": [{"Variable": "$.s", "IsString": True}, {"Variable": "$$.State.Name", "StringEquals": "S1"}]},
    ],
    [{"Variable": "$.missing", "NumericEquals": 1}],
)
TIMESTAMPS = [
    "2016-03-14T01:59:00Z",
    "2024-01-01T00:00:30Z",
    "2024-01-01T01:00:00+01:00",
    "2024-01-01T00:02:00.5Z",
]
ERROR_SETS = [
    ["States.ALL"],
    ["Custom.A"],
    ["States.TaskFailed"],
    ["Custom.Task", "States.Timeout"],
    ["States.Runtime"],
]

KEYS = st.sampled_from(["a", "b", "n", "m", "s", "items", "x", "", "Ü"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["x", "x,y", "", '{"a":1}', "aGk=", *TIMESTAMPS]),
    st.text(max_size=6),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=8,
)
FRIENDLY_INPUTS = st.fixed_dictionaries(
    {
        "a": st.dictionaries(st.just("b"), JSON_VALUES),
        "b": st.dictionaries(KEYS, SCALARS, max_size=2),
        "n": st.integers(-3, 10),
        "m": st.integers(-3, 10),
        "s": st.sampled_from(["x", "x,y", "zz", "xa"]),
        "items": st.lists(st.one_of(st.integers(0, 3), JSON_VALUES), max_size=4),
        "flag": st.booleans(),
        "t": st.sampled_from(TIMESTAMPS),
        "delay": st.integers(0, 40),
        "until": st.sampled_from(TIMESTAMPS),
        "e": st.sampled_from(["Custom.A", "Custom.B"]),
        "c": st.just("why"),
    }
)
FRIENDLY_KEYS = ["a", "b", "n", "m", "s", "items", "flag", "t", "delay", "until", "e", "c"]
ODD_INPUTS = st.fixed_dictionaries(
    {},
    optional={
        "a": JSON_VALUES,
        "n": st.one_of(st.integers(-3, 10), SCALARS),
        "s": st.sampled_from(["x", '{"k":[1]}', "aGk=", ""]),
        "items": st.lists(JSON_VALUES, max_size=4),
        "delay": st.one_of(st.integers(-1, 40), st.sampled_from([1.5, "3", None])),
        "until": st.sampled_from([*TIMESTAMPS, "not a time", 7]),
        "e": st.sampled_from(["Custom.A", "Whatever", 3]),
    },
)
INPUTS = st.integers(0, 5).flatmap(
    lambda k: FRIENDLY_INPUTS if k < 4 else ODD_INPUTS if k == 4 else JSON_VALUES
)


def pick(draw, pool, odds=15):
    """Mostly a safe piece of a (safe, risky) pool, one time in `odds` a risky one."""
    safe, risky = pool
    if risky and draw(st.integers(1, odds)) == 1:
        return copy.deepcopy(draw(st.sampled_from(risky)))
    return copy.deepcopy(draw(st.sampled_from(safe)))


# --- generated definitions --------------------------------------------------------------------


class Names:
    """Unique state names for one definition; `busy` asks for more Wait and Task states."""

    def __init__(self, busy=False) -> None:
        self._count = itertools.count()
        self.busy = busy

    def fresh(self) -> str:
        return f"S{next(self._count)}"


def optional(draw, state, key, values):
    if draw(st.booleans()):
        state[key] = draw(values)


def template(draw, paths=PATHS, depth=0):
    """A payload template: static values, `.$` paths, context paths and intrinsics."""
    size = draw(st.integers(0, 3))
    result = {}
    for i in range(size):
        kind = draw(st.integers(0, 4 if depth < 1 else 3))
        if kind == 0:
            result[f"p{i}"] = draw(JSON_VALUES)
        elif kind == 1:
            result[f"p{i}.$"] = pick(draw, paths)
        elif kind == 2:
            result[f"p{i}.$"] = draw(st.sampled_from(CONTEXT_PATHS))
        elif kind == 3:
            result[f"p{i}.$"] = pick(draw, INTRINSICS)
        else:
            result[f"p{i}"] = template(draw, paths, depth + 1)
    return result


RESULT_PATHS = (["$"], ["$.a", "$[0]", "$.Payload"])  # a result has any shape: only "$" is safe


def jsonata_value(draw, with_result=False):
    safe, risky = EXPRESSIONS
    pool = (safe + RESULT_EXPRESSIONS if with_result else safe, risky)
    if draw(st.booleans()):
        return pick(draw, pool)
    return {"v": pick(draw, pool), "fixed": draw(JSON_VALUES)}


def rarely(draw, odds=5):
    return draw(st.integers(1, odds)) == 1


# Fields that reshape a state's output come rarely, and results mostly go beside the input: the
# next states then still find the friendly input's keys and runs go deeper before they fail.
RESULT_PATH = (["$.r", "$.r", "$.a.b", None], ["$", "$.items"])


def path_fields(draw, state, result=False, parameters=True):
    if rarely(draw):
        state["InputPath"] = draw(st.sampled_from(["$", "$.a", "$.items", None]))
    if rarely(draw):
        state["OutputPath"] = draw(st.sampled_from(["$", "$.a", "$.n", None]))
    if parameters and rarely(draw, 3):
        state["Parameters"] = template(draw)
    if result:
        state["ResultPath"] = pick(draw, RESULT_PATH, odds=4)
        if rarely(draw, 4):
            state["ResultSelector"] = template(draw, RESULT_PATHS)
    if rarely(draw, 3):
        # a JSONPath Assign reads the state's result: only "$" and the context are always there
        state["Assign"] = {"v": draw(JSON_VALUES), "w.$": pick(draw, (["$", "$$.State.Name"], PATHS[0]))}


def jsonata_fields(draw, state, result=False, arguments=False):
    state["QueryLanguage"] = "JSONata"
    if rarely(draw, 4):
        state["Output"] = jsonata_value(draw, with_result=result)
    elif result and not rarely(draw, 4):
        state["Output"] = "{% $merge([$states.input, {'r': $states.result}]) %}"
    if arguments and draw(st.booleans()):
        state["Arguments"] = jsonata_value(draw)
    if rarely(draw, 3):
        state["Assign"] = {"v": draw(st.sampled_from([1, *EXPRESSIONS[0][:4]]))}


def retrier(draw, errors):
    return {
        "ErrorEquals": draw(st.sampled_from(errors)),
        "IntervalSeconds": draw(st.integers(1, 5)),
        "MaxAttempts": draw(st.integers(0, 3)),
        "BackoffRate": draw(st.sampled_from([1, 1.5, 2, 3])),
        **draw(st.sampled_from([{}, {"MaxDelaySeconds": 4}, {"JitterStrategy": "FULL"}])),
    }


def recovery(draw, state, later):
    if draw(st.booleans()):
        state["Retry"] = [retrier(draw, ERROR_SETS)]
        if draw(st.booleans()):  # States.ALL may only come last
            state["Retry"].insert(0, retrier(draw, ERROR_SETS[1:]))
    if later and draw(st.booleans()):
        catcher = {"ErrorEquals": draw(st.sampled_from(ERROR_SETS)), "Next": draw(st.sampled_from(later))}
        if state.get("QueryLanguage") != "JSONata":
            # no "$.error": a Catch ResultPath that cannot be applied (the input is no object) makes
            # step() raise; see the xfail tests in states/test_task.py and test_parallel.py
            optional(draw, catcher, "ResultPath", st.sampled_from(["$", None]))
        state["Catch"] = [catcher]


@st.composite
def states_of(draw, names, depth, resource):
    """A scope: states chained forward, so every state is reachable and every run ends."""
    count = draw(st.integers(1, 5 if depth == 0 else 3))
    order = [names.fresh() for _ in range(count)]
    states = {}
    for i, name in enumerate(order):
        later = order[i + 1 :]
        states[name] = draw(one_state(names, depth, later, resource))
    return {"StartAt": order[0], "States": states}


@st.composite
def one_state(draw, names, depth, later, resource):
    # repeats weigh the draw: Fail ends a branch, so it comes rarely and only last
    kinds = ["Pass"] * 3 + ["Wait", "Task"] * (6 if names.busy else 2)
    kinds += ["Choice"] * 2 if later else ["Succeed", "Fail"]
    if depth < 2:
        kinds += ["Parallel", "Map"]
    kind = draw(st.sampled_from(kinds))
    jsonata = draw(st.integers(0, 4)) == 0
    state = {"Type": kind}
    BUILDERS[kind](draw, state, jsonata, later, names, depth, resource)
    if kind not in ("Choice", "Succeed", "Fail"):
        if later:
            state["Next"] = later[0]
        else:
            state["End"] = True
    return state


def build_pass(draw, state, jsonata, later, names, depth, resource):
    if jsonata:
        jsonata_fields(draw, state)
        return
    path_fields(draw, state)
    if draw(st.booleans()):
        state["Result"] = draw(JSON_VALUES)
        state["ResultPath"] = pick(draw, RESULT_PATH, odds=4)


def build_wait(draw, state, jsonata, later, names, depth, resource):
    if jsonata:
        jsonata_fields(draw, state)
        state["Seconds"] = draw(st.sampled_from([0, 3, "{% $states.input.delay %}", "{% 2 %}"]))
        return
    path_fields(draw, state, parameters=False)
    field = draw(st.sampled_from(["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]))
    values = {
        "Seconds": st.integers(0, 60),
        "Timestamp": st.sampled_from(TIMESTAMPS),
        "SecondsPath": st.just("$.delay"),
        "TimestampPath": st.just("$.until"),
    }
    state[field] = draw(values[field])


def build_task(draw, state, jsonata, later, names, depth, resource):
    state["Resource"] = draw(resource)
    if jsonata:
        jsonata_fields(draw, state, result=True, arguments=True)
    else:
        path_fields(draw, state, result=True)
    timing = draw(
        st.sampled_from([{}, {"TimeoutSeconds": 20}, {"TimeoutSeconds": 30, "HeartbeatSeconds": 7}])
    )
    state.update(timing)
    recovery(draw, state, later)


def build_choice(draw, state, jsonata, later, names, depth, resource):
    if jsonata:
        state["QueryLanguage"] = "JSONata"
        rules = [{"Condition": pick(draw, CONDITIONS)} for _ in range(draw(st.integers(1, 2)))]
    else:
        path_fields(draw, state, parameters=False)
        rules = [pick(draw, RULES) for _ in range(draw(st.integers(1, 2)))]
    for rule in rules:
        rule["Next"] = draw(st.sampled_from(later))
    state["Choices"] = rules
    # the chain's next state stays reachable through Default (or through a rule, sometimes)
    if draw(st.integers(0, 3)) > 0 or all(rule["Next"] != later[0] for rule in rules):
        state["Default"] = later[0]


def build_succeed(draw, state, jsonata, later, names, depth, resource):
    if jsonata:
        jsonata_fields(draw, state)
        state.pop("Assign", None)
    else:
        path_fields(draw, state, parameters=False)
        state.pop("Assign", None)


def build_fail(draw, state, jsonata, later, names, depth, resource):
    if jsonata:
        state["QueryLanguage"] = "JSONata"
        optional(draw, state, "Error", st.sampled_from([*CUSTOM_ERRORS, "{% 'Custom.' & 'B' %}"]))
        optional(draw, state, "Cause", st.sampled_from(["why", "{% $string($states.input) %}"]))
        return
    choice = draw(st.integers(0, 3))
    if choice == 0:
        state["ErrorPath"] = draw(st.sampled_from(["$.e", "States.Format('Custom.{}', $.n)"]))
        state["CausePath"] = draw(st.sampled_from(["$.c", "$.s"]))
    elif choice > 1:
        state["Error"] = draw(st.sampled_from(CUSTOM_ERRORS))
        optional(draw, state, "Cause", st.sampled_from(["because", ""]))


def spell_out_jsonpath(scope):
    """Name JSONPath on the states inside a JSONata Parallel or Map: compile.py wrongly makes them
    inherit the enclosing state's language (see the xfail tests in states/test_parallel.py)."""
    for inner in state_dicts(scope):
        inner.setdefault("QueryLanguage", "JSONPath")


def build_parallel(draw, state, jsonata, later, names, depth, resource):
    state["Branches"] = [draw(states_of(names, depth + 1, resource)) for _ in range(draw(st.integers(1, 2)))]
    if jsonata:
        spell_out_jsonpath(state["Branches"])
    if jsonata:
        jsonata_fields(draw, state, result=True, arguments=True)
    else:
        path_fields(draw, state, result=True)
    recovery(draw, state, later)


def build_map(draw, state, jsonata, later, names, depth, resource):
    state["ItemProcessor"] = draw(states_of(names, depth + 1, resource))
    if jsonata:
        spell_out_jsonpath(state["ItemProcessor"])
    if draw(st.integers(0, 4)) == 0:
        state["ItemProcessor"]["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
        optional(draw, state, "ToleratedFailureCount", st.integers(0, 2))
        optional(draw, state, "ItemBatcher", st.just({"MaxItemsPerBatch": 2}))
    if jsonata:
        jsonata_fields(draw, state, result=True)
        state["Items"] = pick(draw, (["{% $states.input.items %}", "{% [1, 2] %}"], ["{% $states.input %}"]))
        friendly = {key: f"{{% $states.input.{key} %}}" for key in FRIENDLY_KEYS}
        item = {"i": "{% $states.context.Map.Item.Index %}", "v": "{% $states.context.Map.Item.Value %}"}
        state["ItemSelector"] = item if rarely(draw) else {**friendly, **item}
    else:
        path_fields(draw, state, result=True, parameters=False)
        state["ItemsPath"] = pick(draw, (["$.items"], ["$", "$.a", "$.missing"]), odds=5)
        # iterations get the friendly keys back from the Map's input, beside their item
        item = {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"}
        friendly = {f"{key}.$": f"$.{key}" for key in FRIENDLY_KEYS}
        state["ItemSelector"] = (
            draw(st.sampled_from([item, {"fixed": 1}])) if rarely(draw) else {**friendly, **item}
        )
    optional(draw, state, "MaxConcurrency", st.integers(0, 3))
    recovery(draw, state, later)


BUILDERS = {
    "Pass": build_pass,
    "Wait": build_wait,
    "Task": build_task,
    "Choice": build_choice,
    "Succeed": build_succeed,
    "Fail": build_fail,
    "Parallel": build_parallel,
    "Map": build_map,
}


@st.composite
def definitions(draw, resource=None, waiting=False):
    """A definition; with `waiting`, one that starts with a Wait or a retrying Task."""
    tasks = resource if resource is not None else st.just(SERVICE)
    definition = draw(states_of(Names(busy=waiting), 0, tasks))
    if waiting:
        lead = {"Type": draw(st.sampled_from(["Wait", "Task"])), "Next": definition["StartAt"]}
        if lead["Type"] == "Wait":
            lead["Seconds"] = draw(st.integers(0, 30))
        else:
            lead.update(Resource=draw(tasks), ResultPath="$.r", TimeoutSeconds=draw(st.integers(5, 60)))
            lead["Retry"] = [retrier(draw, [["States.ALL"]])]
        definition = {"StartAt": "Lead", "States": {"Lead": lead, **definition["States"]}}
    optional(draw, definition, "TimeoutSeconds", st.integers(1, 200))
    return definition


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


def state_dicts(node):
    """Every dict that looks like a state, anywhere in a definition."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if "Type" in current:
                found.append(current)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


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
