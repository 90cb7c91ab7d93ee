"""kill -9 the worker while executions run: every execution still succeeds, and no state's
attempt is recorded twice.

STATECRAFT_CRASH_EXECUTIONS and STATECRAFT_CRASH_KILLS scale it; the issue's full bar is 200
executions and 3 kills (the suite's default is smaller, to stay fast).
"""

import json
import os
import random
import time
from collections import Counter

import pytest
import workload  # noqa: F401  (the same functions the workers run)

import engine
from designer import functions
from designer.models import Execution, HistoryEvent, Status
from designer.services import executions, state_machines
from engine.integrations import standard
from engine.runtime.memory import run

pytestmark = pytest.mark.django_db(transaction=True)

EXECUTIONS = int(os.environ.get("STATECRAFT_CRASH_EXECUTIONS", "16"))
KILLS = int(os.environ.get("STATECRAFT_CRASH_KILLS", "2"))
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:{}"

MIXED = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Parameters": {"n.$": "$.n", "items": [1, 2, 3]}, "Next": "Bump"},
        "Bump": {
            "Type": "Task",
            "Resource": FUNCTION.format("bump"),
            "ResultPath": "$.bumped",
            "Next": "Pause",
        },
        "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Each"},
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "StartAt": "Label",
                "States": {
                    "Label": {"Type": "Pass", "Next": "Square"},
                    "Square": {"Type": "Task", "Resource": FUNCTION.format("square"), "End": True},
                },
            },
            "ResultPath": "$.squares",
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "End": True},
    },
}


def attempts(events):
    """(event type, state name) for every event about a state: each must appear exactly as often
    as in an undisturbed run, or a transition was lost or recorded twice."""
    names = {}
    for event in events:
        for key, details in event.items():
            if key.endswith("EventDetails") and isinstance(details, dict) and "name" in details:
                names[event["id"]] = details["name"]
    return Counter((event["type"], names.get(event["id"])) for event in events)


def recorded_events() -> int:
    return HistoryEvent.objects.count()


def wait_for(condition, seconds: float, what: str, workers) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {seconds} s\n{workers.logs()}"
        time.sleep(0.05)


def test_every_execution_survives_a_worker_killed_mid_run(workers, django_user_model):
    owner = django_user_model.objects.create(username="alice")
    machine = state_machines.create(owner, "mixed", json.dumps(MIXED))
    compiled, _ = engine.load_machine(MIXED)
    undisturbed = run(compiled, {"n": 1}, integrations=standard(functions=functions.registry))
    total = len(undisturbed.events) * EXECUTIONS
    started = [executions.start(machine, {"n": n}) for n in range(EXECUTIONS)]
    workers.start()

    for kill in range(1, KILLS + 1):
        # Kill when the run is well under way, at a moment no test chose.
        due = total * kill // (KILLS + 2)
        wait_for(lambda due=due: recorded_events() >= due, 30 + EXECUTIONS, "no progress", workers)
        time.sleep(random.uniform(0, 0.3))
        workers.kill()
        workers.start()
    running = Execution.objects.filter(status=Status.RUNNING)
    wait_for(lambda: not running.exists(), 30 + EXECUTIONS, "not all ended", workers)

    finished = {e.pk: e for e in Execution.objects.all()}
    assert [finished[e.pk].status for e in started] == [Status.SUCCEEDED] * EXECUTIONS, workers.logs()
    expected = attempts(undisturbed.events)
    for execution in started:
        events = list(finished[execution.pk].history.order_by("event_id").values_list("data", flat=True))
        assert [e["id"] for e in events] == list(range(1, len(events) + 1))
        assert attempts(events) == expected, execution.name
        assert finished[execution.pk].output["squares"] == [1, 4, 9]
