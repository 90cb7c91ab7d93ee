"""The one error services raise for what a caller asked wrongly; the APIs turn it into their shape."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """`code` is AWS's name for the error (InvalidDefinition, ExecutionDoesNotExist, TaskTimedOut,
    ...); `message` says what to do; `details` carries data such as diagnostics."""

    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details
