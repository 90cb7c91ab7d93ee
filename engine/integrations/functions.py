"""Local Python functions standing in for Lambda: `lambda:invoke` and plain function ARNs.

A function takes the event (and, if it has a second parameter, a FunctionContext) and
returns a JSON value. What it raises becomes the task's error, shaped as Lambda reports an
unhandled error: error = the exception's class name, cause = {"errorMessage", "errorType",
"requestId", "stackTrace"} as JSON (error_handling.test_task_lambda.* and
error_handling.test_task_service_lambda.*).
"""

from __future__ import annotations

import base64
import inspect
import json
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any, TypeVar

from engine.errors import ErrorName
from engine.integrations.base import TaskOutcome, data_limit_cause, new_request_id
from engine.integrations.resources import parse_resource
from engine.json import JSON, MAX_PAYLOAD_BYTES, size_of
from engine.runtime.effects import InvokeTask

Function = Callable[..., Any]
F = TypeVar("F", bound=Function)

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"


@dataclass(frozen=True, slots=True)
class FunctionContext:
    """The subset of Lambda's context object a local function may use."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    aws_request_id: str
    deadline: float  # time.monotonic() value; the task's TimeoutSeconds, else Lambda's 900 s
    memory_limit_in_mb: int = 128

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


@dataclass(frozen=True, slots=True)
class _Target:
    name: str
    qualifier: str | None
    region: str
    account: str

    @property
    def version(self) -> str:
        return self.qualifier if self.qualifier is not None and self.qualifier.isdigit() else "$LATEST"

    @property
    def arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account}:function:{self.name}"


@dataclass(frozen=True, slots=True)
class _Ran:
    ok: bool
    value: JSON = None  # the return value, round-tripped through JSON
    body: str = ""  # its JSON text, as the runtime sends it (json.dumps with default separators)
    error: BaseException | None = None


class FunctionRegistry:
    """Python callables registered by name, invoked as Lambda functions."""

    def __init__(self, region: str = "us-east-1", account: str = "123456789012") -> None:
        self.region = region
        self.account = account
        self._functions: dict[str, tuple[Function, bool]] = {}
        self._lock = threading.Lock()

    def register(self, name: str, fn: Function) -> None:
        """Register `fn` under a function name (a full function ARN is accepted too)."""
        resource = parse_resource(name)
        key = resource.name if resource.kind == "function" else name
        with self._lock:
            self._functions[key] = (fn, _wants_context(fn))

    def function(self, name: str | None = None) -> Callable[[F], F]:
        """Decorator: `@registry.function()` registers under the function's own name."""

        def decorate(fn: F) -> F:
            self.register(name if name is not None else fn.__name__, fn)
            return fn

        return decorate

    def __contains__(self, name: str) -> bool:
        return name in self._functions

    def handles(self, resource: str) -> bool:
        parsed = parse_resource(resource)
        if parsed.kind == "function":
            return True
        return parsed.is_service("lambda", "invoke") and parsed.pattern == "request-response"

    def invoke(self, call: InvokeTask) -> TaskOutcome:
        resource = parse_resource(call.resource)
        if resource.kind == "function":
            target = _Target(
                resource.name,
                resource.qualifier,
                resource.region or self.region,
                resource.account or self.account,
            )
            return self._invoke_plain(call, target)
        return self._invoke_service(call)

    def _invoke_plain(self, call: InvokeTask, target: _Target) -> TaskOutcome:
        # A plain function ARN gets the effective input as its event; its result is the
        # return value alone (services.test_lambda_task.*).
        request_id = new_request_id()
        ran = self._run(target, call.parameters, request_id, call.timeout_seconds)
        if ran is None:
            return _not_found(target, request_id)
        if not ran.ok:
            return _function_error(ran.error, request_id, compact=False)
        if size_of(ran.value) > MAX_PAYLOAD_BYTES:
            return TaskOutcome.failed(ErrorName.DATA_LIMIT_EXCEEDED, data_limit_cause(call.resource))
        return TaskOutcome.succeeded(ran.value)

    def _invoke_service(self, call: InvokeTask) -> TaskOutcome:
        params = call.parameters if isinstance(call.parameters, dict) else {}
        target = self._target_of(params.get("FunctionName"), params.get("Qualifier"))
        if target is None:
            cause = "The lambda:invoke parameters need a FunctionName: a function name, alias or ARN."
            return TaskOutcome.failed(ErrorName.RUNTIME, cause)
        request_id = new_request_id()
        event = _event_of(params.get("Payload"))
        if isinstance(event, _BadPayload):
            return _invalid_payload(event.text, request_id)
        invocation_type = params.get("InvocationType", "RequestResponse")
        if invocation_type == "DryRun":
            known = target.name in self._functions
            if not known:
                return _not_found(target, request_id)
            return TaskOutcome.succeeded(_invoke_response(target, request_id, None, "", params, 204))
        ran = self._run(target, event, request_id, call.timeout_seconds)
        if ran is None:
            return _not_found(target, request_id)
        if not ran.ok:
            return _function_error(ran.error, request_id, compact=True)
        if invocation_type == "Event":  # asynchronous: Lambda answers 202 with no payload
            return TaskOutcome.succeeded(_invoke_response(target, request_id, "", "", params, 202))
        response = _invoke_response(target, request_id, ran.value, ran.body, params, 200)
        if size_of(response) > MAX_PAYLOAD_BYTES:
            return TaskOutcome.failed(ErrorName.DATA_LIMIT_EXCEEDED, data_limit_cause("lambda"))
        return TaskOutcome.succeeded(response)

    def _target_of(self, function_name: JSON, qualifier: JSON) -> _Target | None:
        """FunctionName may be `name`, `name:alias`, `account:function:name` or a full ARN."""
        if not isinstance(function_name, str) or function_name == "":
            return None
        region, account, rest = self.region, self.account, function_name
        parsed = parse_resource(function_name)
        if parsed.kind == "function":
            region, account = parsed.region or region, parsed.account or account
            rest = parsed.name if parsed.qualifier is None else f"{parsed.name}:{parsed.qualifier}"
        elif ":function:" in function_name:
            account, _, rest = function_name.partition(":function:")
        name, _, alias = rest.partition(":")
        chosen = qualifier if isinstance(qualifier, str) and qualifier != "" else alias or None
        return _Target(name, chosen, region, account)

    def _run(self, target: _Target, event: JSON, request_id: str, timeout: float | None) -> _Ran | None:
        entry = self._functions.get(target.name)
        if entry is None:
            return None
        fn, wants_context = entry
        event = json.loads(json.dumps(event))  # the function gets its own copy, never shared data
        try:
            if wants_context:
                deadline = time.monotonic() + (timeout if timeout is not None else 900.0)
                arn = target.arn if target.qualifier is None else f"{target.arn}:{target.qualifier}"
                context = FunctionContext(target.name, target.version, arn, request_id, deadline)
                value = fn(event, context)
            else:
                value = fn(event)
        except Exception as error:  # whatever user code raises is the task's failure
            return _Ran(False, error=error)
        try:
            body = json.dumps(value, allow_nan=False)
        except (TypeError, ValueError, RecursionError) as error:
            return _Ran(False, error=_MarshalError(f"Unable to marshal response: {error}"))
        return _Ran(True, json.loads(body), body)


class _MarshalError(Exception):
    """What Lambda's Python runtime reports for a return value it cannot encode."""


@dataclass(frozen=True, slots=True)
class _BadPayload:
    text: str


def _wants_context(fn: Function) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind is p.VAR_POSITIONAL for p in params)


def _event_of(payload: JSON) -> JSON | _BadPayload:
    # A missing or null Payload invokes with an empty body, which Lambda hands over as {};
    # a string is the raw request body, so "0.0" arrives as the number 0.0
    # (services.test_lambda_task_service.*).
    if payload is None:
        return {}
    if isinstance(payload, str):
        try:
            return json.loads(payload)
        except ValueError:
            return _BadPayload(payload)
    return payload


def _function_error(error: BaseException | None, request_id: str, compact: bool) -> TaskOutcome:
    name = "Runtime.MarshalError" if isinstance(error, _MarshalError) else type(error).__name__
    frames = traceback.extract_tb(error.__traceback__) if error is not None else []
    details = {
        "errorMessage": str(error) if error is not None else "",
        "errorType": name,
        "requestId": request_id,
        "stackTrace": traceback.format_list(frames[1:]),  # frames[0] is our own call site
    }
    # lambda:invoke reports the cause compact, a plain function ARN with Python's default
    # separators: both as recorded (error_handling.test_task_service_lambda.* and
    # error_handling.test_task_lambda.*).
    separators = (",", ":") if compact else (", ", ": ")
    return TaskOutcome.failed(name, json.dumps(details, separators=separators, ensure_ascii=False))


def _not_found(target: _Target, request_id: str) -> TaskOutcome:
    qualifier = target.qualifier if target.qualifier is not None else "$LATEST"
    cause = (
        f"Function not found: {target.arn}:{qualifier} (Service: AWSLambda; Status Code: 404; "
        f"Error Code: ResourceNotFoundException; Request ID: {request_id}; Proxy: null)"
    )
    return TaskOutcome.failed("Lambda.ResourceNotFoundException", cause)


def _invalid_payload(text: str, request_id: str) -> TaskOutcome:
    cause = (
        f"Could not parse request body into json: Could not parse payload into json: {text[:64]!r} "
        "is not JSON (Service: AWSLambda; Status Code: 400; Error Code: InvalidRequestContentException; "
        f"Request ID: {request_id}; Proxy: null)"
    )
    return TaskOutcome.failed("Lambda.InvalidRequestContentException", cause)


def _invoke_response(
    target: _Target, request_id: str, payload: JSON, body: str, params: dict[str, Any], status: int
) -> dict[str, Any]:
    """Lambda's Invoke response as the optimized integration returns it (recorded in
    services.test_lambda_task_service.TestTaskServiceLambda.test_invoke)."""
    headers: dict[str, str] = {
        "Connection": "keep-alive",
        "Content-Length": str(len(body.encode("utf-8"))),
        "Content-Type": "application/json",
        "Date": formatdate(usegmt=True),
        "X-Amz-Executed-Version": target.version,
        "x-amzn-Remapped-Content-Length": "0",
        "x-amzn-RequestId": request_id,
        "X-Amzn-Trace-Id": f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Sampled=0",
    }
    response: dict[str, Any] = {}
    if status == 200:
        response["ExecutedVersion"] = target.version
    if params.get("LogType") == "Tail" and status == 200:
        log = _tail_log(request_id, target.version)
        response["LogResult"] = headers["X-Amz-Log-Result"] = log
    metadata = {
        "AllHttpHeaders": {key: [value] for key, value in headers.items()},
        "HttpHeaders": dict(sorted(headers.items(), key=lambda item: item[0].lower())),
        "HttpStatusCode": status,
    }
    response.update(
        Payload=payload,
        SdkHttpMetadata=metadata,
        SdkResponseMetadata={"RequestId": request_id},
        StatusCode=status,
    )
    return response


def _tail_log(request_id: str, version: str) -> str:
    lines = f"START RequestId: {request_id} Version: {version}\nEND RequestId: {request_id}\n"
    return base64.b64encode(lines.encode("utf-8")).decode("ascii")
