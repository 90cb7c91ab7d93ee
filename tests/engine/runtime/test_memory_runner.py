"""The in-memory runner: loops step(), carries out effects, keeps the history, owns the clock."""

import engine
from engine.clock import VirtualClock
from engine.integrations import FunctionRegistry, standard
from engine.runtime.memory import MemoryRunner, RunResult
from engine.testing import START, machine_of, mocks_of

CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:{}"


def test_run_returns_status_output_and_history():
    runner = MemoryRunner(machine_of({"Type": "Pass", "Result": {"ok": True}}), clock=VirtualClock(START))

    result = runner.run({"in": 1})

    assert result.status == "SUCCEEDED"
    assert result.output == {"ok": True}
    assert result.event_types()[0] == "ExecutionStarted"
    assert result.as_json() == {"status": "SUCCEEDED", "output": {"ok": True}}


def test_as_json_of_a_failure_names_the_error_and_cause():
    runner = MemoryRunner(machine_of({"Type": "Fail", "Error": "E", "Cause": "c"}))

    result = runner.run({})

    assert result.as_json() == {"status": "FAILED", "error": "E", "cause": "c"}


def test_a_virtual_clock_jumps_to_each_timer_and_never_sleeps():
    clock = VirtualClock(START)
    runner = MemoryRunner(machine_of({"Type": "Wait", "Seconds": 86_400}), clock=clock)

    result = runner.run({})

    assert result.status == "SUCCEEDED"
    assert clock.now() == START + 86_400


def test_a_cancelled_timer_does_not_move_the_clock():
    clock = VirtualClock(START)
    machine = machine_of({"Type": "Task", "Resource": FUNCTION.format("quick"), "TimeoutSeconds": 3600})
    functions = FunctionRegistry()
    functions.register("quick", lambda event: "fast")
    runner = MemoryRunner(machine, standard(functions=functions), clock=clock)

    result = runner.run({})

    assert result.output == "fast"
    assert clock.now() == START


def test_timers_fire_in_due_order():
    clock = VirtualClock(START)
    branches = [
        {"StartAt": f"W{s}", "States": {f"W{s}": {"Type": "Wait", "Seconds": s, "End": True}}}
        for s in (30, 10, 20)
    ]
    runner = MemoryRunner(machine_of({"Type": "Parallel", "Branches": branches}), clock=clock)

    result = runner.run({})

    exits = [
        (e["stateExitedEventDetails"]["name"], e["timestamp"] - START)
        for e in result.events
        if e["type"] == "WaitStateExited"
    ]
    assert exits == [("W10", 10), ("W20", 20), ("W30", 30)]


def test_a_callback_leaves_the_run_waiting_and_send_resumes_it():
    runner = MemoryRunner(
        machine_of({"Type": "Task", "Resource": CALLBACK, "ResultPath": "$.answer"}), standard()
    )

    waiting = runner.run({"in": 1})
    (call,) = waiting.pending.values()
    done = runner.send(engine.TaskSucceeded(call.task_id, "yes"))

    assert waiting.status == "RUNNING"
    assert done.status == "SUCCEEDED"
    assert done.output == {"in": 1, "answer": "yes"}


def test_send_stop_aborts_a_waiting_run():
    runner = MemoryRunner(machine_of({"Type": "Task", "Resource": CALLBACK}), standard())
    runner.run({})

    result = runner.send(engine.Stop(error="Bye", cause="stopped by test"))

    assert (result.status, result.error, result.cause) == ("ABORTED", "Bye", "stopped by test")
    assert result.event_types()[-1] == "ExecutionAborted"
    assert result.pending == {}


def test_a_callback_without_heartbeats_times_out_on_the_virtual_clock():
    clock = VirtualClock(START)
    machine = machine_of({"Type": "Task", "Resource": CALLBACK, "HeartbeatSeconds": 60})
    runner = MemoryRunner(machine, standard(), clock=clock)

    result = runner.run({})

    assert (result.status, result.error) == ("FAILED", "States.HeartbeatTimeout")
    assert clock.now() == START + 60
    assert result.pending == {}


def test_a_resource_without_an_integration_fails_the_task():
    runner = MemoryRunner(machine_of({"Type": "Task", "Resource": CALLBACK}))

    result = runner.run({})

    assert (result.status, result.error) == ("FAILED", "States.Runtime")


def test_record_history_false_keeps_no_events():
    runner = MemoryRunner(machine_of({"Type": "Pass"}), record_history=False)

    result = runner.run({})

    assert result.status == "SUCCEEDED"
    assert result.events == []


def test_mocked_states_never_reach_the_functions():
    called = []
    functions = FunctionRegistry()
    functions.register("real", lambda event: called.append(event) or "real")
    machine = machine_of({"Type": "Task", "Resource": FUNCTION.format("real")}, name="Work")
    integrations = standard(functions=functions, mocks=mocks_of({"Work": {"Return": "mocked"}}))

    result = MemoryRunner(machine, integrations).run({})

    assert result.output == "mocked"
    assert called == []


def test_the_same_seed_gives_the_same_random_values():
    machine = machine_of(
        {"Type": "Pass", "Parameters": {"id.$": "States.UUID()", "n.$": "States.MathRandom(0, 1000000)"}}
    )

    first = MemoryRunner(machine, clock=VirtualClock(START)).run({}, seed="5" * 64)
    again = MemoryRunner(machine, clock=VirtualClock(START)).run({}, seed="5" * 64)
    other = MemoryRunner(machine, clock=VirtualClock(START)).run({}, seed="6" * 64)

    assert first.output == again.output
    assert first.output != other.output


def test_without_a_seed_each_run_draws_its_own():
    machine = machine_of({"Type": "Pass", "Parameters": {"id.$": "States.UUID()"}})

    first = MemoryRunner(machine).run({})
    second = MemoryRunner(machine).run({})

    assert first.output != second.output


def test_run_result_defaults_describe_a_run_that_is_still_going():
    result = RunResult("RUNNING")

    assert result.as_json() == {"status": "RUNNING"}
    assert result.event_types() == []
