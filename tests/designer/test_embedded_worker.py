"""The embedded mode for real: Celery's memory broker, a worker in this process, the reaper, SQLite."""

import time

import pytest
from harness import task

from designer import embedded, tasks
from designer.models import Execution, Status
from designer.services import executions

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():  # the worker's and reaper's threads use the test database
        embedded.start(threads=4)
        yield
        embedded.stop()


def wait_until_closed(execution, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        execution.refresh_from_db()
        if execution.is_closed:
            return execution
        time.sleep(0.02)
    raise AssertionError(f"{execution.name} still {execution.status} after {seconds} s")


def test_a_one_second_wait_fires_within_about_a_second(worker, make_state_machine):
    definition = {
        "StartAt": "Double",
        "States": {
            "Double": task("double", Next="Pause"),
            "Pause": {"Type": "Wait", "Seconds": 1, "End": True},
        },
    }
    began = time.monotonic()

    execution = wait_until_closed(executions.start(make_state_machine(definition), {"n": 4}))

    assert execution.status == Status.SUCCEEDED and execution.output == {"n": 8}
    assert 1.0 <= time.monotonic() - began < 2.5


def test_many_executions_run_side_by_side(worker, make_state_machine):
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {"StartAt": "Item", "States": {"Item": task("double", End=True)}},
                "End": True,
            }
        },
    }
    machine = make_state_machine(definition)

    started = [executions.start(machine, {"items": [{"n": i}, {"n": i + 1}]}) for i in range(20)]

    finished = [wait_until_closed(execution) for execution in started]
    assert [e.status for e in finished] == [Status.SUCCEEDED] * 20
    assert finished[3].output == [{"n": 6}, {"n": 8}]


def test_an_execution_whose_message_was_lost_is_found_by_the_reaper(
    worker, make_state_machine, monkeypatch, settings
):
    settings.STATECRAFT = {**settings.STATECRAFT, "NUDGE_AFTER_SECONDS": 0.3}
    monkeypatch.setattr(tasks.run_execution, "delay_on_commit", lambda *args: None)  # the message is lost
    definition = {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}

    execution = executions.start(make_state_machine(definition), {})
    monkeypatch.undo()

    assert wait_until_closed(execution, seconds=5).status == Status.SUCCEEDED
    assert Execution.objects.get(pk=execution.pk).nudged_at is not None
