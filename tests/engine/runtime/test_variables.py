"""Variables: Assign, visibility downstream and inside branches, no write-back from branches."""

from engine.testing import machine_of, run


def jsonata(states, start=None):
    return machine_of({"QueryLanguage": "JSONata", "StartAt": start or next(iter(states)), "States": states})


def test_an_assigned_variable_is_visible_to_later_states():
    machine = machine_of(
        {
            "Set": {"Type": "Pass", "Assign": {"greeting": "hello", "count.$": "$.n"}, "Next": "Use"},
            "Use": {"Type": "Pass", "Parameters": {"g.$": "$greeting", "c.$": "$count"}, "End": True},
        }
    )

    result = run(machine, {"n": 3})

    assert result.output == {"g": "hello", "c": 3}


def test_jsonata_states_read_and_assign_variables():
    machine = jsonata(
        {
            "Set": {
                "Type": "Pass",
                "Assign": {"total": "{% $states.input.a + $states.input.b %}"},
                "Next": "Use",
            },
            "Use": {"Type": "Pass", "Output": {"double": "{% $total * 2 %}"}, "End": True},
        }
    )

    result = run(machine, {"a": 1, "b": 2})

    assert result.output == {"double": 6}


def test_every_value_of_an_assign_is_computed_before_any_is_written():
    machine = jsonata(
        {
            "Init": {"Type": "Pass", "Assign": {"x": 1, "y": 2}, "Next": "Swap"},
            "Swap": {"Type": "Pass", "Assign": {"x": "{% $y %}", "y": "{% $x %}"}, "Next": "Show"},
            "Show": {"Type": "Pass", "Output": {"x": "{% $x %}", "y": "{% $y %}"}, "End": True},
        }
    )

    result = run(machine, {})

    assert result.output == {"x": 2, "y": 1}


def test_a_later_assign_overwrites_an_earlier_value():
    machine = machine_of(
        {
            "One": {"Type": "Pass", "Assign": {"v": 1}, "Next": "Two"},
            "Two": {"Type": "Pass", "Assign": {"v": 2}, "Next": "Show"},
            "Show": {"Type": "Pass", "Parameters": {"v.$": "$v"}, "End": True},
        }
    )

    result = run(machine, {})

    assert result.output == {"v": 2}


def test_a_task_assign_sees_the_result():
    machine = jsonata(
        {
            "Work": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Assign": {"id": "{% $states.result.MessageId %}"},
                "Output": "{% $states.input %}",
                "Next": "Show",
            },
            "Show": {"Type": "Pass", "Output": "{% $id %}", "End": True},
        }
    )

    result = run(machine, {"in": 1}, mocks={"Work": {"Return": {"MessageId": "m-1"}}})

    assert result.output == "m-1"


def test_a_catch_assign_sees_the_error_output():
    machine = jsonata(
        {
            "Work": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Catch": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Assign": {"why": "{% $states.errorOutput.Cause %}"},
                        "Next": "Show",
                    }
                ],
                "End": True,
            },
            "Show": {"Type": "Pass", "Output": "{% $why %}", "End": True},
        }
    )

    result = run(machine, {}, mocks={"Work": {"Throw": {"Error": "E", "Cause": "the cause"}}})

    assert result.output == "the cause"


def test_a_parallel_branch_reads_the_variables_of_the_outer_scope():
    machine = machine_of(
        {
            "Set": {"Type": "Pass", "Assign": {"outer": "seen"}, "Next": "Both"},
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "Read",
                        "States": {"Read": {"Type": "Pass", "Parameters": {"v.$": "$outer"}, "End": True}},
                    }
                ],
                "End": True,
            },
        }
    )

    result = run(machine, {})

    assert result.output == [{"v": "seen"}]


def test_a_map_iteration_reads_the_variables_of_the_outer_scope():
    machine = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"factor": 10}, "Next": "Each"},
            "Each": {
                "Type": "Map",
                "Items": "{% $states.input.xs %}",
                "ItemProcessor": {
                    "StartAt": "Scale",
                    "States": {
                        "Scale": {"Type": "Pass", "Output": "{% $states.input * $factor %}", "End": True}
                    },
                },
                "End": True,
            },
        }
    )

    result = run(machine, {"xs": [1, 2]})

    assert result.output == [10, 20]


def test_a_variable_assigned_in_a_branch_is_visible_later_in_that_branch():
    machine = machine_of(
        {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Set",
                    "States": {
                        "Set": {"Type": "Pass", "Assign": {"inner": 1}, "Next": "Read"},
                        "Read": {"Type": "Pass", "Parameters": {"v.$": "$inner"}, "End": True},
                    },
                }
            ],
        }
    )

    result = run(machine, {})

    assert result.output == [{"v": 1}]


def test_a_branch_cannot_change_an_outer_variable():
    machine = jsonata(
        {
            "Set": {"Type": "Pass", "Assign": {"v": "outer"}, "Next": "Both"},
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "Change",
                        "States": {"Change": {"Type": "Pass", "Assign": {"v": "inner", "w": 1}, "End": True}},
                    }
                ],
                "Next": "Show",
            },
            "Show": {"Type": "Pass", "Output": {"v": "{% $v %}"}, "End": True},
        }
    )

    result = run(machine, {})

    assert result.output == {"v": "outer"}


def test_a_variable_first_assigned_in_a_map_iteration_is_not_visible_after_the_map():
    machine = machine_of(
        {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "Set",
                    "States": {"Set": {"Type": "Pass", "Assign": {"inner": 1}, "End": True}},
                },
                "Next": "Show",
            },
            "Show": {"Type": "Pass", "Parameters": {"v.$": "$inner"}, "End": True},
        }
    )

    result = run(machine, [1])

    assert result.status == "FAILED"
    assert result.error == "States.Runtime"


def test_iterations_do_not_see_each_others_variables():
    machine = jsonata(
        {
            "Each": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "Items": "{% $states.input %}",
                "ItemProcessor": {
                    "StartAt": "Read",
                    "States": {
                        "Read": {
                            "Type": "Pass",
                            "Output": "{% $exists($seen) %}",
                            "Assign": {"seen": "{% $states.input %}"},
                            "End": True,
                        }
                    },
                },
                "End": True,
            }
        }
    )

    result = run(machine, [1, 2, 3])

    assert result.output == [False, False, False]


def test_the_parallel_state_own_assign_is_visible_after_it():
    machine = jsonata(
        {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "One", "States": {"One": {"Type": "Pass", "Output": 1, "End": True}}}
                ],
                "Assign": {"results": "{% $states.result %}"},
                "Next": "Show",
            },
            "Show": {"Type": "Pass", "Output": "{% $results %}", "End": True},
        }
    )

    result = run(machine, {})

    assert result.output == [1]


def test_an_undefined_variable_in_jsonata_is_a_query_evaluation_error():
    machine = jsonata({"Use": {"Type": "Pass", "Output": {"v": "{% $nothing %}"}, "End": True}})

    result = run(machine, {})

    assert result.error == "States.QueryEvaluationError"


def test_jsonata_sees_the_context_object():
    machine = jsonata(
        {
            "Look": {
                "Type": "Pass",
                "Output": {
                    "state": "{% $states.context.State.Name %}",
                    "in": "{% $states.context.Execution.Input %}",
                },
                "End": True,
            }
        }
    )

    result = run(machine, {"a": 1})

    assert result.output == {"state": "Look", "in": {"a": 1}}
