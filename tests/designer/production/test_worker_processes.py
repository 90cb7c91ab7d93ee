"""Executions on PostgreSQL and Redis, run by real `celery -A designer worker` processes."""

import json
import time

import pytest

from designer.models import Execution, Status
from designer.services import activities, callbacks, executions, state_machines

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until_closed(execution, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        execution.refresh_from_db()
        if execution.is_closed:
            return execution
        time.sleep(0.02)
    raise AssertionError(f"{execution.name} still {execution.status} after {seconds} s")


def test_a_one_second_wait_fires_within_about_a_second(workers, django_user_model):
    owner = django_user_model.objects.create(username="alice")
    definition = {
        "StartAt": "Bump",
        "States": {
            "Bump": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:bump",
                "Next": "Pause",
            },
            "Pause": {"Type": "Wait", "Seconds": 1, "End": True},
        },
    }
    machine = state_machines.create(owner, "pause", json.dumps(definition))
    workers.ensure_running()
    wait_until_closed(executions.start(machine, {"n": 0}), seconds=60)  # the workers are up once this ends

    began = time.monotonic()
    execution = wait_until_closed(executions.start(machine, {"n": 41}))

    assert execution.status == Status.SUCCEEDED and execution.output == 42
    assert 1.0 <= time.monotonic() - began < 2.5, workers.logs()


def test_an_activity_worker_answers_a_task_of_a_durable_execution(workers, django_user_model):
    owner = django_user_model.objects.create(username="alice")
    activity = activities.create(owner, "approve")
    definition = {
        "StartAt": "Approve",
        "States": {"Approve": {"Type": "Task", "Resource": activity.arn, "End": True}},
    }
    machine = state_machines.create(owner, "approval", json.dumps(definition))
    workers.ensure_running()
    execution = executions.start(machine, {"order": 7})

    token, given = activities.get_task(activity, "worker-1", wait_seconds=30)
    callbacks.send_task_success(token, {"approved": given["order"]})

    assert wait_until_closed(execution).output == {"approved": 7}
    assert Execution.objects.get(pk=execution.pk).history.filter(type="ActivityStarted").count() == 1
