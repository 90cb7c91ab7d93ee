"""Compile a validated ASL document into the frozen model: every path, template and rule once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from engine import choice_rules
from engine.data import jsonata, pipeline
from engine.data.context import EvalContext
from engine.data.paths import Path, compile_path, compile_reference_path
from engine.data.templates import (
    Evaluate,
    compile_template,
    path_evaluator,
    read_path,
    reads_context,
    reads_input_only,
)
from engine.definition.model import (
    JSONATA,
    JSONPATH,
    Assign,
    Catcher,
    ChoiceBranch,
    ChoiceState,
    FailState,
    MapState,
    ParallelState,
    PassState,
    Retrier,
    Scope,
    State,
    StateMachine,
    SucceedState,
    TaskState,
    Timeouts,
    WaitState,
)
from engine.json import JSON, MISSING

Raw = Mapping[str, Any]


def compile_machine(document: Raw) -> StateMachine:
    scopes: dict[str, Scope] = {}
    language = document.get("QueryLanguage", JSONPATH)
    root = _scope(document, "", language, scopes)
    return StateMachine(
        root=root,
        document=document,
        timeout_seconds=document.get("TimeoutSeconds"),
        comment=document.get("Comment"),
        scopes=scopes,
    )


def _scope(raw: Raw, pointer: str, language: str, scopes: dict[str, Scope]) -> Scope:
    states = {
        name: _state(name, body, f"{pointer}/States/{_escape(name)}", language, scopes)
        for name, body in raw["States"].items()
    }
    scope = Scope(pointer=pointer, start_at=raw["StartAt"], states=states, query_language=language)
    scopes[pointer] = scope
    return scope


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _state(name: str, raw: Raw, pointer: str, inherited: str, scopes: dict[str, Scope]) -> State:
    state = _typed_state(name, raw, pointer, inherited, scopes)
    if not state.jsonata:
        # Derived from the state's own fields, once: object.__setattr__ as in a __post_init__.
        object.__setattr__(state, "input_stage", pipeline.input_stage(state))
        object.__setattr__(state, "output_stage", pipeline.output_stage(state))
        object.__setattr__(state, "context_free", _context_free(raw, state))
    return state


def _context_free(raw: Raw, state: State) -> bool:
    """Whether a JSONPath Pass, Choice or Succeed reads only its input (see State.context_free)."""
    if state.type not in ("Pass", "Choice", "Succeed") or state.assign is not None:
        return False
    paths = [raw[field] for field in ("InputPath", "OutputPath") if isinstance(raw.get(field), str)]
    for rule in raw.get("Choices", ()) if state.type == "Choice" else ():
        if "Assign" in rule:
            return False
        paths += [path for _, path in choice_rules.compile_rule(_rule_only(rule)).paths]
    templates = [raw[field] for field in ("Parameters", "ResultSelector") if field in raw]
    return all(reads_input_only(path) for path in paths) and not any(map(reads_context, templates))


def _typed_state(name: str, raw: Raw, pointer: str, inherited: str, scopes: dict[str, Scope]) -> State:
    language = raw.get("QueryLanguage", inherited)
    common = _common(name, raw, pointer, language)
    kind = raw["Type"]
    if kind == "Pass":
        return PassState(**common, result=raw.get("Result", MISSING))
    if kind == "Task":
        return TaskState(
            **common,
            **_recovery(raw, pointer, language),
            resource=raw["Resource"] if not jsonata.is_expression(raw["Resource"]) else "",
            resource_expression=_jsonata_or_none(raw["Resource"]),
            timeouts=_timeouts(raw, language),
            credentials=raw.get("Credentials"),
        )
    if kind == "Choice":
        return ChoiceState(**common, choices=_choices(raw, pointer, language), default=raw.get("Default"))
    if kind == "Wait":
        return _wait(raw, common)
    if kind == "Succeed":
        return SucceedState(**common)
    if kind == "Fail":
        return _fail(raw, common)
    if kind == "Parallel":
        branches = tuple(
            # nested states inherit the machine's QueryLanguage, not the enclosing state's (AWS)
            _scope(branch, f"{pointer}/Branches/{i}", inherited, scopes)
            for i, branch in enumerate(raw["Branches"])
        )
        return ParallelState(**common, **_recovery(raw, pointer, language), branches=branches)
    if kind == "Map":
        return _map(raw, pointer, language, common, scopes, inherited)
    raise ValueError(f"unknown state type {kind!r}")  # validate() refuses these first


def _common(name: str, raw: Raw, pointer: str, language: str) -> dict[str, Any]:
    common: dict[str, Any] = {
        "name": name,
        "type": raw["Type"],
        "pointer": pointer,
        "raw": raw,
        "query_language": language,
        "next": raw.get("Next"),
        "end": raw.get("End") is True,
    }
    if "Assign" in raw:
        common["assign"] = _assign(raw["Assign"], language)
    if language == JSONATA:
        if "Arguments" in raw:
            common["arguments"] = jsonata.compile_template(raw["Arguments"])
        if "Output" in raw:
            common["output"] = jsonata.compile_template(raw["Output"])
        return common
    for field, key in (("InputPath", "input_path"), ("OutputPath", "output_path")):
        if field in raw:
            if raw[field] is None:
                common[f"{key}_null"] = True
            elif raw[field] != "$":
                common[key] = compile_path(raw[field])
    if "ResultPath" in raw:
        if raw["ResultPath"] is None:
            common["result_path_null"] = True
        else:
            common["result_path"] = compile_reference_path(raw["ResultPath"])
    if "Parameters" in raw:
        common["parameters"] = compile_template(raw["Parameters"])
    if "ResultSelector" in raw:
        common["result_selector"] = compile_template(raw["ResultSelector"])
    return common


def _assign(raw: JSON, language: str) -> Assign:
    if language == JSONATA:
        return Assign(jsonata=True, expressions=jsonata.compile_template(raw))
    return Assign(jsonata=False, template=compile_template(raw))


def _jsonata_or_none(value: JSON) -> Any:
    return jsonata.compile_template(value) if jsonata.is_expression(value) else None


def _recovery(raw: Raw, pointer: str, language: str) -> dict[str, Any]:
    retry = tuple(
        Retrier(
            pointer=f"{pointer}/Retry/{i}",
            error_equals=tuple(r["ErrorEquals"]),
            interval_seconds=r.get("IntervalSeconds", 1),
            max_attempts=r.get("MaxAttempts", 3),
            backoff_rate=r.get("BackoffRate", 2.0),
            max_delay_seconds=r.get("MaxDelaySeconds"),
            jitter=r.get("JitterStrategy", "NONE"),
        )
        for i, r in enumerate(raw.get("Retry", ()))
    )
    catch = tuple(_catcher(c, f"{pointer}/Catch/{i}", language) for i, c in enumerate(raw.get("Catch", ())))
    return {"retry": retry, "catch": catch}


def _catcher(raw: Raw, pointer: str, language: str) -> Catcher:
    result_path = raw.get("ResultPath", "$")
    return Catcher(
        pointer=pointer,
        error_equals=tuple(raw["ErrorEquals"]),
        next=raw["Next"],
        result_path=compile_reference_path(result_path) if isinstance(result_path, str) else None,
        discard_result="ResultPath" in raw and raw["ResultPath"] is None,
        output=jsonata.compile_template(raw["Output"]) if "Output" in raw else None,
        assign=_assign(raw["Assign"], language) if "Assign" in raw else None,
    )


def _timeouts(raw: Raw, language: str) -> Timeouts:
    def number(field: str) -> float | None:
        value = raw.get(field)
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    return Timeouts(
        timeout_seconds=number("TimeoutSeconds"),
        timeout_path=compile_path(raw["TimeoutSecondsPath"]) if "TimeoutSecondsPath" in raw else None,
        timeout_expression=_jsonata_or_none(raw.get("TimeoutSeconds")),
        heartbeat_seconds=number("HeartbeatSeconds"),
        heartbeat_path=compile_path(raw["HeartbeatSecondsPath"]) if "HeartbeatSecondsPath" in raw else None,
        heartbeat_expression=_jsonata_or_none(raw.get("HeartbeatSeconds")),
    )


def _choices(raw: Raw, pointer: str, language: str) -> tuple[ChoiceBranch, ...]:
    branches = []
    for i, rule in enumerate(raw["Choices"]):
        at = f"{pointer}/Choices/{i}"
        branches.append(
            ChoiceBranch(
                pointer=at,
                next=rule["Next"],
                matches=_condition(rule) if language == JSONATA else _rule(rule),
                assign=_assign(rule["Assign"], language) if "Assign" in rule else None,
                output=jsonata.compile_template(rule["Output"]) if "Output" in rule else None,
            )
        )
    return tuple(branches)


def _rule(raw: Raw) -> Callable[[JSON, EvalContext], bool]:
    rule = choice_rules.compile_rule(_rule_only(raw))
    test = rule.matches
    paths = {text: compile_path(text) for _, text in rule.paths}  # every path the rule reads, once

    def read(doc: JSON, ctx: EvalContext, text: str) -> JSON:
        path = paths[text]
        return path.find(doc) if path.root == "$" else read_path(path, doc, ctx)

    def matches(doc: JSON, ctx: EvalContext) -> bool:
        return test(partial(read, doc, ctx))  # a partial: one object per test, not a closure's three

    return matches


def _rule_only(raw: Raw) -> Raw:
    return {k: v for k, v in raw.items() if k not in ("Next", "Assign", "Comment")}


def _condition(raw: Raw) -> Callable[[JSON, EvalContext], bool]:
    # Evaluated by the Choice handler with $states bindings; this marker carries the expression.
    condition = jsonata.compile_template(raw["Condition"])

    def matches(bindings: JSON, ctx: EvalContext) -> bool:
        value = condition.evaluate(bindings, "Condition", ctx.rng)
        if not isinstance(value, bool):
            from engine.errors import QueryEvaluationError

            raise QueryEvaluationError(
                f"The JSONata expression '{raw['Condition'][2:-2].strip()}' specified for the field "
                f"'Condition' returned an unexpected result type. Expected 'boolean', but was "
                f"'{type(value).__name__}' for value: {value}"
            )
        return value

    return matches


def _wait(raw: Raw, common: dict[str, Any]) -> WaitState:
    seconds, timestamp = raw.get("Seconds"), raw.get("Timestamp")
    return WaitState(
        **common,
        seconds=None if jsonata.is_expression(seconds) else seconds,
        timestamp=None if jsonata.is_expression(timestamp) else timestamp,
        seconds_path=compile_path(raw["SecondsPath"]) if "SecondsPath" in raw else None,
        timestamp_path=compile_path(raw["TimestampPath"]) if "TimestampPath" in raw else None,
        seconds_expression=_jsonata_or_none(seconds),
        timestamp_expression=_jsonata_or_none(timestamp),
    )


def _fail(raw: Raw, common: dict[str, Any]) -> FailState:
    def dynamic(field: str) -> Evaluate | None:
        if field not in raw:
            return None
        text = raw[field]
        from engine.data.intrinsics import looks_like_intrinsic
        from engine.data.templates import compile_expression

        if looks_like_intrinsic(text):
            return compile_expression(text, field)
        return path_evaluator(compile_path(text), field)

    error, cause = raw.get("Error"), raw.get("Cause")
    return FailState(
        **common,
        error=None if jsonata.is_expression(error) else error,
        cause=None if jsonata.is_expression(cause) else cause,
        error_path=dynamic("ErrorPath"),
        cause_path=dynamic("CausePath"),
        error_expression=_jsonata_or_none(error),
        cause_expression=_jsonata_or_none(cause),
    )


def _map(
    raw: Raw, pointer: str, language: str, common: dict[str, Any], scopes: dict[str, Scope], inherited: str
) -> MapState:
    processor_key = "ItemProcessor" if "ItemProcessor" in raw else "Iterator"
    processor_raw = raw[processor_key]
    processor = _scope(processor_raw, f"{pointer}/{processor_key}", inherited, scopes)
    config = processor_raw.get("ProcessorConfig") or {}
    selector_raw = raw.get("ItemSelector", raw.get("Parameters"))
    if language == JSONPATH and "Parameters" in raw and "ItemSelector" not in raw:
        common = {**common, "parameters": None}  # legacy Parameters select each item, not the input

    def path(field: str) -> Path | None:
        return compile_path(raw[field]) if field in raw else None

    def number(field: str) -> Any:
        value = raw.get(field)
        return None if value is None or jsonata.is_expression(value) else value

    items = raw.get("Items", MISSING)
    return MapState(
        **common,
        **_recovery(raw, pointer, language),
        processor=processor,
        distributed=config.get("Mode") == "DISTRIBUTED",
        items_path=path("ItemsPath"),
        items=MISSING if language == JSONATA and items is not MISSING else items,
        items_expression=jsonata.compile_template(items)
        if language == JSONATA and items is not MISSING
        else None,
        item_selector=compile_template(selector_raw)
        if selector_raw is not None and language == JSONPATH
        else None,
        item_selector_jsonata=jsonata.compile_template(selector_raw)
        if selector_raw is not None and language == JSONATA
        else None,
        max_concurrency=number("MaxConcurrency") or 0,
        max_concurrency_path=path("MaxConcurrencyPath"),
        max_concurrency_expression=_jsonata_or_none(raw.get("MaxConcurrency")),
        tolerated_percentage=number("ToleratedFailurePercentage"),
        tolerated_percentage_path=path("ToleratedFailurePercentagePath"),
        tolerated_percentage_expression=_jsonata_or_none(raw.get("ToleratedFailurePercentage")),
        tolerated_count=number("ToleratedFailureCount"),
        tolerated_count_path=path("ToleratedFailureCountPath"),
        tolerated_count_expression=_jsonata_or_none(raw.get("ToleratedFailureCount")),
        item_batcher=raw.get("ItemBatcher"),
        item_reader=raw.get("ItemReader"),
        result_writer=raw.get("ResultWriter"),
        label=raw.get("Label"),
    )
