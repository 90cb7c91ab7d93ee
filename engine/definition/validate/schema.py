"""Which fields each object of a definition may have, in which query language.

Tables only; structure.py reports unknown and misplaced fields from them, fields.py checks
the values. Learned from the Amazon States Language docs and AWS's own definitions.
"""

from __future__ import annotations

from engine.definition.validate.scopes import JSONATA, JSONPATH

Languages = frozenset[str]
ANY: Languages = frozenset({JSONPATH, JSONATA})
JP: Languages = frozenset({JSONPATH})  # JSONPath states only
JA: Languages = frozenset({JSONATA})  # JSONata states only

Fields = dict[str, Languages]

STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")

_COMMON: Fields = {"Type": ANY, "Comment": ANY, "QueryLanguage": ANY}
_FLOW: Fields = {"Next": ANY, "End": ANY}
_IO: Fields = {"InputPath": JP, "OutputPath": JP, "Output": JA}
_RESULT: Fields = {"Parameters": JP, "ResultSelector": JP, "ResultPath": JP}
_ERRORS: Fields = {"Retry": ANY, "Catch": ANY}

STATE_FIELDS: dict[str, Fields] = {
    "Pass": {**_COMMON, **_FLOW, **_IO, "Parameters": JP, "ResultPath": JP, "Result": JP, "Assign": ANY},
    "Task": {
        **_COMMON,
        **_FLOW,
        **_IO,
        **_RESULT,
        **_ERRORS,
        "Assign": ANY,
        "Arguments": JA,
        "Resource": ANY,
        "Credentials": ANY,
        "TimeoutSeconds": ANY,
        "TimeoutSecondsPath": JP,
        "HeartbeatSeconds": ANY,
        "HeartbeatSecondsPath": JP,
    },
    "Choice": {**_COMMON, **_IO, "Choices": ANY, "Default": ANY, "Assign": ANY},
    "Wait": {
        **_COMMON,
        **_FLOW,
        **_IO,
        "Assign": ANY,
        "Seconds": ANY,
        "Timestamp": ANY,
        "SecondsPath": JP,
        "TimestampPath": JP,
    },
    "Succeed": {**_COMMON, **_IO},
    "Fail": {**_COMMON, "Error": ANY, "Cause": ANY, "ErrorPath": JP, "CausePath": JP},
    "Parallel": {
        **_COMMON,
        **_FLOW,
        **_IO,
        **_RESULT,
        **_ERRORS,
        "Assign": ANY,
        "Arguments": JA,
        "Branches": ANY,
    },
    "Map": {
        **_COMMON,
        **_FLOW,
        **_IO,
        **_RESULT,
        **_ERRORS,
        "Assign": ANY,
        "ItemProcessor": ANY,
        "Iterator": JP,  # the older name of ItemProcessor
        "ItemsPath": JP,
        "Items": JA,
        "ItemSelector": ANY,
        "ItemReader": ANY,
        "ItemBatcher": ANY,
        "ResultWriter": ANY,
        "MaxConcurrency": ANY,
        "MaxConcurrencyPath": JP,
        "ToleratedFailurePercentage": ANY,
        "ToleratedFailurePercentagePath": JP,
        "ToleratedFailureCount": ANY,
        "ToleratedFailureCountPath": JP,
        "Label": ANY,
    },
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "Task": ("Resource",),
    "Choice": ("Choices",),
    "Parallel": ("Branches",),
}
"""Fields a state of the type must have (Map and Wait have their own one-of groups)."""

ONE_OF: dict[str, tuple[str, ...]] = {
    "Wait": ("Seconds", "Timestamp", "SecondsPath", "TimestampPath"),
    "Map": ("ItemProcessor", "Iterator"),
}
"""Groups of which a state of the type must have exactly one."""

AT_MOST_ONE: dict[str, tuple[tuple[str, ...], ...]] = {
    "Task": (("TimeoutSeconds", "TimeoutSecondsPath"), ("HeartbeatSeconds", "HeartbeatSecondsPath")),
    "Fail": (("Error", "ErrorPath"), ("Cause", "CausePath")),
    "Map": (
        ("MaxConcurrency", "MaxConcurrencyPath"),
        ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
        ("ToleratedFailureCount", "ToleratedFailureCountPath"),
        ("ItemSelector", "Parameters"),
    ),
    "ItemBatcher": (
        ("MaxItemsPerBatch", "MaxItemsPerBatchPath"),
        ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"),
    ),
    "ReaderConfig": (("MaxItems", "MaxItemsPath"),),
}

FLOW_TYPES = ("Pass", "Task", "Wait", "Parallel", "Map")
"""The types that need exactly one of Next and End."""

OBJECT_FIELDS: dict[str, Fields] = {
    "machine": {
        "StartAt": ANY,
        "States": ANY,
        "Comment": ANY,
        "Version": ANY,
        "TimeoutSeconds": ANY,
        "QueryLanguage": ANY,
    },
    "branch": {"StartAt": ANY, "States": ANY, "Comment": ANY},
    "processor": {"StartAt": ANY, "States": ANY, "Comment": ANY, "ProcessorConfig": ANY},
    "Retrier": {
        "ErrorEquals": ANY,
        "IntervalSeconds": ANY,
        "MaxAttempts": ANY,
        "BackoffRate": ANY,
        "MaxDelaySeconds": ANY,
        "JitterStrategy": ANY,
        "Comment": ANY,
    },
    "Catcher": {
        "ErrorEquals": ANY,
        "Next": ANY,
        "ResultPath": JP,
        "Output": JA,
        "Assign": ANY,
        "Comment": ANY,
    },
    "Credentials": {"RoleArn": ANY, "RoleArn.$": JP},
    "ProcessorConfig": {"Mode": ANY, "ExecutionType": ANY},
    "ItemReader": {"Resource": ANY, "ReaderConfig": ANY, "Parameters": JP, "Arguments": JA},
    "ItemBatcher": {
        "MaxItemsPerBatch": ANY,
        "MaxItemsPerBatchPath": JP,
        "MaxInputBytesPerBatch": ANY,
        "MaxInputBytesPerBatchPath": JP,
        "BatchInput": ANY,
    },
    "ResultWriter": {"Resource": ANY, "Parameters": JP, "Arguments": JA, "WriterConfig": ANY},
    "JSONPathRule": {"Next": ANY, "Comment": ANY, "Assign": ANY, "Variable": ANY},  # plus one operator
    "JSONataRule": {"Condition": ANY, "Next": ANY, "Comment": ANY, "Assign": ANY, "Output": ANY},
}
"""Fields of the objects inside a definition, by what they are."""

INSTEAD: dict[str, str] = {
    "Parameters": "Arguments",
    "InputPath": "Output (with $states.input)",
    "OutputPath": "Output",
    "ResultSelector": "Output (with $states.result)",
    "ResultPath": "Output or Assign",
    "Result": "Output",
    "ItemsPath": "Items",
    "Iterator": "ItemProcessor",
    "TimeoutSecondsPath": "TimeoutSeconds with a {% %} expression",
    "HeartbeatSecondsPath": "HeartbeatSeconds with a {% %} expression",
    "SecondsPath": "Seconds with a {% %} expression",
    "TimestampPath": "Timestamp with a {% %} expression",
    "ErrorPath": "Error with a {% %} expression",
    "CausePath": "Cause with a {% %} expression",
    "MaxConcurrencyPath": "MaxConcurrency with a {% %} expression",
    "ToleratedFailurePercentagePath": "ToleratedFailurePercentage with a {% %} expression",
    "ToleratedFailureCountPath": "ToleratedFailureCount with a {% %} expression",
    "MaxItemsPerBatchPath": "MaxItemsPerBatch with a {% %} expression",
    "MaxInputBytesPerBatchPath": "MaxInputBytesPerBatch with a {% %} expression",
    "RoleArn.$": "RoleArn with a {% %} expression",
    "Arguments": "Parameters",
    "Output": "OutputPath or ResultSelector",
    "Items": "ItemsPath",
    "Condition": "Variable and a comparison operator",
}
"""What to use instead of a field that belongs to the other query language."""
