"""The registry: first match wins, mocks fall through for unmapped states, nothing raises."""

from engine.integrations import Integrations, MockConfig, TaskOutcome, standard
from engine.integrations.functions import FunctionRegistry
from engine.runtime.effects import InvokeTask
from engine.runtime.happenings import TaskFailed, TaskSucceeded

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:double"


class Fixed:
    def __init__(self, resource: str, outcome: TaskOutcome) -> None:
        self.resource = resource
        self.outcome = outcome

    def handles(self, resource: str) -> bool:
        return resource == self.resource

    def invoke(self, call: InvokeTask) -> TaskOutcome:
        return self.outcome


class Broken:
    def handles(self, resource: str) -> bool:
        return True

    def invoke(self, call: InvokeTask) -> TaskOutcome:
        raise KeyError("oops")


def test_the_first_adapter_that_handles_the_resource_wins() -> None:
    registry = Integrations([Fixed("r", TaskOutcome.succeeded(1)), Fixed("r", TaskOutcome.succeeded(2))])

    assert registry.invoke(InvokeTask("t", "r", {}, "S")) == TaskOutcome.succeeded(1)


def test_an_unknown_resource_fails_and_says_what_to_register() -> None:
    registry = Integrations([])

    outcome = registry.invoke(InvokeTask("t", "arn:aws:states:::aws-sdk:s3:getObject", {}, "Fetch"))

    assert outcome.error == "States.Runtime"
    assert "arn:aws:states:::aws-sdk:s3:getObject" in (outcome.cause or "")
    assert "Register" in (outcome.cause or "")


def test_an_adapter_that_raises_gives_a_failed_outcome() -> None:
    outcome = Integrations([Broken()]).invoke(InvokeTask("t", "r", {}, "S"))

    assert outcome.status == "failed"
    assert "KeyError" in (outcome.cause or "")


def test_mocked_states_never_reach_real_adapters_and_others_fall_through() -> None:
    functions = FunctionRegistry()
    functions.register("double", lambda event: event * 2)
    mocks = MockConfig.from_json(
        {
            "StateMachines": {"M": {"TestCases": {"T": {"Mocked": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": "from the mock"}}},
        }
    ).test_case("M", "T")
    registry = standard(functions=functions, mocks=mocks)

    mocked = registry.invoke(InvokeTask("t1", FUNCTION_ARN, 2, "Mocked"))
    real = registry.invoke(InvokeTask("t2", FUNCTION_ARN, 2, "Real"))

    assert (mocked.output, real.output) == ("from the mock", 4)


def test_the_standard_registry_waits_on_any_wait_for_task_token_resource() -> None:
    registry = standard()

    outcome = registry.invoke(
        InvokeTask("t", "arn:aws:states:::sns:publish.waitForTaskToken", {}, "Notify", task_token="tok")
    )

    assert outcome.status == "pending"


def test_an_outcome_becomes_the_happening_the_runner_feeds_back() -> None:
    assert TaskOutcome.succeeded(0).to_happening("t") == TaskSucceeded("t", 0)
    assert TaskOutcome.failed("E", "c").to_happening("t") == TaskFailed("t", "E", "c")
    assert TaskOutcome.pending().to_happening("t") is None


def test_an_outcome_survives_a_json_round_trip() -> None:
    outcome = TaskOutcome.failed("E", None)

    assert TaskOutcome.from_json(outcome.to_json()) == outcome
