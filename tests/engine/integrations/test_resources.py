"""Task resource ARNs: service, action, integration pattern, function and activity names."""

import pytest

from engine.integrations.resources import parse_resource


def test_an_optimized_integration_names_service_action_and_pattern() -> None:
    resource = parse_resource("arn:aws:states:::lambda:invoke.waitForTaskToken")

    assert (resource.kind, resource.service, resource.action) == ("service", "lambda", "invoke")
    assert resource.pattern == "waitForTaskToken"


def test_sync_2_keeps_its_colon_out_of_the_action() -> None:
    resource = parse_resource("arn:aws:states:::states:startExecution.sync:2")

    assert (resource.service, resource.action, resource.pattern) == ("states", "startExecution", "sync:2")


@pytest.mark.parametrize(
    ("arn", "pattern"),
    [
        ("arn:aws:states:::states:startExecution", "request-response"),
        ("arn:aws:states:::states:startExecution.sync", "sync"),
        ("arn:aws:states:::http:invoke", "request-response"),
    ],
)
def test_the_pattern_follows_the_suffix(arn: str, pattern: str) -> None:
    assert parse_resource(arn).pattern == pattern


def test_an_sdk_integration_names_the_service_and_its_api() -> None:
    resource = parse_resource("arn:aws:states:::aws-sdk:s3:getObject")

    assert (resource.kind, resource.service, resource.action) == ("sdk", "s3", "getObject")


def test_a_function_arn_gives_name_qualifier_region_and_account() -> None:
    resource = parse_resource("arn:aws:lambda:eu-west-1:111111111111:function:resize:prod")

    assert (resource.kind, resource.name, resource.qualifier) == ("function", "resize", "prod")
    assert (resource.region, resource.account) == ("eu-west-1", "111111111111")


def test_an_activity_arn_is_an_activity() -> None:
    resource = parse_resource("arn:aws:states:us-east-1:123456789012:activity:approve")

    assert (resource.kind, resource.name) == ("activity", "approve")


@pytest.mark.parametrize("arn", ["", "lambda", "arn:aws:states:::", "arn:aws:s3:::bucket/key", 42, None])
def test_what_is_not_a_task_resource_is_unknown_rather_than_an_exception(arn: object) -> None:
    assert parse_resource(arn).kind == "unknown"  # type: ignore[arg-type]
