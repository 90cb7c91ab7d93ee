"""Several executions in one process: callbacks, activity workers and nested executions.

`LocalWorld` is what a test (or `python -m engine run`) uses when a workflow waits for a task
token, hands work to an activity worker, or starts child executions. Each execution runs on
its own MemoryRunner; the world routes callbacks by token and joins `.sync` children to their
parent task, as the durable runner in the app does with its database.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from engine.clock import Clock, VirtualClock
from engine.definition.model import StateMachine
from engine.integrations import HttpIntegration, standard
from engine.integrations.activities import ActivityQueue
from engine.integrations.callbacks import CallbackRegistry
from engine.integrations.executions import (
    ChildRequest,
    ChildResult,
    ChildStarted,
    ChildStartRefused,
    describe_child_result,
)
from engine.integrations.functions import FunctionRegistry
from engine.integrations.mocks import MockTestCase
from engine.integrations.resources import Pattern
from engine.integrations.storage import ObjectStore
from engine.json import JSON
from engine.runtime.effects import Finish, InvokeTask
from engine.runtime.happenings import Happening, Stop
from engine.runtime.memory import MemoryRunner, RunResult


@dataclass
class _Child:
    parent: str  # the parent execution's ARN
    task_id: str
    pattern: Pattern
    request: ChildRequest
    start_date: float
    running_on: bool = False  # True once start() returned: its end must wake the parent


class LocalWorld:
    """State machines by name and their executions, all in memory."""

    def __init__(
        self,
        functions: FunctionRegistry | None = None,
        http: HttpIntegration | None = None,
        mocks: MockTestCase | None = None,
        clock: Clock | None = None,
        region: str = "us-east-1",
        account: str = "123456789012",
        storage: ObjectStore | None = None,
    ) -> None:
        self.functions = functions or FunctionRegistry(region, account)
        self.callbacks = CallbackRegistry()
        self.activities = ActivityQueue()
        self.clock = clock or VirtualClock()
        self.region, self.account = region, account
        self.machines: dict[str, StateMachine] = {}
        self.runners: dict[str, MemoryRunner] = {}
        self.children: dict[str, _Child] = {}
        self._http, self._mocks = http, mocks
        self.storage = storage or ObjectStore()  # in memory unless given a folder
        self._invoking = ""  # the execution whose task is being carried out right now

    # --- state machines and executions -------------------------------------------------------

    def register(self, name: str, machine: StateMachine) -> str:
        """Make `machine` startable by name or ARN; returns its ARN."""
        self.machines[name] = machine
        return self.machine_arn(name)

    def machine_arn(self, name: str) -> str:
        return f"arn:aws:states:{self.region}:{self.account}:stateMachine:{name}"

    def start(self, name: str, value: JSON, execution_name: str | None = None, **start: Any) -> RunResult:
        """Start an execution and run it until it ends or waits for someone."""
        execution_name = execution_name or secrets.token_hex(8)
        arn = f"arn:aws:states:{self.region}:{self.account}:execution:{name}:{execution_name}"
        if name not in self.machines:
            raise ChildStartRefused("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{name}'")
        if arn in self.runners:
            raise ChildStartRefused("ExecutionAlreadyExists", f"Execution Already Exists: '{arn}'")
        runner = MemoryRunner(self.machines[name], self._integrations(), self.clock, hooks=self)
        self.runners[arn] = runner
        return runner.run(
            value, execution_arn=arn, state_machine_arn=self.machine_arn(name), name=execution_name, **start
        )

    def result(self, execution_arn: str) -> RunResult:
        return self.runners[execution_arn].resume()

    def stop(self, execution_arn: str, error: str | None = None, cause: str | None = None) -> RunResult:
        return self._send(execution_arn, Stop(error, cause))

    # --- the callback API (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) ----------------

    def send_task_success(self, token: str, output: JSON) -> RunResult:
        return self._send(*self.callbacks.succeed(token, output))

    def send_task_failure(self, token: str, error: str | None = None, cause: str | None = None) -> RunResult:
        return self._send(*self.callbacks.fail(token, error, cause))

    def send_task_heartbeat(self, token: str) -> RunResult:
        return self._send(*self.callbacks.heartbeat(token))

    def get_activity_task(self, activity_arn: str, worker_name: str | None = None) -> tuple[str, JSON] | None:
        """GetActivityTask without the long poll: a (token, input) pair, or None when none waits."""
        task = self.activities.poll(activity_arn, worker_name)
        if task is not None:
            self._send(*self.callbacks.started(task[0], worker_name))
        return task

    def _send(self, execution_arn: str, happening: Happening) -> RunResult:
        return self.runners[execution_arn].send(happening)

    # --- runner hooks ------------------------------------------------------------------------

    def before_invoke(self, runner: MemoryRunner, call: InvokeTask) -> None:
        self._invoking = _arn_of(runner)
        if call.task_token is not None:
            self.callbacks.register(call.task_token, _arn_of(runner), call.task_id)

    def task_abandoned(self, runner: MemoryRunner, call: InvokeTask) -> None:
        if call.task_token is not None:
            self.callbacks.discard(call.task_token)
            self.activities.cancel(call.task_token)

    def finished(self, runner: MemoryRunner, finish: Finish) -> None:
        arn = _arn_of(runner)
        child = self.children.get(arn)
        if child is None or not child.running_on:
            return  # not a child, or one that ended inline: _start_child answers the parent
        del self.children[arn]
        if child.pattern not in ("sync", "sync:2"):
            return
        outcome = describe_child_result(child.pattern, self._child_result(arn, child, finish))
        happening = outcome.to_happening(child.task_id)
        parent = self.runners.get(child.parent)
        if happening is not None and parent is not None and parent.finish is None:
            parent.happenings.append(happening)
            if not parent.running:
                parent.resume()

    # --- nested executions -------------------------------------------------------------------

    def _integrations(self) -> Any:
        return standard(
            functions=self.functions,
            http=self._http,
            activities=self.activities,
            start_child=self._start_child,
            mocks=self._mocks,
            storage=self.storage,
        )

    def _start_child(self, request: ChildRequest) -> ChildStarted | ChildResult:
        name = request.state_machine_arn.rsplit(":", 1)[-1]
        parent = self._invoking
        execution_name = request.name or secrets.token_hex(8)
        arn = f"arn:aws:states:{self.region}:{self.account}:execution:{name}:{execution_name}"
        child = _Child(parent, request.task_id, request.pattern, request, self.clock.now())
        self.children[arn] = child
        result = self.start(name, request.input, execution_name)
        if result.status == "RUNNING":
            child.running_on = True
            return ChildStarted(arn, child.start_date)
        self.children.pop(arn, None)  # ended inline: the adapter answers the parent at once
        return self._child_result(
            arn, child, Finish(result.status, result.output, result.error, result.cause)
        )

    def _child_result(self, arn: str, child: _Child, finish: Finish) -> ChildResult:
        return ChildResult(
            execution_arn=arn,
            state_machine_arn=child.request.state_machine_arn,
            name=arn.rsplit(":", 1)[-1],
            status=finish.status,  # type: ignore[arg-type]
            input=child.request.input,
            start_date=child.start_date,
            stop_date=self.clock.now(),
            output=finish.output,
            error=finish.error,
            cause=finish.cause,
        )


def _arn_of(runner: MemoryRunner) -> str:
    execution = runner.execution
    return str(execution.start["execution_arn"]) if execution is not None else ""
