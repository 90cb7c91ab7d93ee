"""Task tokens and callbacks: `.waitForTaskToken` tasks wait until someone answers with the token.

Tokens are HMAC-SHA256(seed, task id): unguessable without the execution's 256-bit seed,
yet the same on every replay of the same execution. A store keeps only `hash_token(token)`,
so a leaked database does not hand out live tokens.

How a runner uses this module:

1. Before carrying out an InvokeTask whose `task_token` is set, it calls
   `callbacks.register(call.task_token, execution_id, call.task_id)`: a local function may
   answer with the token before `invoke` even returns.
2. SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat call `succeed`, `fail` and
   `heartbeat`; each returns (execution id, happening) for the runner to apply.
3. When the task ends another way (timeout, its branch failed, the execution stopped), the
   runner calls `discard(token)`, so a late answer gets TaskTimedOut.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace

from engine.integrations.base import TaskOutcome
from engine.integrations.functions import LAMBDA_INVOKE, FunctionRegistry
from engine.integrations.resources import parse_resource
from engine.json import JSON
from engine.runtime.effects import InvokeTask
from engine.runtime.happenings import TaskFailed, TaskHeartbeat, TaskStarted, TaskSucceeded
from engine.runtime.tokens import task_token

MAX_TOKEN_LENGTH = 1024  # AWS's limit on taskToken


def new_token(seed: str, task_id: str) -> str:
    """The task token for `task_id`: 256 bits, URL-safe base64 without padding (the stepper's own)."""
    return task_token(seed, task_id)


def hash_token(token: str) -> str:
    """What a store keeps instead of the token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class CallbackError(Exception):
    """A callback API call that cannot be honoured; `code` is AWS's error code for it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code  # InvalidToken | TaskDoesNotExist | TaskTimedOut
        self.message = message


@dataclass(frozen=True, slots=True)
class PendingTask:
    execution_id: str
    task_id: str


class CallbackRegistry:
    """Pending task tokens, by hash, for the in-memory runner. Each token answers once."""

    def __init__(self) -> None:
        self._pending: dict[str, PendingTask] = {}
        self._settled: set[str] = set()
        self._lock = threading.Lock()

    def register(self, token: str, execution_id: str, task_id: str) -> None:
        with self._lock:
            self._pending[hash_token(token)] = PendingTask(execution_id, task_id)

    def lookup(self, token: str) -> PendingTask | None:
        return self._pending.get(hash_token(_checked(token)))

    def succeed(self, token: str, output: JSON) -> tuple[str, TaskSucceeded]:
        task = self._settle(token)
        return task.execution_id, TaskSucceeded(task.task_id, output)

    def fail(self, token: str, error: str | None = None, cause: str | None = None) -> tuple[str, TaskFailed]:
        task = self._settle(token)
        return task.execution_id, TaskFailed(task.task_id, error, cause)

    def heartbeat(self, token: str) -> tuple[str, TaskHeartbeat]:
        task = self._current(token)
        return task.execution_id, TaskHeartbeat(task.task_id)

    def started(self, token: str, worker_name: str | None = None) -> tuple[str, TaskStarted]:
        """An activity worker took the task (GetActivityTask handed out the token)."""
        task = self._current(token)
        return task.execution_id, TaskStarted(task.task_id, worker_name)

    def discard(self, token: str) -> None:
        """The task ended without a callback; later answers get TaskTimedOut."""
        key = hash_token(token)
        with self._lock:
            if self._pending.pop(key, None) is not None:
                self._settled.add(key)

    def _current(self, token: str) -> PendingTask:
        key = hash_token(_checked(token))
        task = self._pending.get(key)
        if task is None:
            raise self._missing(key)
        return task

    def _settle(self, token: str) -> PendingTask:
        key = hash_token(_checked(token))
        with self._lock:
            task = self._pending.pop(key, None)
            if task is None:
                raise self._missing(key)
            self._settled.add(key)
        return task

    def _missing(self, key: str) -> CallbackError:
        if key in self._settled:
            return CallbackError("TaskTimedOut", "Task Timed Out: the task already ended.")
        return CallbackError("TaskDoesNotExist", "Task Does Not Exist: no task waits for this token.")


def _checked(token: str) -> str:
    if not isinstance(token, str) or not 1 <= len(token) <= MAX_TOKEN_LENGTH:
        raise CallbackError(
            "InvalidToken", f"Invalid Token: a task token is 1 to {MAX_TOKEN_LENGTH} characters."
        )
    return token


class CallbackIntegration:
    """Any `.waitForTaskToken` resource: the token is out, so the task waits for its answer.

    Put it after the adapters that carry out a `.waitForTaskToken` call themselves
    (states:startExecution): the registry's first match wins. For
    `lambda:invoke.waitForTaskToken` it also invokes the local function, whose payload
    carries the token where the definition put it ($$.Task.Token).
    """

    def __init__(self, functions: FunctionRegistry | None = None) -> None:
        self.functions = functions

    def handles(self, resource: str) -> bool:
        return parse_resource(resource).pattern == "waitForTaskToken"

    def invoke(self, call: InvokeTask) -> TaskOutcome:
        resource = parse_resource(call.resource)
        if self.functions is not None and resource.is_service("lambda", "invoke"):
            outcome = self.functions.invoke(replace(call, resource=LAMBDA_INVOKE))
            if outcome.status == "failed":  # the invocation itself failed: nobody will answer
                return outcome
        return TaskOutcome.pending()
