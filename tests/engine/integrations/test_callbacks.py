"""Task tokens and callbacks: deterministic unguessable tokens, single-use answers, and the
`.waitForTaskToken` adapter."""

import base64
import hashlib
from typing import Any

import pytest

from engine.integrations.callbacks import (
    CallbackError,
    CallbackIntegration,
    CallbackRegistry,
    hash_token,
    new_token,
)
from engine.integrations.functions import FunctionRegistry
from engine.runtime.effects import InvokeTask
from engine.runtime.happenings import TaskFailed, TaskHeartbeat, TaskStarted, TaskSucceeded

SEED = "a1" * 32


def test_a_token_is_the_same_on_every_replay_of_the_same_task() -> None:
    assert new_token(SEED, "task-7") == new_token(SEED, "task-7")


def test_tokens_differ_per_task_and_per_execution_seed() -> None:
    tokens = {new_token(SEED, "task-1"), new_token(SEED, "task-2"), new_token("b2" * 32, "task-1")}

    assert len(tokens) == 3


def test_a_token_carries_256_bits_in_url_safe_base64() -> None:
    token = new_token(SEED, "task-1")

    assert len(base64.urlsafe_b64decode(token + "=")) == 32
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_a_store_keeps_the_sha256_of_the_token_not_the_token() -> None:
    token = new_token(SEED, "task-1")

    assert hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token not in hash_token(token)


def registry_with(token: str) -> CallbackRegistry:
    registry = CallbackRegistry()
    registry.register(token, "exec-1", "task-1")
    return registry


def test_success_resolves_to_the_execution_and_its_task() -> None:
    token = new_token(SEED, "task-1")
    registry = registry_with(token)

    assert registry.succeed(token, {"done": True}) == ("exec-1", TaskSucceeded("task-1", {"done": True}))


def test_failure_and_heartbeat_resolve_too() -> None:
    token = new_token(SEED, "task-1")
    registry = registry_with(token)

    assert registry.heartbeat(token) == ("exec-1", TaskHeartbeat("task-1"))
    assert registry.started(token, "worker-a") == ("exec-1", TaskStarted("task-1", "worker-a"))
    assert registry.fail(token, "Oops", "it broke") == ("exec-1", TaskFailed("task-1", "Oops", "it broke"))


def test_a_token_answers_once() -> None:
    token = new_token(SEED, "task-1")
    registry = registry_with(token)
    registry.succeed(token, None)

    with pytest.raises(CallbackError) as late:
        registry.fail(token, "Late")

    assert late.value.code == "TaskTimedOut"


def test_a_discarded_task_times_out_its_late_answer() -> None:
    token = new_token(SEED, "task-1")
    registry = registry_with(token)
    registry.discard(token)

    with pytest.raises(CallbackError) as late:
        registry.heartbeat(token)

    assert late.value.code == "TaskTimedOut"


def test_an_unknown_token_does_not_exist() -> None:
    registry = CallbackRegistry()

    with pytest.raises(CallbackError) as unknown:
        registry.succeed(new_token(SEED, "never"), {})

    assert unknown.value.code == "TaskDoesNotExist"


@pytest.mark.parametrize("token", ["", "x" * 1025])
def test_a_malformed_token_is_invalid(token: str) -> None:
    registry = CallbackRegistry()

    with pytest.raises(CallbackError) as invalid:
        registry.succeed(token, {})

    assert invalid.value.code == "InvalidToken"


def test_any_wait_for_task_token_resource_waits() -> None:
    adapter = CallbackIntegration()
    resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"

    outcome = adapter.invoke(InvokeTask("t", resource, {"MessageBody": {}}, "Send", task_token="tok"))

    assert adapter.handles(resource) and not adapter.handles("arn:aws:states:::sqs:sendMessage")
    assert outcome.status == "pending"


def test_lambda_wait_for_task_token_invokes_the_function_with_the_token_then_waits() -> None:
    functions = FunctionRegistry()
    seen: list[Any] = []
    functions.register("approve", lambda event: seen.append(event))
    adapter = CallbackIntegration(functions)
    call = InvokeTask(
        "task-1",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        {"FunctionName": "approve", "Payload": {"token": "tok-1"}},
        "Approve",
        task_token="tok-1",
    )

    outcome = adapter.invoke(call)

    assert outcome.status == "pending"
    assert seen == [{"token": "tok-1"}]


def test_a_function_may_answer_its_own_token_before_invoke_returns() -> None:
    token = new_token(SEED, "task-1")
    callbacks = registry_with(token)
    answers: list[Any] = []
    functions = FunctionRegistry()
    functions.register("quick", lambda event: answers.append(callbacks.succeed(event["token"], "fast")))
    call = InvokeTask(
        "task-1",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        {"FunctionName": "quick", "Payload": {"token": token}},
        "Quick",
        task_token=token,
    )

    outcome = CallbackIntegration(functions).invoke(call)

    assert outcome.status == "pending"
    assert answers == [("exec-1", TaskSucceeded("task-1", "fast"))]


def test_a_failing_invocation_fails_the_task_instead_of_waiting_forever() -> None:
    functions = FunctionRegistry()
    call = InvokeTask(
        "task-1",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        {"FunctionName": "missing"},
        "Approve",
        task_token="tok-1",
    )

    outcome = CallbackIntegration(functions).invoke(call)

    assert outcome.error == "Lambda.ResourceNotFoundException"
