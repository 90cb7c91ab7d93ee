"""Mocked responses in the Step Functions Local MockConfigFile format."""

import json
from pathlib import Path
from typing import Any

import pytest

from engine.integrations.base import TaskOutcome
from engine.integrations.mocks import MockConfig, MockConfigError, MockIntegration
from engine.runtime.effects import InvokeTask

CASES = Path(__file__).resolve().parents[4] / "shared" / "conformance" / "cases"


def config(responses: dict[str, Any], states: dict[str, str] | None = None) -> MockConfig:
    return MockConfig.from_json(
        {
            "StateMachines": {"Machine": {"TestCases": {"Happy": states or {"Task": "Response"}}}},
            "MockedResponses": responses,
        }
    )


RETRY = {
    "Response": {
        "0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}},
        "1-2": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "busy"}},
        "3": {"Return": {"Payload": False}},
    }
}


def test_invocations_map_to_numbered_and_ranged_responses() -> None:
    case = config(RETRY).test_case("Machine", "Happy")

    outcomes = [case.respond("Task", n) for n in range(5)]

    assert outcomes == [
        TaskOutcome.failed("Lambda.ServiceException", "down"),
        TaskOutcome.failed("Lambda.TooManyRequestsException", "busy"),
        TaskOutcome.failed("Lambda.TooManyRequestsException", "busy"),
        TaskOutcome.succeeded({"Payload": False}),
        None,
    ]


@pytest.mark.parametrize("value", [False, 0, None, "", [], {}])
def test_return_is_the_result_exactly_as_recorded(value: Any) -> None:
    case = config({"Response": {"0": {"Return": value}}}).test_case("Machine", "Happy")

    outcome = case.respond("Task", 0)

    assert outcome == TaskOutcome.succeeded(value)


def test_an_unmapped_state_has_no_response() -> None:
    case = config(RETRY).test_case("Machine", "Happy")

    assert case.respond("Other", 0) is None


def test_a_missing_test_case_names_the_ones_there_are() -> None:
    with pytest.raises(MockConfigError, match=r"no test case 'Sad' \(it has: Happy\)"):
        config(RETRY).test_case("Machine", "Sad")


def test_a_missing_state_machine_names_the_ones_there_are() -> None:
    with pytest.raises(MockConfigError, match=r"no state machine 'Other' \(it has: Machine\)"):
        config(RETRY).test_case("Other", "Happy")


@pytest.mark.parametrize(
    "responses",
    [
        {"Response": {"0": {"Return": 1}, "2": {"Return": 2}}},
        {"Response": {"1": {"Return": 1}}},
        {"Response": {"zero": {"Return": 1}}},
        {"Response": {"2-1": {"Return": 1}}},
        {"Response": {"0": {"Return": 1, "Throw": {"Error": "E"}}}},
        {"Response": {"0": {"Throw": {"Cause": "no error"}}}},
        {},
    ],
)
def test_malformed_responses_are_refused_with_a_reason(responses: dict[str, Any]) -> None:
    with pytest.raises(MockConfigError):
        config(responses).test_case("Machine", "Happy")


def test_a_configuration_without_its_sections_is_refused() -> None:
    with pytest.raises(MockConfigError):
        MockConfig.from_json({"StateMachines": {}})


def test_a_configuration_loads_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "MockConfigFile.json"
    path.write_text(json.dumps({"StateMachines": {"M": {"TestCases": {"T": {}}}}, "MockedResponses": {}}))

    case = MockConfig.load(path).test_case("M", "T")

    assert case.responses == {}


def test_the_adapter_counts_invocations_per_state_and_claims_only_mapped_states() -> None:
    adapter = MockIntegration(config(RETRY).test_case("Machine", "Happy"))
    call = InvokeTask("t", "arn:aws:states:::lambda:invoke", {}, "Task")

    outcomes = [adapter.invoke(call).status for _ in range(4)]

    assert outcomes == ["failed", "failed", "failed", "succeeded"]
    assert adapter.claims(call)
    assert not adapter.claims(InvokeTask("t", "arn:aws:states:::lambda:invoke", {}, "Other"))


def test_a_mapped_state_called_more_often_than_mocked_fails_and_says_why() -> None:
    adapter = MockIntegration(config({"Response": {"0": {"Return": 1}}}).test_case("Machine", "Happy"))
    call = InvokeTask("t", "arn:aws:states:::lambda:invoke", {}, "Task")
    adapter.invoke(call)

    outcome = adapter.invoke(call)

    assert outcome.error == "States.Runtime"
    assert "invocation 1" in (outcome.cause or "")


def conformance_mocks() -> list[Path]:
    return sorted(CASES.glob("*/mocks.json")) if CASES.is_dir() else []


@pytest.mark.skipif(not CASES.is_dir(), reason="../shared/conformance is absent")
@pytest.mark.parametrize("mocks", conformance_mocks(), ids=lambda path: path.parent.name)
def test_every_conformance_mock_file_loads(mocks: Path) -> None:
    case_json = json.loads((mocks.parent / "case.json").read_text())

    case = MockConfig.load(mocks).test_case(case_json["state_machine_name"], case_json["test_case"])

    assert all(case.respond(state, 0) is not None for state in case.responses)
