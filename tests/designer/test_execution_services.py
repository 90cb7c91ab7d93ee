"""Standard executions through designer.services.executions, driven synchronously by `drain`."""

import json

import pytest
from harness import drain, event_types, make_timers_due, task

from designer.models import Status, Timer
from designer.services import executions, recording, state_machines
from designer.services.errors import ServiceError

pytestmark = pytest.mark.django_db

MIXED = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Result": {"n": 2, "items": [{"n": 1}, {"n": 3}]}, "Next": "Double"},
        "Double": task("double", ResultPath="$.doubled", Next="Pause"),
        "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Each"},
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "Item", "States": {"Item": task("double", End=True)}},
            "End": True,
        },
    },
}


def test_pass_task_wait_and_map_run_to_success(make_state_machine):
    execution = executions.start(make_state_machine(MIXED), {})

    drain()
    assert execution.timers.count() == 1  # the Wait holds until its timer is due
    make_timers_due(execution)
    drain()

    execution.refresh_from_db()
    assert execution.status == Status.SUCCEEDED
    assert execution.output == [{"n": 2}, {"n": 6}]
    assert event_types(execution)[:4] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "TaskStateEntered",
    ]
    assert event_types(execution)[-1] == "ExecutionSucceeded"
    assert not Timer.objects.exists()


def test_history_event_ids_run_from_one_without_gaps(make_state_machine):
    execution = executions.start(make_state_machine(MIXED), {})
    drain()
    make_timers_due(execution)
    drain()

    events = list(execution.history.order_by("event_id").values_list("event_id", "previous_event_id"))

    ids = [event_id for event_id, _ in events]
    assert ids == list(range(1, len(ids) + 1))
    assert events[0][1] == 0


def test_an_execution_runs_the_exact_version_it_started_with(make_state_machine):
    machine = make_state_machine(
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": True}}}
    )
    version = state_machines.publish_version(machine)
    state_machines.save_draft(machine, json.dumps({"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}))

    execution = executions.start(machine, {}, version=version)
    drain()

    execution.refresh_from_db()
    assert execution.definition == version.definition
    assert execution.output == 1
    assert (
        execution.history.get(event_id=1).data["executionStartedEventDetails"]["stateMachineArn"]
        == version.arn
    )


def test_a_draft_with_errors_cannot_start(make_state_machine):
    machine = make_state_machine({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})

    with pytest.raises(ServiceError) as raised:
        executions.start(machine, {})

    assert raised.value.code == "InvalidDefinition"
    assert not machine.executions.exists()


def test_an_execution_name_is_unique_per_state_machine(make_state_machine):
    machine = make_state_machine(MIXED)
    executions.start(machine, {}, name="first")

    with pytest.raises(ServiceError) as raised:
        executions.start(machine, {}, name="first")

    assert raised.value.code == "ExecutionAlreadyExists"


def test_an_express_machine_is_not_started_durably(make_state_machine):
    machine = make_state_machine({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}, type="EXPRESS")

    with pytest.raises(ServiceError) as raised:
        executions.start(machine, {})

    assert raised.value.code == "StateMachineTypeNotSupported"


def test_a_thousand_state_pass_chain_commits_in_a_handful_of_transactions(make_state_machine, monkeypatch):
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(999)}
    states["S999"] = {"Type": "Pass", "End": True}
    execution = executions.start(make_state_machine({"StartAt": "S0", "States": states}), {"go": True})
    commits = []
    real_commit = recording.commit
    monkeypatch.setattr(recording, "commit", lambda *args: commits.append(1) or real_commit(*args))

    drain()

    execution.refresh_from_db()
    assert execution.status == Status.SUCCEEDED
    assert execution.history.count() == 2002
    assert len(commits) <= 3


def test_a_failing_function_fails_the_execution_with_its_error(make_state_machine):
    execution = executions.start(
        make_state_machine({"StartAt": "T", "States": {"T": task("explode", End=True)}}), {}
    )

    drain()

    execution.refresh_from_db()
    assert execution.status == Status.FAILED
    assert execution.error == "ValueError"
    assert json.loads(execution.cause)["errorMessage"] == "no such order"


def test_stop_aborts_a_waiting_execution_and_drops_its_timer(make_state_machine):
    year = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 31536000, "End": True}}}
    execution = executions.start(make_state_machine(year), {})
    drain()

    executions.stop(execution, error="Operator", cause="changed my mind")

    assert execution.status == Status.ABORTED
    assert event_types(execution)[-1] == "ExecutionAborted"
    assert not execution.timers.exists()


def test_a_bug_inside_statecraft_fails_the_execution_instead_of_every_worker(make_state_machine, monkeypatch):
    import engine

    def broken(*args, **kwargs):
        raise KeyError("frames")

    monkeypatch.setattr(engine, "start", broken)
    execution = executions.start(make_state_machine(MIXED), {})

    drain()

    execution.refresh_from_db()
    assert execution.status == Status.FAILED
    assert execution.error == "States.Runtime"
    assert "KeyError" in execution.cause
    assert event_types(execution) == ["ExecutionFailed"]
