"""Tasks that wait for an answer: task tokens, heartbeats, timeouts and activity workers."""

import hashlib
import json

import pytest
from harness import ANSWERS, drain, event_types, make_timers_due

from designer.models import Execution, HistoryEvent, Inbox, Outbox, Status, TaskToken
from designer.services import activities, callbacks, executions
from designer.services.errors import ServiceError

pytestmark = pytest.mark.django_db


def approval(**task_fields):
    return {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {
                    "FunctionName": "remember",
                    "Payload": {"token.$": "$$.Task.Token", "order.$": "$.order"},
                },
                "ResultPath": "$.approval",
                "End": True,
                **task_fields,
            }
        },
    }


def asked(make_state_machine, order, **task_fields):
    execution = executions.start(make_state_machine(approval(**task_fields)), {"order": order})
    drain()
    return execution, ANSWERS[order]


def test_a_task_token_resumes_its_execution_once(make_state_machine):
    execution, token = asked(make_state_machine, "o-1")
    assert Execution.objects.get(pk=execution.pk).status == Status.RUNNING

    callbacks.send_task_success(token, {"approved": True})
    drain()
    with pytest.raises(ServiceError) as again:
        callbacks.send_task_success(token, {"approved": False})

    execution.refresh_from_db()
    assert execution.status == Status.SUCCEEDED
    assert execution.output == {"order": "o-1", "approval": {"approved": True}}
    assert again.value.code == "TaskTimedOut"


def test_a_task_failure_fails_the_task_with_the_given_error(make_state_machine):
    execution, token = asked(make_state_machine, "o-2")

    callbacks.send_task_failure(token, "Rejected", "too expensive")
    drain()

    execution.refresh_from_db()
    assert (execution.status, execution.error, execution.cause) == (
        Status.FAILED,
        "Rejected",
        "too expensive",
    )


def test_a_task_token_is_stored_only_as_its_hash_and_never_in_history(make_state_machine):
    execution, token = asked(make_state_machine, "o-3")
    callbacks.send_task_success(token, {"approved": True})
    drain()

    stored = json.dumps(
        [
            list(TaskToken.objects.values()),
            list(HistoryEvent.objects.values_list("data", flat=True)),
            list(Outbox.objects.values_list("payload", flat=True)),
            list(Inbox.objects.values_list("happening", flat=True)),
            list(Execution.objects.values_list("state", flat=True)),
        ],
        default=str,
    )

    assert len(token) >= 43  # 256 bits, URL-safe base64
    assert token not in stored
    assert TaskToken.objects.get().token_hash == hashlib.sha256(token.encode()).hexdigest()
    scheduled = execution.history.get(type="TaskScheduled").data["taskScheduledEventDetails"]
    assert scheduled["parameters"]["Payload"]["token"] == "<statecraft:task-token>"


@pytest.mark.parametrize(
    ("token", "code"), [("", "InvalidToken"), ("x" * 1025, "InvalidToken"), ("nope", "TaskDoesNotExist")]
)
def test_a_bad_token_gets_the_error_aws_gives(token, code):
    with pytest.raises(ServiceError) as raised:
        callbacks.send_task_success(token, {})

    assert raised.value.code == code


def test_a_missed_heartbeat_fails_the_task_with_heartbeat_timeout(make_state_machine):
    execution, token = asked(make_state_machine, "o-4", HeartbeatSeconds=5)

    make_timers_due(execution)
    drain()

    execution.refresh_from_db()
    assert (execution.status, execution.error) == (Status.FAILED, "States.HeartbeatTimeout")
    with pytest.raises(ServiceError) as late:
        callbacks.send_task_success(token, {})
    assert late.value.code == "TaskTimedOut"


def test_a_heartbeat_starts_the_heartbeat_clock_again(make_state_machine):
    execution, token = asked(make_state_machine, "o-5", HeartbeatSeconds=60)
    before = execution.timers.get()

    callbacks.send_task_heartbeat(token)
    callbacks.send_task_heartbeat(token)
    drain()

    after = execution.timers.get()
    assert after.timer_id != before.timer_id and after.due_at >= before.due_at
    assert Execution.objects.get(pk=execution.pk).status == Status.RUNNING


def test_a_task_timeout_fails_a_task_nobody_answered(make_state_machine):
    execution, _ = asked(make_state_machine, "o-6", TimeoutSeconds=30)

    make_timers_due(execution)
    drain()

    execution.refresh_from_db()
    assert (execution.status, execution.error) == (Status.FAILED, "States.Timeout")


def test_an_activity_worker_takes_the_task_and_answers_it(make_state_machine, alice):
    activity = activities.create(alice, "approve")
    definition = {
        "StartAt": "Work",
        "States": {"Work": {"Type": "Task", "Resource": activity.arn, "End": True}},
    }
    execution = executions.start(make_state_machine(definition), {"order": 7})
    drain()

    token, given = activities.take_task(activity.arn, "worker-1")
    nothing_left = activities.take_task(activity.arn, "worker-2")
    callbacks.send_task_success(token, {"done": True})
    drain()

    assert given == {"order": 7} and nothing_left is None
    execution.refresh_from_db()
    assert execution.status == Status.SUCCEEDED and execution.output == {"done": True}
    started = execution.history.get(type="ActivityStarted").data["activityStartedEventDetails"]
    assert started == {"workerName": "worker-1"}
    assert event_types(execution)[-3:] == ["ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"]


def test_get_activity_task_answers_none_when_no_task_arrives_in_time(alice):
    activity = activities.create(alice, "idle")

    assert activities.get_task(activity, "worker", wait_seconds=0.1) is None


def test_creating_an_activity_twice_gives_the_same_activity(alice):
    assert activities.create(alice, "approve").pk == activities.create(alice, "approve").pk
