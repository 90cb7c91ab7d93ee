"""Activities: a Task whose resource is an activity ARN waits for a worker to poll for it.

The worker gets (task token, input) from `ActivityQueue.poll` (GetActivityTask) and answers
through the callback API with that token (see callbacks.py). The runner turns a poll into
TaskStarted with `CallbackRegistry.started(token, worker_name)`, and calls
`ActivityQueue.cancel(token)` when the task ends before any worker took it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from engine.errors import ErrorName
from engine.integrations.base import TaskOutcome
from engine.integrations.resources import parse_resource
from engine.json import JSON
from engine.runtime.effects import InvokeTask


class ActivityQueue:
    """Scheduled activity tasks, first in first out, per activity ARN. Thread-safe."""

    def __init__(self) -> None:
        self._queues: dict[str, OrderedDict[str, JSON]] = {}
        self._lock = threading.Lock()

    def put(self, activity_arn: str, token: str, input: JSON) -> None:
        with self._lock:
            self._queues.setdefault(activity_arn, OrderedDict())[token] = input

    def poll(self, activity_arn: str, worker_name: str | None = None) -> tuple[str, JSON] | None:
        """Hand the oldest task to a worker, or None when there is none (no waiting here)."""
        with self._lock:
            queue = self._queues.get(activity_arn)
            if not queue:
                return None
            token, input = queue.popitem(last=False)
            return token, input

    def cancel(self, token: str) -> bool:
        """Remove a task no worker has taken yet; False if none was queued under `token`."""
        with self._lock:
            for queue in self._queues.values():
                if token in queue:  # membership, not pop(): a null input is still a task
                    del queue[token]
                    return True
        return False

    def waiting(self, activity_arn: str) -> int:
        return len(self._queues.get(activity_arn, ()))


class ActivityIntegration:
    """Queues the task for workers; the result comes back through the task token."""

    def __init__(self, queue: ActivityQueue) -> None:
        self.queue = queue

    def handles(self, resource: str) -> bool:
        return parse_resource(resource).kind == "activity"

    def invoke(self, call: InvokeTask) -> TaskOutcome:
        if call.task_token is None:
            cause = f"The activity task for state {call.state_name!r} was scheduled without a task token."
            return TaskOutcome.failed(ErrorName.RUNTIME, cause)
        self.queue.put(call.resource, call.task_token, call.parameters)
        return TaskOutcome.pending()
