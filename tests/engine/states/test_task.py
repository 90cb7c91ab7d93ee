"""Task: events, local functions and mocks, data flow, callbacks with task tokens, size limits."""

import base64

from task_steps import CALLBACK, FUNCTION, LAMBDA_INVOKE, SERVICE, T0, Flaky, begin, only, task, types

import engine
from engine.testing import machine_of, run

# --- events ----------------------------------------------------------------------------------


def test_a_plain_function_arn_records_lambda_function_events():
    machine = machine_of(task(FUNCTION.format("double")))

    result = run(machine, {"n": 2}, functions={"double": lambda event: event["n"] * 2})

    assert result.output == 4
    assert result.event_types() == [
        "ExecutionStarted",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    scheduled = result.events[2]["lambdaFunctionScheduledEventDetails"]
    assert scheduled == {
        "resource": FUNCTION.format("double"),
        "input": {"n": 2},
        "inputDetails": {"truncated": False},
    }
    assert result.events[4]["lambdaFunctionSucceededEventDetails"]["output"] == 4


def test_a_service_integration_records_task_scheduled_started_and_succeeded():
    machine = machine_of(task(LAMBDA_INVOKE, Parameters={"FunctionName": "double", "Payload.$": "$"}))

    result = run(machine, {"n": 2}, functions={"double": lambda event: event["n"] * 2})

    assert result.output["Payload"] == 4
    assert result.event_types() == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    scheduled = result.events[2]["taskScheduledEventDetails"]
    assert scheduled["resourceType"] == "lambda"
    assert scheduled["resource"] == "invoke"
    assert scheduled["region"] == "us-east-1"
    assert scheduled["parameters"] == {"FunctionName": "double", "Payload": {"n": 2}}
    assert result.events[3]["taskStartedEventDetails"] == {"resourceType": "lambda", "resource": "invoke"}


def test_timeouts_appear_in_the_scheduled_event():
    machine = machine_of(task(TimeoutSeconds=30, HeartbeatSeconds=10))

    step = begin(machine, {})

    scheduled = step.events[2]["taskScheduledEventDetails"]
    assert scheduled["timeoutInSeconds"] == 30
    assert scheduled["heartbeatInSeconds"] == 10


def test_a_failed_function_records_its_error_and_fails_the_execution():
    machine = machine_of(task(FUNCTION.format("broken")))

    result = run(machine, {}, functions={"broken": Flaky(1, KeyError)})

    assert result.status == "FAILED"
    assert result.error == "KeyError"
    assert result.event_types()[-2:] == ["LambdaFunctionFailed", "ExecutionFailed"]
    assert result.events[-2]["lambdaFunctionFailedEventDetails"]["error"] == "KeyError"


def test_a_failed_service_task_records_task_failed_with_its_resource():
    machine = machine_of(task())

    result = run(machine, {}, mocks={"Task": {"Throw": {"Error": "SNS.Boom", "Cause": "no topic"}}})

    assert (result.status, result.error, result.cause) == ("FAILED", "SNS.Boom", "no topic")
    failed = result.events[-2]
    assert failed["type"] == "TaskFailed"
    assert failed["taskFailedEventDetails"] == {
        "resourceType": "sns",
        "resource": "publish",
        "error": "SNS.Boom",
        "cause": "no topic",
    }


def test_a_task_failure_without_an_error_name_is_states_task_failed():
    machine = machine_of(task())
    started = begin(machine, {})
    call = only(started, engine.InvokeTask)

    step = engine.step(started.execution, engine.TaskFailed(call.task_id, None, None), T0)

    assert step.execution.error == "States.TaskFailed"


# --- functions, mocks and data flow ----------------------------------------------------------


def test_the_function_gets_the_effective_input_after_input_path_and_parameters():
    seen = []
    machine = machine_of(task(FUNCTION.format("f"), InputPath="$.order", Parameters={"id.$": "$.id", "k": 1}))

    run(machine, {"order": {"id": 7, "x": 0}}, functions={"f": lambda event: seen.append(event) or {}})

    assert seen == [{"id": 7, "k": 1}]


def test_result_selector_result_path_and_output_path_shape_the_output():
    state = task(
        ResultSelector={"value.$": "$.Payload.n", "fixed": True},
        ResultPath="$.result",
        OutputPath="$.result",
    )
    machine = machine_of(state)

    result = run(machine, {"in": 1}, mocks={"Task": {"Return": {"Payload": {"n": 5}, "StatusCode": 200}}})

    assert result.output == {"value": 5, "fixed": True}


def test_result_path_null_keeps_the_input_and_drops_the_result():
    machine = machine_of(task(ResultPath=None))

    result = run(machine, {"in": 1}, mocks={"Task": {"Return": {"ignored": True}}})

    assert result.output == {"in": 1}


def test_a_false_result_is_kept():
    machine = machine_of(task(ResultPath="$.ok"))

    result = run(machine, {"in": 1}, mocks={"Task": {"Return": False}})

    assert result.output == {"in": 1, "ok": False}


def test_mocks_answer_each_invocation_in_turn():
    machine = machine_of(task(Retry=[{"ErrorEquals": ["Busy"], "IntervalSeconds": 1}]))
    answers = [{"Throw": {"Error": "Busy", "Cause": "try later"}}, {"Return": "done"}]

    result = run(machine, {}, mocks={"Task": answers})

    assert result.output == "done"
    assert result.event_types().count("TaskScheduled") == 2


def test_an_unregistered_function_fails_as_lambda_reports_a_missing_function():
    machine = machine_of(task(FUNCTION.format("unregistered")))

    result = run(machine, {})

    assert (result.status, result.error) == ("FAILED", "Lambda.ResourceNotFoundException")


def test_a_resource_nothing_handles_fails_with_states_runtime():
    machine = machine_of(task(SERVICE))

    result = run(machine, {})

    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert "No integration handles the resource" in result.cause


def test_jsonata_task_sends_arguments_and_shapes_output_from_the_result():
    seen = []
    state = task(
        FUNCTION.format("f"),
        QueryLanguage="JSONata",
        Arguments={"n": "{% $states.input.n + 1 %}"},
        Output={"got": "{% $states.result %}", "was": "{% $states.input.n %}"},
    )
    machine = machine_of(state)

    result = run(machine, {"n": 1}, functions={"f": lambda event: seen.append(event) or event["n"] * 10})

    assert seen == [{"n": 2}]
    assert result.output == {"got": 20, "was": 1}


# --- callbacks -------------------------------------------------------------------------------


def test_wait_for_task_token_hands_out_a_token_of_256_bits():
    machine = machine_of(task(CALLBACK, Parameters={"MessageBody": {"token.$": "$$.Task.Token"}}))

    started = begin(machine, {})

    call = only(started, engine.InvokeTask)
    assert call.task_token is not None
    raw = base64.urlsafe_b64decode(call.task_token + "=" * (-len(call.task_token) % 4))
    assert len(raw) * 8 >= 256
    assert call.parameters == {"MessageBody": {"token": call.task_token}}


def test_tokens_differ_between_tasks_and_executions():
    machine = machine_of(task(CALLBACK))

    first = only(begin(machine, {}, seed="a" * 64), engine.InvokeTask).task_token
    second = only(begin(machine, {}, seed="b" * 64), engine.InvokeTask).task_token

    assert first != second


def test_a_callback_task_waits_then_resumes_on_task_succeeded():
    machine = machine_of(task(CALLBACK, ResultPath="$.answer"))
    started = begin(machine, {"in": 1})
    call = only(started, engine.InvokeTask)

    waiting = engine.step(started.execution, engine.TimerFired("nothing"), T0 + 5)
    status_while_waiting = waiting.execution.status
    done = engine.step(started.execution, engine.TaskSucceeded(call.task_id, {"approved": True}), T0 + 60)

    assert status_while_waiting == "RUNNING"
    assert waiting.events == []
    assert done.execution.status == "SUCCEEDED"
    assert done.execution.output == {"in": 1, "answer": {"approved": True}}
    assert types(done) == ["TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]


def test_the_runner_leaves_a_callback_task_running_with_the_call_pending():
    machine = machine_of(task(CALLBACK))

    result = run(machine, {})

    assert result.status == "RUNNING"
    (call,) = result.pending.values()
    assert call.task_token is not None


# --- limits ----------------------------------------------------------------------------------


def test_a_result_over_256_kib_fails_with_states_data_limit_exceeded():
    machine = machine_of(task())

    result = run(machine, {}, mocks={"Task": {"Return": "x" * (256 * 1024)}})

    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"


def test_states_all_does_not_catch_states_data_limit_exceeded():
    definition = {
        "Work": task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handle"}], End=True),
        "Handle": {"Type": "Pass", "End": True},
    }

    result = run(machine_of(definition), {}, mocks={"Work": {"Return": "x" * (256 * 1024)}})

    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")


# AWS let `Catch States.ALL` take a task's States.DataLimitExceeded (conformance:
# error_handling.test_states_errors.*), unlike the same error from a state's own output.
def test_states_all_catches_an_oversized_function_result():
    definition = {
        "Work": task(
            FUNCTION.format("big"), Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handle"}], End=True
        ),
        "Handle": {"Type": "Pass", "End": True},
    }

    result = run(machine_of(definition), {}, functions={"big": lambda event: "x" * (256 * 1024)})

    assert result.status == "SUCCEEDED"
    assert result.output["Error"] == "States.DataLimitExceeded"
