"""Errors an execution can raise, named exactly as AWS names them."""

from __future__ import annotations

from enum import StrEnum


class ErrorName(StrEnum):
    """The predefined errors of the Amazon States Language."""

    ALL = "States.ALL"
    TASK_FAILED = "States.TaskFailed"
    TIMEOUT = "States.Timeout"
    HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
    DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
    RUNTIME = "States.Runtime"
    RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
    PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"
    BRANCH_FAILED = "States.BranchFailed"
    NO_CHOICE_MATCHED = "States.NoChoiceMatched"
    INTRINSIC_FAILURE = "States.IntrinsicFailure"
    EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold"
    ITEM_READER_FAILED = "States.ItemReaderFailed"
    RESULT_WRITER_FAILED = "States.ResultWriterFailed"
    QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"
    PERMISSIONS = "States.Permissions"


class StatesError(Exception):
    """An error a state reports. Retry and Catch match on `error`; `cause` is for people."""

    terminal = False  # terminal errors skip every Retrier and Catcher
    located = False  # True once the cause names the state ("An error occurred while executing ...")

    def __init__(self, error: str | None, cause: str | None = "") -> None:
        super().__init__(f"{error}: {cause}" if cause else str(error))
        # str(): an ErrorName must reach the data as a plain string, as it does after a JSON round trip
        self.error: str | None = None if error is None else str(error)
        self.cause = cause

    def as_output(self) -> dict[str, str]:
        """The {"Error", "Cause"} object a Catcher writes through its ResultPath."""
        out = {}
        if self.error is not None:
            out["Error"] = self.error
        if self.cause is not None:
            out["Cause"] = self.cause
        return out


class StatesRuntime(StatesError):
    """States.Runtime: AWS never retries it, and States.ALL does not catch it."""

    terminal = True

    def __init__(self, cause: str) -> None:
        super().__init__(ErrorName.RUNTIME, cause)


class DataLimitExceeded(StatesError):
    """States.DataLimitExceeded is terminal too: no Retrier or Catcher sees it."""

    terminal = True

    def __init__(self, cause: str) -> None:
        super().__init__(ErrorName.DATA_LIMIT_EXCEEDED, cause)


class QueryEvaluationError(StatesError):
    def __init__(self, cause: str) -> None:
        super().__init__(ErrorName.QUERY_EVALUATION_ERROR, cause)


class IntrinsicFailure(StatesError):
    def __init__(self, cause: str) -> None:
        super().__init__(ErrorName.INTRINSIC_FAILURE, cause)


def matches(error_equals: tuple[str, ...], error: StatesError) -> bool:
    """Whether a Retrier's or Catcher's ErrorEquals covers `error`.

    States.ALL matches every error except the terminal ones (States.Runtime,
    States.DataLimitExceeded); States.TaskFailed matches every error but States.Timeout
    among the States.* ones, and every error a task itself reported.
    """
    for name in error_equals:
        if name == error.error:
            return True
        if name == ErrorName.ALL and not error.terminal:
            return True
        if name == ErrorName.TASK_FAILED and not error.terminal and error.error != ErrorName.TIMEOUT:
            return True  # AWS: "matches any known error except States.Timeout"
    return False
