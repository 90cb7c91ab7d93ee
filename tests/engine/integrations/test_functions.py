"""Local functions as Lambda: the Invoke response, payload handling and errors as AWS recorded them
(services.test_lambda_task*, error_handling.test_task_lambda*, error_handling.test_task_service_lambda*)."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from engine.integrations.functions import FunctionContext, FunctionRegistry
from engine.runtime.effects import InvokeTask

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:111111111111:function:echo"
CASES = Path(__file__).resolve().parents[4] / "shared" / "conformance" / "cases"


def service_call(parameters: Any) -> InvokeTask:
    return InvokeTask("task-1", LAMBDA_INVOKE, parameters, "Invoke")


def echo_registry() -> FunctionRegistry:
    registry = FunctionRegistry()
    registry.register("echo", lambda event: event)
    return registry


def test_lambda_invoke_answers_with_lambdas_invoke_response() -> None:
    registry = echo_registry()

    outcome = registry.invoke(service_call({"FunctionName": "echo", "Payload": {"a": 1}}))

    assert outcome.status == "succeeded"
    result = outcome.output
    assert list(result) == [
        "ExecutedVersion",
        "Payload",
        "SdkHttpMetadata",
        "SdkResponseMetadata",
        "StatusCode",
    ]
    assert (result["ExecutedVersion"], result["Payload"], result["StatusCode"]) == ("$LATEST", {"a": 1}, 200)
    headers = result["SdkHttpMetadata"]["HttpHeaders"]
    assert headers["Content-Length"] == str(len(json.dumps({"a": 1})))
    assert headers["x-amzn-RequestId"] == result["SdkResponseMetadata"]["RequestId"]


@pytest.mark.parametrize(
    ("payload", "event"), [("0.0", 0.0), ('"HelloWorld"', "HelloWorld"), ("[]", []), (None, {})]
)
def test_a_string_payload_is_the_raw_request_body_and_null_is_empty(payload: Any, event: Any) -> None:
    registry = echo_registry()

    outcome = registry.invoke(service_call({"FunctionName": "echo", "Payload": payload}))

    assert outcome.output["Payload"] == event


def test_a_payload_string_that_is_not_json_is_refused_as_lambda_refuses_it() -> None:
    registry = echo_registry()

    outcome = registry.invoke(service_call({"FunctionName": "echo", "Payload": "not json"}))

    assert outcome.error == "Lambda.InvalidRequestContentException"


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("echo", "$LATEST"),
        ("echo:live", "$LATEST"),
        ("echo:3", "3"),
        ("111111111111:function:echo", "$LATEST"),
        ("arn:aws:lambda:us-east-1:111111111111:function:echo:7", "7"),
    ],
)
def test_function_name_may_be_a_name_an_alias_a_partial_or_a_full_arn(name: str, version: str) -> None:
    registry = echo_registry()

    outcome = registry.invoke(service_call({"FunctionName": name, "Payload": {}}))

    assert outcome.status == "succeeded"
    assert outcome.output["ExecutedVersion"] == version


def test_a_plain_function_arn_gets_the_input_and_returns_the_value_alone() -> None:
    registry = echo_registry()

    outcome = registry.invoke(InvokeTask("t", FUNCTION_ARN, {"body": "string body"}, "step1"))

    assert outcome.output == {"body": "string body"}


@pytest.mark.parametrize("value", [0, 0.0, True, False, None, "", [], {}])
def test_falsy_return_values_are_results_too(value: Any) -> None:
    registry = FunctionRegistry()
    registry.register("constant", lambda event: value)

    outcome = registry.invoke(InvokeTask("t", FUNCTION_ARN.replace("echo", "constant"), {}, "step1"))

    assert outcome.status == "succeeded"
    assert outcome.output == value and type(outcome.output) is type(value)


class CustomException(Exception):
    pass


def raise_custom(event: Any) -> Any:
    raise CustomException()


def test_a_raised_exception_fails_the_task_with_its_class_name_and_lambdas_cause() -> None:
    registry = FunctionRegistry()
    registry.register("fails", raise_custom)

    outcome = registry.invoke(service_call({"FunctionName": "fails"}))

    assert outcome.error == "CustomException"
    cause = json.loads(outcome.cause or "")
    assert list(cause) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert (cause["errorMessage"], cause["errorType"]) == ("", "CustomException")
    assert "raise CustomException()" in cause["stackTrace"][0]


def test_lambda_invoke_writes_the_cause_compact_and_a_function_arn_with_spaces() -> None:
    registry = FunctionRegistry()
    registry.register("fails", raise_custom)

    service = registry.invoke(service_call({"FunctionName": "fails"}))
    plain = registry.invoke(InvokeTask("t", FUNCTION_ARN.replace("echo", "fails"), {}, "Start"))

    assert (service.cause or "").startswith('{"errorMessage":"","errorType":"CustomException","requestId":"')
    assert (plain.cause or "").startswith(
        '{"errorMessage": "", "errorType": "CustomException", "requestId": "'
    )


def test_an_unknown_function_is_lambdas_resource_not_found() -> None:
    registry = echo_registry()

    outcome = registry.invoke(service_call({"FunctionName": "no_such_function", "Payload": None}))

    assert outcome.error == "Lambda.ResourceNotFoundException"
    assert re.fullmatch(
        r"Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_function:\$LATEST "
        r"\(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; "
        r"Request ID: [0-9a-f-]{36}; Proxy: null\)",
        outcome.cause or "",
    )


def test_a_result_that_is_not_json_is_a_marshal_error() -> None:
    registry = FunctionRegistry()
    registry.register("odd", lambda event: {1, 2})

    outcome = registry.invoke(service_call({"FunctionName": "odd"}))

    assert outcome.error == "Runtime.MarshalError"


def test_a_result_over_256_kib_exceeds_the_data_limit() -> None:
    registry = FunctionRegistry()
    registry.register("big", lambda event: "x" * 300_000)

    outcome = registry.invoke(service_call({"FunctionName": "big"}))

    assert outcome.error == "States.DataLimitExceeded"
    assert outcome.cause == (
        "The state/task 'lambda' returned a result with a size exceeding "
        "the maximum number of bytes service limit."
    )


def test_a_function_gets_its_own_copy_of_the_event() -> None:
    registry = FunctionRegistry()
    registry.register("mutates", lambda event: event.setdefault("added", True))
    parameters = {"FunctionName": "mutates", "Payload": {"kept": 1}}

    registry.invoke(service_call(parameters))

    assert parameters["Payload"] == {"kept": 1}


def test_the_decorator_registers_and_a_second_parameter_gets_the_context() -> None:
    registry = FunctionRegistry()

    @registry.function()
    def whoami(event: Any, context: FunctionContext) -> Any:
        return {"name": context.function_name, "request": context.aws_request_id}

    outcome = registry.invoke(service_call({"FunctionName": "whoami"}))

    assert outcome.output["Payload"]["name"] == "whoami"
    assert outcome.output["Payload"]["request"] == outcome.output["SdkResponseMetadata"]["RequestId"]


def test_log_type_tail_adds_a_log_result() -> None:
    registry = echo_registry()

    outcome = registry.invoke(service_call({"FunctionName": "echo", "LogType": "Tail"}))

    assert list(outcome.output)[:3] == ["ExecutedVersion", "LogResult", "Payload"]
    assert "X-Amz-Log-Result" in outcome.output["SdkHttpMetadata"]["HttpHeaders"]


def test_a_function_name_that_is_not_a_string_fails_the_task() -> None:
    registry = echo_registry()

    outcome = registry.invoke(service_call({"FunctionName": 7}))

    assert outcome.status == "failed"


def recorded_invoke_responses() -> list[Path]:
    return sorted(CASES.glob("services.test_lambda_task_service.*/mocks.json")) if CASES.is_dir() else []


@pytest.mark.skipif(not CASES.is_dir(), reason="../shared/conformance is absent")
@pytest.mark.parametrize("mocks", recorded_invoke_responses(), ids=lambda path: path.parent.name)
def test_the_invoke_response_has_the_keys_and_headers_aws_recorded(mocks: Path) -> None:
    recorded = next(iter(json.loads(mocks.read_text())["MockedResponses"].values()))["0"]["Return"]
    parameters = json.loads((mocks.parent / "input.json").read_text())
    registry = FunctionRegistry()
    registry.register(parameters["FunctionName"], lambda event: recorded["Payload"])

    result = registry.invoke(service_call(parameters)).output

    assert set(result) == set(recorded)
    ours, theirs = result["SdkHttpMetadata"], recorded["SdkHttpMetadata"]
    assert set(ours["HttpHeaders"]) == set(theirs["HttpHeaders"])
    assert ours["HttpHeaders"]["Content-Length"] == theirs["HttpHeaders"]["Content-Length"]
    assert result["Payload"] == recorded["Payload"]
