"""Validation against the 762 definitions AWS itself accepted or refused (../shared/conformance).

Exactly the cases AWS refused (expected status INVALID_DEFINITION) may get errors, and all of
them must; every other case must get none: refusing a definition AWS runs is the worse mistake.
"""

import json
from functools import cache
from pathlib import Path

import pytest

from engine.definition.diagnostics import Severity
from engine.definition.validate import validate

CASES = Path(__file__).resolve().parents[3].parent / "shared" / "conformance" / "cases"

pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason="../shared/conformance is absent")


@cache
def errors_by_case() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """case name -> (expected status, the (code, location) of each error validation reports)."""
    found = {}
    for case in sorted(CASES.iterdir()):
        definition = json.loads((case / "definition.json").read_text(encoding="utf-8"))
        machine_type = json.loads((case / "case.json").read_text(encoding="utf-8"))["state_machine_type"]
        status = json.loads((case / "expected.json").read_text(encoding="utf-8"))["status"]
        diagnostics = validate(definition, machine_type=machine_type)
        found[case.name] = (
            status,
            [(d.code, d.location) for d in diagnostics if d.severity == Severity.ERROR],
        )
    return found


def test_every_definition_aws_refused_gets_an_error_and_no_other_does():
    found = errors_by_case()

    refused = {name for name, (status, _) in found.items() if status == "INVALID_DEFINITION"}
    with_errors = {name for name, (_, errors) in found.items() if errors}

    assert len(found) == 762
    assert len(refused) == 10
    assert with_errors - refused == set(), {name: found[name][1] for name in with_errors - refused}
    assert refused - with_errors == set()


def test_refused_definitions_are_reported_where_aws_reported_them():
    found = errors_by_case()

    expected = {
        "credentials.test_credentials_base.TestCredentialsBase"
        ".test_invalid_credentials_field__INVALID_CREDENTIALS_FIELD": (
            "SCHEMA_VALIDATION_FAILED",
            "/States/State0/Credentials",
        ),
        "scenarios.test_base_scenarios.TestBaseScenarios.test_wait_timestamp_invalid__INVALID_DATE": (
            "SCHEMA_VALIDATION_FAILED",
            "/States/WaitUntil/Timestamp",
        ),
        "services.test_dynamodb_task_service.TestTaskServiceDynamoDB.test_invalid_integration": (
            "SCHEMA_VALIDATION_FAILED",
            "/States/Query/Resource",
        ),
        "test_sfn_api.TestSnfApi.test_create_delete_invalid_sm": ("SCHEMA_VALIDATION_FAILED", ""),
        "test_sfn_api_express.TestSfnApiExpress.test_illegal_callbacks__SYNC": (
            "SCHEMA_VALIDATION_FAILED",
            "/States/StartExecution/Resource",
        ),
        "test_sfn_api_express.TestSfnApiExpress.test_illegal_callbacks__WAIT_FOR_TASK_TOKEN": (
            "SCHEMA_VALIDATION_FAILED",
            "/States/Publish/Resource",
        ),
    }

    assert {name: pair for name, pair in expected.items() if pair not in found[name][1]} == {}
