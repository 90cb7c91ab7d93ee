"""Field values: which check each field's value gets, and the rules that run them.

Fields in the wrong place (unknown, or for the other query language) were reported by
structure.py and are skipped here, so one mistake gives one diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from engine.definition.diagnostics import Diagnostic, join, quote, schema_error
from engine.definition.validate import values as v
from engine.definition.validate.schema import OBJECT_FIELDS, STATE_FIELDS, STATE_TYPES, Languages
from engine.definition.validate.scopes import Definition, State
from engine.definition.validate.structure import unknown_fields
from engine.json import JSON

Checks = Mapping[str, v.Check]

STATE_CHECKS: Checks = {
    "Comment": v.text,
    "Next": v.name,
    "End": v.boolean,
    "Default": v.name,
    "InputPath": v.optional_path,
    "OutputPath": v.optional_path,
    "ResultPath": v.result_path,
    "Parameters": v.template,
    "ResultSelector": v.template,
    "ItemSelector": v.selector,
    "Result": v.pass_result,
    "Output": v.jsonata_value,
    "Arguments": v.expression_or_object,
    "Assign": v.assign,
    "Resource": v.string_or_expression,
    "Credentials": v.obj,
    "TimeoutSeconds": v.integer(1, v.MAX_SECONDS),
    "HeartbeatSeconds": v.integer(1, v.MAX_SECONDS),
    "TimeoutSecondsPath": v.reference_path,
    "HeartbeatSecondsPath": v.reference_path,
    "Choices": v.nonempty_array,
    "Seconds": v.integer(0, v.MAX_SECONDS),
    "Timestamp": v.timestamp,
    "SecondsPath": v.reference_path,
    "TimestampPath": v.reference_path,
    "Error": v.message_text,
    "Cause": v.message_text,
    "ErrorPath": v.error_path,
    "CausePath": v.error_path,
    "Branches": v.branches,
    "ItemProcessor": v.obj,
    "Iterator": v.obj,
    "ItemsPath": v.reference_path,
    "Items": v.items,
    "ItemReader": v.obj,
    "ItemBatcher": v.obj,
    "ResultWriter": v.obj,
    "MaxConcurrency": v.integer(0),
    "MaxConcurrencyPath": v.reference_path,
    "ToleratedFailurePercentage": v.number(0, 100),
    "ToleratedFailurePercentagePath": v.reference_path,
    "ToleratedFailureCount": v.integer(0),
    "ToleratedFailureCountPath": v.reference_path,
    "Label": v.label,
    "Retry": v.array,  # may be empty (conformance: test_lambda_empty_retry, test_catch_empty)
    "Catch": v.array,
}

OBJECT_CHECKS: Mapping[str, Checks] = {
    "machine": {"Comment": v.text, "Version": v.one_of("1.0"), "TimeoutSeconds": v.integer(1, v.MAX_SECONDS)},
    "branch": {"Comment": v.text},
    "processor": {"Comment": v.text, "ProcessorConfig": v.obj},
    "Retrier": {
        "ErrorEquals": v.nonempty_array,
        "IntervalSeconds": v.integer(1, v.MAX_SECONDS),
        "MaxAttempts": v.integer(0, v.MAX_SECONDS),
        "BackoffRate": v.number(1.0),
        "MaxDelaySeconds": v.integer(1, 31_622_400),
        "JitterStrategy": v.one_of("FULL", "NONE"),
        "Comment": v.text,
    },
    "Catcher": {
        "ErrorEquals": v.nonempty_array,
        "Next": v.name,
        "ResultPath": v.result_path,
        "Output": v.jsonata_value,
        "Assign": v.assign,
        "Comment": v.text,
    },
    "Credentials": {"RoleArn": v.string_or_expression, "RoleArn.$": v.error_path},
    "ProcessorConfig": {
        "Mode": v.one_of("INLINE", "DISTRIBUTED"),
        "ExecutionType": v.one_of("STANDARD", "EXPRESS"),
    },
    "ItemReader": {
        "Resource": v.string_or_expression,
        "ReaderConfig": v.obj,
        "Parameters": v.template,
        "Arguments": v.expression_or_object,
    },
    "ReaderConfig": {
        "InputType": v.text,
        "CSVHeaderLocation": v.text,
        "CSVHeaders": v.strings,
        "CSVDelimiter": v.text,
        "ManifestType": v.text,
        "MaxItems": v.integer(0),
        "MaxItemsPath": v.reference_path,
    },
    "ItemBatcher": {
        "MaxItemsPerBatch": v.integer(1),
        "MaxItemsPerBatchPath": v.reference_path,
        "MaxInputBytesPerBatch": v.integer(1, 262_144),
        "MaxInputBytesPerBatchPath": v.reference_path,
        "BatchInput": v.selector,
    },
    "ResultWriter": {
        "Resource": v.string_or_expression,
        "Parameters": v.template,
        "Arguments": v.expression_or_object,
        "WriterConfig": v.obj,
    },
    "WriterConfig": {"OutputType": v.text, "Transformation": v.text},
}


def check_fields(
    node: Mapping[str, JSON],
    location: str,
    checks: Checks,
    state: State | None,
    allowed: Mapping[str, Languages] | None = None,
) -> Iterator[Diagnostic]:
    """Run each field's check; skip fields `allowed` rules out for the state's query language."""
    jsonata = state is not None and state.jsonata
    for key, value in node.items():
        check = checks.get(key)
        if check is None:
            continue
        if allowed is not None and state is not None and state.query_language not in allowed.get(key, ()):
            continue
        yield from check(value, v.Site(key, join(location, key), jsonata))


def state_values(definition: Definition) -> Iterator[Diagnostic]:
    for state in definition.states:
        if state.type in STATE_TYPES:
            yield from check_fields(
                state.node, state.location, STATE_CHECKS, state, STATE_FIELDS[str(state.type)]
            )


def scope_values(definition: Definition) -> Iterator[Diagnostic]:
    for scope in definition.scopes:
        yield from check_fields(scope.node, scope.location, OBJECT_CHECKS[scope.kind], None)
        config = scope.node.get("ProcessorConfig")
        if scope.kind == "processor" and isinstance(config, dict):
            yield from _processor_config(config, join(scope.location, "ProcessorConfig"))


def _processor_config(config: dict[str, JSON], location: str) -> Iterator[Diagnostic]:
    yield from _nested(config, location, "ProcessorConfig", None)
    if config.get("Mode") == "DISTRIBUTED" and "ExecutionType" not in config:
        message = "The field 'ExecutionType' is required but was missing: a DISTRIBUTED Map needs one."
        yield schema_error(message, location)


def _nested(node: dict[str, JSON], location: str, kind: str, state: State | None) -> Iterator[Diagnostic]:
    """An object inside a state: its unknown fields, then its values."""
    language = state.query_language if state is not None else "JSONPath"
    fields = OBJECT_FIELDS.get(kind)
    if fields is not None:
        owner = f"a {kind}" if kind in ("Retrier", "Catcher") else f"the {kind} object"
        yield from unknown_fields(node, location, fields, language, owner)
    yield from check_fields(node, location, OBJECT_CHECKS[kind], state, fields)


def timeouts(definition: Definition) -> Iterator[Diagnostic]:
    """HeartbeatSeconds is smaller than TimeoutSeconds (when both are written as numbers)."""
    for state in definition.states:
        timeout: JSON = state.node.get("TimeoutSeconds")
        heartbeat: JSON = state.node.get("HeartbeatSeconds")
        if (
            state.type == "Task"
            and v.is_integer(timeout)
            and v.is_integer(heartbeat)
            and heartbeat >= timeout
        ):
            message = f"HeartbeatSeconds must be smaller than TimeoutSeconds ({timeout}). Lower it."
            yield schema_error(message, state.at("HeartbeatSeconds"))


def recovery(definition: Definition) -> Iterator[Diagnostic]:
    """Retry and Catch: their entries' fields, ErrorEquals, and States.ALL alone and last."""
    for state in definition.states:
        for field, kind in (("Retry", "Retrier"), ("Catch", "Catcher")):
            entries = state.node.get(field)
            if state.type not in ("Task", "Parallel", "Map") or not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                location = state.at(field, index)
                if not isinstance(entry, dict):
                    yield schema_error(f"Each {kind} must be an object with ErrorEquals.", location)
                    continue
                yield from _nested(entry, location, kind, state)
                for key in ("ErrorEquals", "Next") if kind == "Catcher" else ("ErrorEquals",):
                    if key not in entry:
                        message = f"The field {quote(key)} is required but was missing in this {kind}."
                        yield schema_error(message, location)
                yield from _error_equals(entry.get("ErrorEquals"), location, kind, index == len(entries) - 1)


def _error_equals(names: JSON, location: str, kind: str, last: bool) -> Iterator[Diagnostic]:
    if not isinstance(names, list):
        return
    at = join(location, "ErrorEquals")
    for index, error_name in enumerate(names):
        if not isinstance(error_name, str) or error_name == "":
            yield schema_error("Each entry of ErrorEquals must be an error name string.", join(at, index))
    if "States.ALL" in names and len(names) > 1:
        message = (
            f"States.ALL must appear alone in its ErrorEquals. Move the other names to a {kind} of their own."
        )
        yield schema_error(message, at)
    if "States.ALL" in names and not last:
        yield schema_error(f"A {kind} with States.ALL must be the last one. Move it to the end.", at)


def nested_objects(definition: Definition) -> Iterator[Diagnostic]:
    """Credentials, ItemReader (and ReaderConfig), ItemBatcher, ResultWriter (and WriterConfig)."""
    for state in definition.states:
        for kind in ("Credentials", "ItemReader", "ItemBatcher", "ResultWriter"):
            node = state.node.get(kind)
            if not isinstance(node, dict) or state.type not in ("Task", "Map"):
                continue
            yield from _nested(node, state.at(kind), kind, state)
            for inner in ("ReaderConfig", "WriterConfig"):
                if isinstance(config := node.get(inner), dict):
                    yield from check_fields(config, state.at(kind, inner), OBJECT_CHECKS[inner], state)
            if kind == "Credentials" and "RoleArn" not in node and "RoleArn.$" not in node:
                message = "The field 'RoleArn' is required but was missing. Add the role the task runs as."
                yield schema_error(message, state.at(kind))
            if kind == "ItemReader" and "Resource" not in node:
                yield schema_error(
                    "The field 'Resource' is required but was missing in ItemReader.", state.at(kind)
                )
