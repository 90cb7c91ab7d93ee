"""The single-state test through the REST API: every I/O stage, as AWS's TestState shows at DEBUG."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

TASK = {
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "InputPath": "$.order",
    "Parameters": {"FunctionName": "price", "Payload.$": "$"},
    "ResultSelector": {"total.$": "$.Payload.total"},
    "ResultPath": "$.priced",
    "OutputPath": "$.priced",
    "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 2}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.problem", "Next": "Apologise"}],
    "Next": "Ship",
}
ORDER = {"order": {"id": 7, "items": 3}}


def test_every_stage_of_a_task_is_shown(api_as, alice):
    mock = {"result": {"Payload": {"total": 30}, "StatusCode": 200}}

    response = api_as(alice).post("/api/test-state/", json={"definition": TASK, "input": ORDER, "mock": mock})

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["next_state"], body["output"]) == ("SUCCEEDED", "Ship", {"total": 30})
    assert body["inspection_data"] == {
        "input": ORDER,
        "after_input_path": {"id": 7, "items": 3},
        "after_parameters": {"FunctionName": "price", "Payload": {"id": 7, "items": 3}},
        "result": {"Payload": {"total": 30}, "StatusCode": 200},
        "after_result_selector": {"total": 30},
        "after_result_path": {**ORDER, "priced": {"total": 30}},
    }


def test_an_error_a_catcher_takes_goes_to_its_next_state(api_as, alice):
    mock = {"error": "OutOfStock", "cause": "no more widgets"}

    body = (
        api_as(alice).post("/api/test-state/", json={"definition": TASK, "input": ORDER, "mock": mock}).json()
    )

    assert (body["status"], body["next_state"], body["error"], body["cause"]) == (
        "CAUGHT_ERROR",
        "Apologise",
        "OutOfStock",
        "no more widgets",
    )
    assert body["output"] == {**ORDER, "problem": {"Error": "OutOfStock", "Cause": "no more widgets"}}


def test_an_error_a_retrier_takes_is_retriable(api_as, alice):
    mock = {"error": "Throttled"}

    body = (
        api_as(alice).post("/api/test-state/", json={"definition": TASK, "input": ORDER, "mock": mock}).json()
    )

    assert (body["status"], body["error"], body["next_state"]) == ("RETRIABLE", "Throttled", None)


def test_a_path_with_no_match_fails_with_the_runtime_error_and_stops_the_stages(api_as, alice):
    body = (
        api_as(alice)
        .post("/api/test-state/", json={"definition": TASK, "input": {"no": "order"}, "mock": {"result": {}}})
        .json()
    )

    assert (body["status"], body["error"]) == ("FAILED", "States.Runtime")
    assert "$.order" in body["cause"]
    assert body["inspection_data"] == {"input": {"no": "order"}}


def test_a_pass_state_shows_its_result_and_where_it_was_put(api_as, alice):
    state = {"Type": "Pass", "Result": False, "ResultPath": "$.flag", "End": True}

    body = api_as(alice).post("/api/test-state/", json={"definition": state, "input": {"a": 1}}).json()

    assert (body["status"], body["output"], body["next_state"]) == (
        "SUCCEEDED",
        {"a": 1, "flag": False},
        None,
    )
    assert body["inspection_data"]["result"] is False
    assert body["inspection_data"]["after_result_path"] == {"a": 1, "flag": False}


def test_a_choice_names_the_state_it_would_go_to(api_as, alice):
    state = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.statusCode", "NumericEquals": 200, "Next": "Notify"}],
        "Default": "Retry",
    }

    ok = api_as(alice).post("/api/test-state/", json={"definition": state, "input": {"statusCode": 200}})
    not_ok = api_as(alice).post("/api/test-state/", json={"definition": state, "input": {"statusCode": 500}})

    assert (ok.json()["next_state"], not_ok.json()["next_state"]) == ("Notify", "Retry")


def test_a_state_of_a_whole_definition_is_found_by_name(api_as, alice):
    definition = {
        "StartAt": "First",
        "States": {
            "First": {"Type": "Pass", "Next": "Second"},
            "Second": {"Type": "Pass", "Parameters": {"name.$": "$$.State.Name", "n.$": "$.n"}, "End": True},
        },
    }

    body = (
        api_as(alice)
        .post("/api/test-state/", json={"definition": definition, "state_name": "Second", "input": {"n": 5}})
        .json()
    )

    assert body["output"] == {"name": "Second", "n": 5}
    assert body["inspection_data"]["after_parameters"] == {"name": "Second", "n": 5}


def test_an_unmocked_task_calls_the_local_function(api_as, alice):
    state = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:double", "End": True}

    body = api_as(alice).post("/api/test-state/", json={"definition": state, "input": {"n": 4}}).json()

    assert (body["status"], body["output"], body["inspection_data"]["result"]) == (
        "SUCCEEDED",
        {"n": 8},
        {"n": 8},
    )


def test_an_invalid_state_points_into_the_state_as_sent(api_as, alice):
    state = {"Type": "Pass", "InputPath": "not a path", "End": True}

    response = api_as(alice).post("/api/test-state/", json={"definition": state})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_definition"
    assert "/InputPath" in [d["location"] for d in error["details"]["diagnostics"]]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"definition": {"Type": "Map", "ItemProcessor": {}, "End": True}}, "Parallel or Map"),
        (
            {"definition": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken"}},
            "give a mock",
        ),
        ({"definition": {"StartAt": "A", "States": {}}, "state_name": "Nope"}, "no state named"),
        (
            {"definition": {"Type": "Pass"}, "mock": {"result": 1, "error": "E"}},
            "either a result or an error",
        ),
    ],
)
def test_what_it_cannot_test_is_a_400_that_says_why(api_as, alice, body, words):
    response = api_as(alice).post("/api/test-state/", json=body)

    assert response.status_code == 400
    assert words in response.json()["error"]["message"]
