"""Task errors: Retry (attempts, backoff and jitter, read off the StartTimer effects) and Catch."""

import itertools

from task_steps import CALLBACK, FUNCTION, T0, Flaky, begin, only, task, timers, types

import engine
from engine.testing import machine_of, run

# --- Retry -----------------------------------------------------------------------------------


def test_retry_calls_again_until_the_function_succeeds():
    flaky = Flaky(2)
    machine = machine_of(task(FUNCTION.format("flaky"), Retry=[{"ErrorEquals": ["ValueError"]}]))

    result = run(machine, {}, functions={"flaky": flaky})

    assert result.status == "SUCCEEDED"
    assert flaky.calls == 3
    assert result.event_types().count("LambdaFunctionFailed") == 2


def test_retry_gives_up_after_max_attempts_and_fails_with_the_last_error():
    flaky = Flaky(10)
    machine = machine_of(
        task(FUNCTION.format("flaky"), Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}])
    )

    result = run(machine, {}, functions={"flaky": flaky})

    assert result.status == "FAILED"
    assert result.error == "ValueError"
    assert flaky.calls == 3  # the first call and two retries


def test_max_attempts_zero_never_retries():
    flaky = Flaky(10)
    machine = machine_of(
        task(FUNCTION.format("flaky"), Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}])
    )

    result = run(machine, {}, functions={"flaky": flaky})

    assert result.status == "FAILED"
    assert flaky.calls == 1


def test_only_the_first_matching_retrier_applies_and_each_keeps_its_own_count():
    answers = [
        {"Throw": {"Error": "A"}},
        {"Throw": {"Error": "B"}},
        {"Throw": {"Error": "A"}},
        {"Throw": {"Error": "A"}},
    ]
    retry = [{"ErrorEquals": ["A"], "MaxAttempts": 2}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}]
    machine = machine_of(task(Retry=retry))

    result = run(machine, {}, mocks={"Task": answers})

    # A, B, A are retried (A twice, B once); the fourth failure is A's third: no retry left
    assert (result.status, result.error) == ("FAILED", "A")
    assert result.event_types().count("TaskScheduled") == 4


def test_retry_delays_grow_by_the_backoff_rate_until_max_delay_seconds():
    retry = {
        "ErrorEquals": ["Boom"],
        "IntervalSeconds": 2,
        "BackoffRate": 3,
        "MaxAttempts": 4,
        "MaxDelaySeconds": 30,
    }
    machine = machine_of(task(Retry=[retry]))
    step = begin(machine, {})
    now, delays = T0, []

    for _ in range(4):
        call = only(step, engine.InvokeTask)
        failed = engine.step(step.execution, engine.TaskFailed(call.task_id, "Boom", "c"), now)
        (timer,) = timers(failed, "retry")
        delays.append(timer.due - now)
        now = timer.due
        step = engine.step(failed.execution, engine.TimerFired(timer.timer_id), now)
    call = only(step, engine.InvokeTask)
    last = engine.step(step.execution, engine.TaskFailed(call.task_id, "Boom", "c"), now)

    assert delays == [2, 6, 18, 30]  # 2 x 3^n, the fourth (54) capped at 30
    assert last.execution.status == "FAILED"
    assert timers(last, "retry") == []


def test_the_retried_task_is_scheduled_when_its_timer_fires_not_before():
    machine = machine_of(task(Retry=[{"ErrorEquals": ["Boom"], "IntervalSeconds": 5}]))
    step = begin(machine, {})
    call = only(step, engine.InvokeTask)

    failed = engine.step(step.execution, engine.TaskFailed(call.task_id, "Boom", None), T0 + 1)
    (timer,) = timers(failed, "retry")
    again = engine.step(failed.execution, engine.TimerFired(timer.timer_id), timer.due)

    assert types(failed) == ["TaskFailed"]
    assert [e for e in failed.effects if isinstance(e, engine.InvokeTask)] == []
    assert timer.due == T0 + 6
    assert types(again) == ["TaskScheduled", "TaskStarted"]
    assert again.events[0]["timestamp"] == T0 + 6


def test_full_jitter_delays_stay_between_zero_and_the_backoff_delay():
    retry = {
        "ErrorEquals": ["Boom"],
        "IntervalSeconds": 10,
        "BackoffRate": 2,
        "MaxAttempts": 3,
        "JitterStrategy": "FULL",
    }
    machine = machine_of(task(Retry=[retry]))
    delays = []

    for seed in range(40):
        step = begin(machine, {}, seed=f"{seed:064x}")
        call = only(step, engine.InvokeTask)
        failed = engine.step(step.execution, engine.TaskFailed(call.task_id, "Boom", None), T0)
        (timer,) = timers(failed, "retry")
        delays.append(timer.due - T0)

    assert all(0 <= delay <= 10 for delay in delays)
    assert len(set(delays)) > 30  # jitter really varies with the execution's seed


def test_full_jitter_is_the_same_on_a_replay_with_the_same_seed():
    retry = {"ErrorEquals": ["Boom"], "IntervalSeconds": 10, "JitterStrategy": "FULL"}
    machine = machine_of(task(Retry=[retry]))

    def first_delay():
        step = begin(machine, {}, seed="ab" * 32)
        call = only(step, engine.InvokeTask)
        failed = engine.step(step.execution, engine.TaskFailed(call.task_id, "Boom", None), T0)
        return timers(failed, "retry")[0].due

    assert first_delay() == first_delay()


def test_retry_count_is_visible_in_the_context_object():
    seen = []
    state = task(
        FUNCTION.format("flaky"),
        Parameters={"attempt.$": "$$.State.RetryCount"},
        Retry=[{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}],
    )
    flaky = Flaky(2)

    def recording(event):
        seen.append(event["attempt"])
        return flaky(event)

    run(machine_of(state), {}, functions={"flaky": recording})

    assert seen == [0, 1, 2]


def test_retry_timestamps_advance_on_the_virtual_clock():
    machine = machine_of(task(Retry=[{"ErrorEquals": ["Busy"], "IntervalSeconds": 3, "BackoffRate": 2}]))
    answers = [{"Throw": {"Error": "Busy"}}, {"Throw": {"Error": "Busy"}}, {"Return": 1}]

    result = run(machine, {}, mocks={"Task": answers})

    scheduled = [e["timestamp"] for e in result.events if e["type"] == "TaskScheduled"]
    assert [b - a for a, b in itertools.pairwise(scheduled)] == [3, 6]


def test_states_all_does_not_retry_states_runtime():
    machine = machine_of(task(InputPath="$.missing", Retry=[{"ErrorEquals": ["States.ALL"]}]))

    result = run(machine, {})

    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert "TaskScheduled" not in result.event_types()


# --- Catch -----------------------------------------------------------------------------------


def caught(catcher, value=None, answer=None):
    definition = {
        "Work": task(Catch=[{"Next": "Handle", **catcher}], End=True),
        "Handle": {"Type": "Pass", "End": True},
    }
    answer = answer if answer is not None else {"Throw": {"Error": "Oops", "Cause": "it broke"}}
    return run(machine_of(definition), value if value is not None else {"in": 1}, mocks={"Work": answer})


def test_catch_with_result_path_puts_the_error_beside_the_input():
    result = caught({"ErrorEquals": ["Oops"], "ResultPath": "$.error"})

    assert result.status == "SUCCEEDED"
    assert result.output == {"in": 1, "error": {"Error": "Oops", "Cause": "it broke"}}


def test_catch_without_result_path_replaces_the_input_with_the_error():
    result = caught({"ErrorEquals": ["States.ALL"]})

    assert result.output == {"Error": "Oops", "Cause": "it broke"}


def test_catch_with_result_path_null_keeps_the_input():
    result = caught({"ErrorEquals": ["States.ALL"], "ResultPath": None})

    assert result.output == {"in": 1}


def test_catch_goes_to_the_next_state_after_the_failure_events():
    result = caught({"ErrorEquals": ["States.ALL"]})

    types_ = result.event_types()
    assert types_.index("TaskFailed") < types_.index("PassStateEntered")
    assert result.events[types_.index("PassStateEntered")]["stateEnteredEventDetails"]["name"] == "Handle"


def test_a_caught_error_records_the_state_exited_with_the_error_output():
    result = caught({"ErrorEquals": ["States.ALL"], "ResultPath": "$.error"})

    types_ = result.event_types()
    assert types_[types_.index("TaskFailed") + 1] == "TaskStateExited"
    exited = result.events[types_.index("TaskFailed") + 1]["stateExitedEventDetails"]
    assert exited["output"] == {"in": 1, "error": {"Error": "Oops", "Cause": "it broke"}}


def test_the_first_matching_catcher_wins():
    definition = {
        "Work": task(
            Catch=[
                {"ErrorEquals": ["Other"], "Next": "Wrong"},
                {"ErrorEquals": ["Oops", "Else"], "Next": "Right"},
                {"ErrorEquals": ["States.ALL"], "Next": "Wrong"},
            ],
            End=True,
        ),
        "Wrong": {"Type": "Pass", "Result": "wrong", "End": True},
        "Right": {"Type": "Pass", "Result": "right", "End": True},
    }

    result = run(machine_of(definition), {}, mocks={"Work": {"Throw": {"Error": "Oops"}}})

    assert result.output == "right"


def test_catch_applies_once_the_retries_are_used_up():
    definition = {
        "Work": task(
            Retry=[{"ErrorEquals": ["Oops"], "MaxAttempts": 1, "IntervalSeconds": 1}],
            Catch=[{"ErrorEquals": ["Oops"], "Next": "Handle"}],
            End=True,
        ),
        "Handle": {"Type": "Pass", "End": True},
    }

    result = run(machine_of(definition), {}, mocks={"Work": [{"Throw": {"Error": "Oops"}}] * 2})

    assert result.status == "SUCCEEDED"
    assert result.event_types().count("TaskFailed") == 2


def test_states_all_does_not_catch_states_runtime():
    definition = {
        "Work": task(
            InputPath="$.missing", Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handle"}], End=True
        ),
        "Handle": {"Type": "Pass", "End": True},
    }

    result = run(machine_of(definition), {}, mocks={"Work": {"Return": 1}})

    assert result.status == "FAILED"
    assert result.error == "States.Runtime"


def test_states_task_failed_catches_an_error_the_task_reported():
    result = caught({"ErrorEquals": ["States.TaskFailed"]})

    assert result.status == "SUCCEEDED"
    assert result.output["Error"] == "Oops"


def test_states_task_failed_does_not_catch_a_timeout():
    definition = {
        "Work": task(
            CALLBACK,
            TimeoutSeconds=5,
            Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "Handle"}],
            End=True,
        ),
        "Handle": {"Type": "Pass", "End": True},
    }

    result = run(machine_of(definition), {})

    assert (result.status, result.error) == ("FAILED", "States.Timeout")


def test_jsonata_catch_output_sees_the_error_output():
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Work",
        "States": {
            "Work": task(
                Catch=[
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Output": {"why": "{% $states.errorOutput.Error %}", "in": "{% $states.input %}"},
                        "Next": "Handle",
                    }
                ],
                End=True,
            ),
            "Handle": {"Type": "Pass", "End": True},
        },
    }

    result = run(machine_of(definition), {"n": 1}, mocks={"Work": {"Throw": {"Error": "Oops"}}})

    assert result.output == {"why": "Oops", "in": {"n": 1}}


def test_a_states_runtime_task_failure_is_neither_retried_nor_caught_by_states_all():
    definition = {
        "Work": task(
            Retry=[{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}],
            Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handle"}],
            End=True,
        ),
        "Handle": {"Type": "Pass", "End": True},
    }

    result = run(machine_of(definition), {})

    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert result.event_types().count("TaskScheduled") == 1


def test_a_catch_result_path_that_cannot_be_applied_fails_the_execution_instead_of_raising():
    definition = {
        "Work": task(
            Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handle"}], End=True
        ),
        "Handle": {"Type": "Pass", "End": True},
    }

    result = run(machine_of(definition), None, mocks={"Work": {"Throw": {"Error": "Oops"}}})

    assert (result.status, result.error) == ("FAILED", "States.ResultPathMatchFailure")


def no_handler_caught(output):
    return {
        "QueryLanguage": "JSONata",
        "StartAt": "Work",
        "States": {
            "Work": task(  # its Arguments fail: a predefined error raised by the engine itself
                Arguments="{% $undefinedVariable %}",
                Catch=[{"ErrorEquals": ["States.ALL"], "Output": output, "Next": "Handle"}],
                End=True,
            ),
            "Handle": {"Type": "Pass", "End": True},
        },
    }


def test_the_error_output_holds_the_error_name_as_a_plain_string():
    result = run(machine_of(no_handler_caught("{% $states.errorOutput %}")), {})

    assert type(result.output["Error"]) is str


def test_a_jsonata_catch_output_can_build_on_a_predefined_error_output():
    machine = machine_of(no_handler_caught("{% $merge([{'caught': true}, $states.errorOutput]) %}"))

    result = run(machine, {})

    assert result.status == "SUCCEEDED"
    assert result.output["caught"] is True
    assert result.output["Error"] == "States.QueryEvaluationError"
