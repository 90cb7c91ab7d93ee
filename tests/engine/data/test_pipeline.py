"""The compiled stages of a state do what the field-by-field pipeline does, errors included."""

import itertools

import pytest

from engine.data.context import NO_CONTEXT
from engine.data.pipeline import effective_input, finish_output, input_stage, output_stage
from engine.definition import load_machine
from engine.errors import StatesError

INPUT_PATHS = [{}, {"InputPath": "$"}, {"InputPath": None}, {"InputPath": "$.order"}, {"InputPath": "$.nope"}]
PARAMETERS = [{}, {"Parameters": {"id.$": "$.id", "fixed": [1, 2]}}]
RESULT_PATHS = [
    {},
    {"ResultPath": "$"},
    {"ResultPath": None},
    {"ResultPath": "$.step"},
    {"ResultPath": "$.a.b"},
]
OUTPUT_PATHS = [{}, {"OutputPath": "$"}, {"OutputPath": None}, {"OutputPath": "$.step"}]
INPUTS = [{"order": {"id": 7}, "id": 1, "step": 0}, {"a": 5}, [1, 2]]


def pass_state(fields):
    machine, diagnostics = load_machine(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True, **fields}}}
    )
    assert machine is not None, diagnostics
    return machine.root.states["P"]


def outcome(run):
    try:
        return "ok", run()
    except StatesError as error:
        return error.error, error.cause


@pytest.mark.parametrize("fields", [{**a, **b} for a, b in itertools.product(INPUT_PATHS, PARAMETERS)])
@pytest.mark.parametrize("raw", INPUTS)
def test_the_input_stage_is_input_path_then_parameters(fields, raw):
    state = pass_state(fields)
    stage = state.input_stage

    staged = outcome(lambda: raw if stage is None else stage(raw, NO_CONTEXT))

    assert staged == outcome(lambda: effective_input(state, raw, NO_CONTEXT))


@pytest.mark.parametrize("fields", [{**a, **b} for a, b in itertools.product(RESULT_PATHS, OUTPUT_PATHS)])
@pytest.mark.parametrize("raw", INPUTS)
def test_the_output_stage_is_result_path_then_output_path(fields, raw):
    state = pass_state(fields)
    stage = state.output_stage
    result = {"step": 3}

    staged = outcome(lambda: result if stage is None else stage(raw, result, NO_CONTEXT))

    assert staged == outcome(lambda: finish_output(state, raw, result, NO_CONTEXT))


def test_a_state_reading_only_its_input_needs_no_context():
    assert pass_state({"Parameters": {"id.$": "$.id"}, "ResultPath": "$.r"}).context_free
    assert not pass_state({"Parameters": {"id.$": "$$.Execution.Id"}}).context_free
    assert not pass_state({"Parameters": {"n.$": "States.MathAdd($.n, 1)"}}).context_free
    assert not pass_state({"Assign": {"x": 1}}).context_free
    assert not pass_state({"OutputPath": "$$.State"}).context_free


def test_stages_are_built_from_the_fields_alone():
    state = pass_state({})

    assert (input_stage(state), output_stage(state)) == (None, None)
