"""Activities: tasks wait in a queue until a worker polls for them."""

from engine.integrations.activities import ActivityIntegration, ActivityQueue
from engine.runtime.effects import InvokeTask

ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:approve"
OTHER = "arn:aws:states:us-east-1:123456789012:activity:ship"


def test_an_activity_task_is_queued_and_waits() -> None:
    queue = ActivityQueue()
    adapter = ActivityIntegration(queue)

    outcome = adapter.invoke(InvokeTask("t1", ACTIVITY, {"order": 7}, "Approve", task_token="tok-1"))

    assert adapter.handles(ACTIVITY)
    assert outcome.status == "pending"
    assert queue.poll(ACTIVITY, "worker-a") == ("tok-1", {"order": 7})


def test_workers_get_tasks_oldest_first_and_none_when_empty() -> None:
    queue = ActivityQueue()
    queue.put(ACTIVITY, "tok-1", 1)
    queue.put(ACTIVITY, "tok-2", 2)

    polled = [queue.poll(ACTIVITY), queue.poll(ACTIVITY), queue.poll(ACTIVITY)]

    assert polled == [("tok-1", 1), ("tok-2", 2), None]


def test_each_activity_has_its_own_queue() -> None:
    queue = ActivityQueue()
    queue.put(ACTIVITY, "tok-1", {})

    assert queue.poll(OTHER) is None
    assert queue.waiting(ACTIVITY) == 1


def test_a_cancelled_task_is_never_handed_out_even_with_null_input() -> None:
    queue = ActivityQueue()
    queue.put(ACTIVITY, "tok-1", None)

    cancelled = queue.cancel("tok-1")

    assert cancelled is True
    assert queue.poll(ACTIVITY) is None
    assert queue.cancel("tok-1") is False


def test_an_activity_task_without_a_token_fails() -> None:
    adapter = ActivityIntegration(ActivityQueue())

    outcome = adapter.invoke(InvokeTask("t1", ACTIVITY, {}, "Approve"))

    assert outcome.error == "States.Runtime"
