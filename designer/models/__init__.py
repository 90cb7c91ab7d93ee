"""The models, one module per aggregate."""

from designer.models.activities import Activity
from designer.models.api_tokens import ApiToken
from designer.models.executions import (
    Execution,
    HistoryEvent,
    Inbox,
    Outbox,
    OutboxStatus,
    Status,
    TaskToken,
    Timer,
    TokenStatus,
)
from designer.models.state_machines import MachineType, StateMachine, Version, account_of, arn_prefix

__all__ = [
    "Activity",
    "ApiToken",
    "Execution",
    "HistoryEvent",
    "Inbox",
    "MachineType",
    "Outbox",
    "OutboxStatus",
    "StateMachine",
    "Status",
    "TaskToken",
    "Timer",
    "TokenStatus",
    "Version",
    "account_of",
    "arn_prefix",
]
