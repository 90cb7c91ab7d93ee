"""A distributed Map's ItemReader and ResultWriter, carried out as task effects.

The stepper reads and writes nothing itself: it asks the runner (an InvokeTask on the reader's
or writer's Resource, e.g. `arn:aws:states:::s3:getObject`) and resumes with the answer; the
local S3 stand-in in engine/integrations/storage.py answers those calls without AWS.
"""

from __future__ import annotations

from typing import Any

from engine.data.context import EvalContext
from engine.data.pipeline import bindings
from engine.data.templates import compile_template
from engine.definition.model import MapState
from engine.errors import ErrorName, StatesError
from engine.json import JSON, dumps
from engine.runtime.effects import InvokeTask
from engine.runtime.execution import Frame


def start_reading(turn: Any, frame: Frame, state: MapState, value: JSON, ctx: EvalContext) -> None:
    reader: dict[str, Any] = state.item_reader if isinstance(state.item_reader, dict) else {}
    if state.jsonata:
        params = reader.get("Arguments", {})
        if params:
            from engine.data import jsonata

            params = jsonata.compile_template(params).evaluate(
                bindings(ctx, frame.input), "Arguments", ctx.rng
            )
    else:
        params = compile_template(reader.get("Parameters", {}))(value, ctx)
    call = {**(params if isinstance(params, dict) else {}), "ReaderConfig": reader.get("ReaderConfig", {})}
    _ask(turn, frame, state, str(reader.get("Resource", "")), call)
    frame.fanout = {"phase": "reading", "input": value, "children": []}


def start_writing(turn: Any, frame: Frame, state: MapState, results: list[JSON], map_run_arn: str) -> None:
    writer: dict[str, Any] = state.result_writer if isinstance(state.result_writer, dict) else {}
    rows = [
        {"Status": "FAILED" if _failed(r) else "SUCCEEDED", "Output": dumps(r), "Index": i}
        for i, r in enumerate(results)
    ]
    call = {"ResultWriter": writer.get("Parameters", writer.get("Arguments", {})), "Results": rows,
            "MapRunArn": map_run_arn}  # fmt: skip
    _ask(turn, frame, state, str(writer.get("Resource", "")), call)
    frame.fanout = {"phase": "writing", "map_run_arn": map_run_arn, "children": []}


def answer(kind: str, payload: Any, fanout: dict[str, Any]) -> JSON:
    """The reader's items or the writer's details; a failure as AWS names it."""
    reading = fanout["phase"] == "reading"
    if kind == "failed":
        error, cause = payload
        name = ErrorName.ITEM_READER_FAILED if reading else ErrorName.RESULT_WRITER_FAILED
        failure = StatesError(error or name, cause)
        failure.located = True
        raise failure
    if reading:
        if not isinstance(payload, list):
            raise StatesError(ErrorName.ITEM_READER_FAILED, f"The ItemReader gave no array: {dumps(payload)}")
        return payload
    return {"MapRunArn": fanout["map_run_arn"], "ResultWriterDetails": payload}


def _ask(turn: Any, frame: Frame, state: MapState, resource: str, parameters: JSON) -> None:
    task_id = turn.execution.next_id("task-")
    turn.recorder.effect(InvokeTask(task_id, resource, parameters, state.name))
    turn.wait_for(frame, task_id)


def _failed(result: JSON) -> bool:
    return isinstance(result, dict) and set(result) <= {"Error", "Cause"} and "Error" in result
