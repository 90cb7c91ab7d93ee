"""The REST API's one error shape, owned here: `{"error": {"code", "message", "details"}}`.

Every 4xx leaves through `handle` (DRF's EXCEPTION_HANDLER): DRF's own exceptions, Django's
Http404, and the services' ServiceError, whose AWS-style code becomes a snake_case one here.
Anything else is a bug and stays a 500 that Django logs; user input never gets there.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from designer.services.errors import ServiceError


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the object's current state."
    default_code = "conflict"


# ServiceError codes (AWS's names) whose HTTP status is not 400.
SERVICE_STATUS = {
    "StateMachineAlreadyExists": status.HTTP_409_CONFLICT,
    "ExecutionAlreadyExists": status.HTTP_409_CONFLICT,
    "StateMachineHasRunningExecutions": status.HTTP_409_CONFLICT,
    "ExecutionNotRunning": status.HTTP_409_CONFLICT,
    "TaskTimedOut": status.HTTP_409_CONFLICT,
    "TaskDoesNotExist": status.HTTP_404_NOT_FOUND,
    "StateMachineDoesNotExist": status.HTTP_404_NOT_FOUND,
    "ExecutionDoesNotExist": status.HTTP_404_NOT_FOUND,
}
SERVICE_CODE = {"ValidationException": "invalid"}  # AWS's catch-all reads better as DRF's


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: the status and headers DRF would send, with our body."""
    if isinstance(exc, ServiceError):
        exc = from_service(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):  # Django's own bound, met first on a session's CSRF check
        exc = PayloadTooLarge(f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)  # sets WWW-Authenticate, Retry-After; rolls back
    if response is None or not isinstance(exc, exceptions.APIException):
        return None
    response.data = {"error": shape(exc)}
    return response


def shape(exc: exceptions.APIException) -> dict[str, Any]:
    """The body of an error: a stable code to branch on, a message for people, details for tools."""
    if isinstance(exc, exceptions.ValidationError):
        fields = _plain(exc.detail)
        return {"code": "invalid", "message": _first_problem(fields), "details": {"fields": fields}}
    details = getattr(exc, "details", None)
    message = str(exc.detail)
    code = _code_of(exc)
    if code == "permission_denied" and message.startswith("CSRF Failed"):
        code = "csrf_failed"
        message += " Send the csrftoken cookie's value in the X-CSRFToken header."
    elif code == "not_found" and message in ("Not found.", "No Statecraft API endpoint here."):
        message = "Nothing with this id is yours here. Check the id, and that you are signed in as its owner."
    return {"code": code, "message": message, "details": details}


def from_service(error: ServiceError) -> exceptions.APIException:
    """A ServiceError as an APIException with our code, status and details."""
    exc = exceptions.APIException(error.message, code=SERVICE_CODE.get(error.code) or _snake(error.code))
    exc.status_code = SERVICE_STATUS.get(error.code, status.HTTP_400_BAD_REQUEST)
    exc.details = {"diagnostics": error.details} if _are_diagnostics(error.details) else error.details  # type: ignore[attr-defined]
    return exc


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return str(getattr(exc, "default_code", "error"))


def _snake(code: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", code).lower()


def _are_diagnostics(details: Any) -> bool:
    return isinstance(details, list) and all(isinstance(d, dict) and "location" in d for d in details)


def _plain(detail: Any) -> Any:
    """ErrorDetail strings and lists as plain JSON, keeping the field structure."""
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_plain(item) for item in detail]
    return str(detail)


def _first_problem(fields: Any, where: str = "") -> str:
    """One line naming the first field that is wrong, e.g. "input: The value is over 262144 bytes."."""
    if isinstance(fields, dict) and fields:
        key, value = next(iter(fields.items()))
        inner = key if where == "" else f"{where}.{key}"
        return _first_problem(value, "" if key == "non_field_errors" else inner)
    if isinstance(fields, list) and fields:
        return _first_problem(fields[0], where)
    text = str(fields) if fields not in ({}, []) else "The request is not valid."
    return f"{where}: {text}" if where else text
