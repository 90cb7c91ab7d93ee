"""Answering waiting tasks through the REST API: success, failure, heartbeat; once, and only one's own."""

import pytest
from harness import ANSWERS

pytestmark = pytest.mark.django_db(transaction=True)

APPROVAL = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {
                "FunctionName": "remember",
                "Payload": {"token.$": "$$.Task.Token", "order.$": "$.order"},
            },
            "ResultPath": "$.approval",
            "HeartbeatSeconds": 60,
            "End": True,
        }
    },
}


@pytest.fixture
def asked(worker, api_as, make_state_machine, wait_for):
    """Start an approval as `owner` and return (execution id, the token the function was handed)."""

    def ask(owner, order):
        machine = make_state_machine(APPROVAL, owner=owner, name=f"approve-{order}")
        started = api_as(owner).post(
            "/api/executions/", json={"state_machine": machine.pk, "input": {"order": order}}
        )
        return started.json()["id"], wait_for(lambda: ANSWERS.get(order))

    return ask


def test_task_success_resumes_the_waiting_execution(asked, api_as, alice, follow):
    execution_id, token = asked(alice, "api-1")
    client = api_as(alice)

    answered = client.post("/api/task-tokens/success/", json={"token": token, "output": {"approved": True}})
    status, events = follow(client, execution_id)

    assert answered.status_code == 204
    assert status == "SUCCEEDED"
    output = client.get(f"/api/executions/{execution_id}/").json()["output"]
    assert output == {"order": "api-1", "approval": {"approved": True}}
    assert token not in str(events)  # tokens never reach history


def test_a_token_answers_once(asked, api_as, alice, follow):
    execution_id, token = asked(alice, "api-2")
    client = api_as(alice)
    client.post("/api/task-tokens/success/", json={"token": token, "output": 1})
    follow(client, execution_id)

    again = client.post("/api/task-tokens/success/", json={"token": token, "output": 2})

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "task_timed_out"


def test_task_failure_fails_the_execution_with_the_given_error(asked, api_as, alice, follow):
    execution_id, token = asked(alice, "api-3")
    client = api_as(alice)

    client.post("/api/task-tokens/failure/", json={"token": token, "error": "Rejected", "cause": "too dear"})
    status, _ = follow(client, execution_id)

    described = client.get(f"/api/executions/{execution_id}/").json()
    assert (status, described["error"], described["cause"]) == ("FAILED", "Rejected", "too dear")


def test_a_heartbeat_keeps_the_task_waiting(asked, api_as, alice):
    execution_id, token = asked(alice, "api-4")
    client = api_as(alice)

    beat = client.post("/api/task-tokens/heartbeat/", json={"token": token})

    assert beat.status_code == 204
    assert client.get(f"/api/executions/{execution_id}/").json()["status"] == "RUNNING"
    client.post(f"/api/executions/{execution_id}/stop/", json={})


def test_another_owners_token_is_not_found_and_changes_nothing(asked, api_as, alice, bob):
    execution_id, token = asked(alice, "api-5")

    response = api_as(bob).post("/api/task-tokens/success/", json={"token": token, "output": {}})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "task_does_not_exist"
    client = api_as(alice)
    assert client.get(f"/api/executions/{execution_id}/").json()["status"] == "RUNNING"
    client.post(f"/api/executions/{execution_id}/stop/", json={})


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("success", {"token": "t"}, "output"),
        ("success", {"output": 1}, "token"),
        ("failure", {"token": "t", "error": "x" * 257}, "error"),
        ("heartbeat", {"token": "x" * 1025}, "token"),
    ],
)
def test_a_bad_answer_names_the_field(api_as, alice, path, body, field):
    response = api_as(alice).post(f"/api/task-tokens/{path}/", json=body)

    assert response.status_code == 400
    assert field in response.json()["error"]["details"]["fields"]


def test_an_unknown_token_is_not_found(api_as, alice):
    response = api_as(alice).post("/api/task-tokens/heartbeat/", json={"token": "nobody-issued-this"})

    assert response.status_code == 404
