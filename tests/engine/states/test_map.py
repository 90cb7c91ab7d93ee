"""Map: one iteration per item, at most MaxConcurrency at once, results in item order."""

import random

import pytest

import engine
from engine.definition import load_machine
from engine.testing import machine_of, run

CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
DISTRIBUTED = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}


def processor(*states, config=None):
    """An ItemProcessor of the given states chained in order, named I0, I1, ..."""
    names = [f"I{i}" for i in range(len(states))]
    chained = {}
    for i, (name, state) in enumerate(zip(names, states)):
        state = dict(state)
        if state["Type"] not in ("Succeed", "Fail", "Choice"):
            state.update({"Next": names[i + 1]} if i + 1 < len(names) else {"End": True})
        chained[name] = state
    result = {"StartAt": names[0], "States": chained}
    if config is not None:
        result["ProcessorConfig"] = config
    return result


def map_of(*states, config=None, **fields):
    return machine_of({"Type": "Map", "ItemProcessor": processor(*states, config=config), **fields})


def test_each_item_runs_through_the_processor_and_results_keep_item_order():
    machine = map_of({"Type": "Pass", "Parameters": {"double.$": "States.MathAdd($.n, $.n)"}})

    result = run(machine, [{"n": 1}, {"n": 2}, {"n": 3}])

    assert result.output == [{"double": 2}, {"double": 4}, {"double": 6}]


def test_results_keep_item_order_when_iterations_finish_out_of_order():
    machine = map_of({"Type": "Wait", "SecondsPath": "$"}, {"Type": "Pass"})

    result = run(machine, [30, 20, 10, 0])

    assert result.output == [30, 20, 10, 0]
    finished = [
        e["mapIterationSucceededEventDetails"]["index"]
        for e in result.events
        if e["type"] == "MapIterationSucceeded"
    ]
    assert finished == [3, 2, 1, 0]


def test_map_records_started_iterations_and_succeeded_events():
    machine = map_of({"Type": "Pass"}, MaxConcurrency=1)

    result = run(machine, ["a", "b"])

    assert result.event_types() == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapIterationStarted",
        "PassStateEntered",
        "PassStateExited",
        "MapIterationSucceeded",
        "MapIterationStarted",
        "PassStateEntered",
        "PassStateExited",
        "MapIterationSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]
    assert result.events[2]["mapStateStartedEventDetails"] == {"length": 2}
    assert result.events[3]["mapIterationStartedEventDetails"] == {"name": "Map", "index": 0}
    assert result.events[7]["mapIterationStartedEventDetails"] == {"name": "Map", "index": 1}


def test_an_empty_array_gives_an_empty_result():
    machine = map_of({"Type": "Pass"})

    result = run(machine, [])

    assert result.output == []
    assert result.events[2]["mapStateStartedEventDetails"] == {"length": 0}
    assert "MapIterationStarted" not in result.event_types()


def test_items_path_selects_the_array():
    machine = map_of({"Type": "Pass"}, ItemsPath="$.order.lines")

    result = run(machine, {"order": {"lines": [1, 2]}})

    assert result.output == [1, 2]


def test_item_selector_sees_the_index_the_value_and_the_state_input():
    machine = map_of(
        {"Type": "Pass"},
        ItemsPath="$.items",
        ItemSelector={"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
    )

    result = run(machine, {"items": ["a", "b"], "tag": "t"})

    assert result.output == [{"index": 0, "value": "a", "tag": "t"}, {"index": 1, "value": "b", "tag": "t"}]


def test_legacy_iterator_and_parameters_still_work():
    machine = machine_of(
        {
            "Type": "Map",
            "Parameters": {"v.$": "$$.Map.Item.Value"},
            "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        }
    )

    result = run(machine, [5])

    assert result.output == [{"v": 5}]


def test_a_non_array_fails_with_states_runtime():
    machine = map_of({"Type": "Pass"})

    result = run(machine, {"not": "an array"})

    assert result.error == "States.Runtime"
    assert result.cause.endswith('Map state input must be an array but was: {"not":"an array"}')


def test_result_selector_and_result_path_shape_the_results():
    machine = map_of({"Type": "Pass"}, ItemsPath="$.items", ResultSelector={"all.$": "$"}, ResultPath="$.out")

    result = run(machine, {"items": [1, 2]})

    assert result.output == {"items": [1, 2], "out": {"all": [1, 2]}}


def test_a_failing_iteration_fails_the_map_with_its_own_error():
    machine = machine_of(
        {
            "Type": "Map",
            "MaxConcurrency": 1,
            "ItemProcessor": {
                "StartAt": "Check",
                "States": {
                    "Check": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Bad"}],
                        "Default": "Good",
                    },
                    "Bad": {"Type": "Fail", "Error": "Two", "Cause": "item two"},
                    "Good": {"Type": "Pass", "End": True},
                },
            },
        }
    )

    result = run(machine, [1, 2, 3])

    assert (result.status, result.error, result.cause) == ("FAILED", "Two", "item two")
    assert result.event_types()[-4:] == [
        "FailStateEntered",
        "MapIterationFailed",
        "MapStateFailed",
        "ExecutionFailed",
    ]
    assert result.event_types().count("MapIterationStarted") == 2


def test_catch_on_a_map_handles_an_iteration_error():
    machine = machine_of(
        {
            "Each": {
                "Type": "Map",
                "ItemProcessor": processor({"Type": "Fail", "Error": "Bad"}),
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handle"}],
                "ItemsPath": "$.items",
                "End": True,
            },
            "Handle": {"Type": "Pass", "End": True},
        }
    )

    result = run(machine, {"items": [1]})

    assert result.status == "SUCCEEDED"
    assert result.output == {"items": [1], "error": {"Error": "Bad"}}


# --- MaxConcurrency --------------------------------------------------------------------------


def drive_callbacks(machine, items, seed):
    """Answer the map's tasks in a random order; return the most tasks ever pending at once."""
    rng = random.Random(seed)
    step = engine.start(machine, engine.Start(input=items), 0.0)
    pending = [e for e in step.effects if isinstance(e, engine.InvokeTask)]
    most = len(pending)
    now = 0.0
    while pending:
        call = pending.pop(rng.randrange(len(pending)))
        now += 1
        step = engine.step(step.execution, engine.TaskSucceeded(call.task_id, call.parameters), now)
        pending += [e for e in step.effects if isinstance(e, engine.InvokeTask)]
        most = max(most, len(pending))
    return most, step.execution


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_max_concurrency_bounds_the_iterations_with_pending_tasks(limit):
    machine = map_of({"Type": "Task", "Resource": CALLBACK, "Parameters": {"v.$": "$"}}, MaxConcurrency=limit)

    for seed in range(5):
        most, execution = drive_callbacks(machine, list(range(7)), seed)

        assert most == limit
        assert execution.status == "SUCCEEDED"
        assert execution.output == [{"v": i} for i in range(7)]


def test_max_concurrency_zero_starts_every_iteration_at_once():
    machine = map_of({"Type": "Task", "Resource": CALLBACK}, MaxConcurrency=0)

    most, _ = drive_callbacks(machine, list(range(6)), seed=1)

    assert most == 6


def test_max_concurrency_path_reads_the_limit_from_the_input():
    machine = map_of(
        {"Type": "Task", "Resource": CALLBACK}, ItemsPath="$.items", MaxConcurrencyPath="$.limit"
    )

    step = engine.start(machine, engine.Start(input={"items": [1, 2, 3, 4], "limit": 2}), 0.0)

    assert len([e for e in step.effects if isinstance(e, engine.InvokeTask)]) == 2


# --- tolerated failures and batching ---------------------------------------------------------


def failing_on_odd(config=None, **fields):
    return machine_of(
        {
            "Type": "Map",
            "ItemProcessor": {
                **({"ProcessorConfig": config} if config else {}),
                "StartAt": "Check",
                "States": {
                    "Check": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$.odd", "BooleanEquals": True, "Next": "Bad"}],
                        "Default": "Good",
                    },
                    "Bad": {"Type": "Fail", "Error": "Odd", "Cause": "odd item"},
                    "Good": {"Type": "Pass", "End": True},
                },
            },
            **fields,
        }
    )


def items(count):
    return [{"n": n, "odd": n % 2 == 1} for n in range(count)]


def test_failures_within_the_tolerated_count_let_the_map_succeed():
    machine = failing_on_odd(DISTRIBUTED, ToleratedFailureCount=2)

    result = run(machine, items(4))

    assert result.status == "SUCCEEDED"


def test_failures_beyond_the_tolerated_count_fail_with_exceed_tolerated_failure_threshold():
    machine = failing_on_odd(DISTRIBUTED, ToleratedFailureCount=1)

    result = run(machine, items(4))

    assert result.status == "FAILED"
    assert result.error == "States.ExceedToleratedFailureThreshold"


def test_failures_beyond_the_tolerated_percentage_fail_with_exceed_tolerated_failure_threshold():
    machine = failing_on_odd(DISTRIBUTED, ToleratedFailurePercentage=25)

    result = run(machine, items(4))  # 2 of 4 fail: 50% > 25%

    assert result.error == "States.ExceedToleratedFailureThreshold"


def test_failures_within_the_tolerated_percentage_let_the_map_succeed():
    machine = failing_on_odd(DISTRIBUTED, ToleratedFailurePercentage=50)

    result = run(machine, items(4))

    assert result.status == "SUCCEEDED"


def test_a_distributed_map_records_map_run_events_and_not_the_iterations():
    machine = map_of({"Type": "Pass"}, config=DISTRIBUTED)

    result = run(machine, [1, 2])

    assert result.output == [1, 2]
    assert result.event_types() == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]


def test_item_batcher_groups_items_with_the_batch_input():
    machine = map_of(
        {"Type": "Pass"},
        config=DISTRIBUTED,
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"run": 1}},
    )

    result = run(machine, [1, 2, 3, 4, 5])

    assert result.output == [
        {"Items": [1, 2], "BatchInput": {"run": 1}},
        {"Items": [3, 4], "BatchInput": {"run": 1}},
        {"Items": [5], "BatchInput": {"run": 1}},
    ]


# --- JSONata ---------------------------------------------------------------------------------


def test_jsonata_items_and_item_selector_see_the_map_item_in_the_context():
    machine = machine_of(
        {
            "Type": "Map",
            "QueryLanguage": "JSONata",
            "Items": "{% $states.input.xs %}",
            "ItemSelector": {
                "i": "{% $states.context.Map.Item.Index %}",
                "v": "{% $states.context.Map.Item.Value %}",
            },
            "ItemProcessor": processor({"Type": "Pass"}),
            "Output": "{% $count($states.result) %}",
        }
    )

    result = run(machine, {"xs": ["a", "b", "c"]})

    assert result.output == 3


def test_jsonata_items_that_are_not_an_array_fail_with_a_query_evaluation_error():
    machine = machine_of(
        {
            "Type": "Map",
            "QueryLanguage": "JSONata",
            "Items": "{% $states.input.xs %}",
            "ItemProcessor": processor({"Type": "Pass"}),
        }
    )

    result = run(machine, {"xs": True})

    assert result.error == "States.QueryEvaluationError"
    assert result.cause.endswith(
        "The JSONata expression '$states.input.xs' specified for the field 'Items' returned an unexpected "
        "result type. Expected 'array', but was 'boolean' for value: true"
    )


def test_a_fail_without_error_inside_an_iteration_fails_the_execution_without_an_error():
    machine = map_of({"Type": "Fail"})

    result = run(machine, [1])

    assert (result.status, result.error, result.cause) == ("FAILED", None, None)


def test_a_jsonata_map_with_a_jsonpath_choice_in_its_processor_loads():
    processor_ = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericGreaterThan": 1, "Next": "Done"}],
                "Default": "Done",
            },
            "Done": {"Type": "Pass", "End": True},
        },
    }
    definition = {
        "StartAt": "M",
        "States": {
            "M": {"Type": "Map", "QueryLanguage": "JSONata", "ItemProcessor": processor_, "End": True}
        },
    }

    machine, diagnostics = load_machine(definition)

    assert machine is not None, diagnostics
    assert run(machine, [1, 2]).output == [1, 2]
