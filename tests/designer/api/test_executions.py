"""Executions through the REST API, run by the embedded worker: start, history in pages, stop, list."""

import json

import pytest
from harness import task

pytestmark = pytest.mark.django_db(transaction=True)

DOUBLE_THEN_PASS = {
    "StartAt": "Double",
    "States": {
        "Double": task("double", Next="Note"),
        "Note": {"Type": "Pass", "Parameters": {"doubled.$": "$.n"}, "End": True},
    },
}
WAIT_A_MINUTE = {"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Seconds": 60, "End": True}}}


def start(client, machine, **fields):
    response = client.post("/api/executions/", json={"state_machine": machine.pk, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_an_execution_of_the_draft_runs_to_success_and_its_history_reads_in_pages(
    worker, api_as, alice, make_state_machine, follow
):
    client = api_as(alice)
    machine = make_state_machine(DOUBLE_THEN_PASS)

    started = start(client, machine, input={"n": 21})
    status, events = follow(client, started["id"], limit=3)

    assert started["status"] == "RUNNING" and started["version"] is None
    assert status == "SUCCEEDED"
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["type"] == "ExecutionStarted" and events[-1]["type"] == "ExecutionSucceeded"
    assert "LambdaFunctionSucceeded" in [e["type"] for e in events]  # a function ARN, as on AWS
    described = client.get(f"/api/executions/{started['id']}/").json()
    assert (described["status"], described["output"], described["input"]) == (
        "SUCCEEDED",
        {"doubled": 42},
        {"n": 21},
    )
    assert described["stopped_at"] is not None


def test_an_execution_of_a_version_runs_that_version_not_the_draft(
    worker, api_as, alice, make_state_machine, follow
):
    client = api_as(alice)
    first = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "one", "End": True}}}
    machine = make_state_machine(first)
    client.post(f"/api/state-machines/{machine.pk}/publish/", json={"description": "one"})
    second = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "two", "End": True}}}
    client.patch(f"/api/state-machines/{machine.pk}/", json={"definition": second})

    started = start(client, machine, version=1)
    status, _ = follow(client, started["id"])

    described = client.get(f"/api/executions/{started['id']}/").json()
    assert (status, described["output"], described["version"]) == ("SUCCEEDED", "one", 1)


def test_history_after_the_last_event_is_empty_and_says_so(worker, api_as, alice, make_state_machine, follow):
    client = api_as(alice)
    started = start(client, make_state_machine(DOUBLE_THEN_PASS), input={"n": 1})
    _, events = follow(client, started["id"])

    page = client.get(f"/api/executions/{started['id']}/history/?after={events[-1]['id']}").json()

    assert page == {
        "execution_status": "SUCCEEDED",
        "events": [],
        "last_event_id": events[-1]["id"],
        "has_more": False,
    }


def test_stopping_a_waiting_execution_aborts_it(worker, api_as, alice, make_state_machine, follow, wait_for):
    client = api_as(alice)
    started = start(client, make_state_machine(WAIT_A_MINUTE))
    wait_for(lambda: "WaitStateEntered" in [e["type"] for e in follow_once(client, started["id"])])

    stopped = client.post(
        f"/api/executions/{started['id']}/stop/", json={"error": "Operator", "cause": "not today"}
    )
    status, events = follow(client, started["id"])
    again = client.post(f"/api/executions/{started['id']}/stop/", json={})

    assert stopped.status_code == 200
    assert status == "ABORTED"
    assert events[-1]["type"] == "ExecutionAborted"
    described = client.get(f"/api/executions/{started['id']}/").json()
    assert (described["error"], described["cause"]) == ("Operator", "not today")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "execution_not_running"


def follow_once(client, execution_id):
    return client.get(f"/api/executions/{execution_id}/history/").json()["events"]


def test_a_running_execution_keeps_its_state_machine_from_being_deleted(
    worker, api_as, alice, make_state_machine
):
    client = api_as(alice)
    machine = make_state_machine(WAIT_A_MINUTE)
    started = start(client, machine)

    refused = client.delete(f"/api/state-machines/{machine.pk}/")
    client.post(f"/api/executions/{started['id']}/stop/", json={})

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "state_machine_has_running_executions"


def test_executions_are_listed_newest_first_with_filters(worker, api_as, alice, make_state_machine, follow):
    client = api_as(alice)
    quick = make_state_machine(DOUBLE_THEN_PASS, name="quick")
    slow = make_state_machine(WAIT_A_MINUTE, name="slow")
    done = start(client, quick, input={"n": 1})
    follow(client, done["id"])
    waiting = start(client, slow)

    everything = client.get("/api/executions/").json()["results"]
    running = client.get("/api/executions/?status=RUNNING").json()["results"]
    of_quick = client.get(f"/api/executions/?state_machine={quick.pk}").json()["results"]
    client.post(f"/api/executions/{waiting['id']}/stop/", json={})

    assert [e["id"] for e in everything] == [waiting["id"], done["id"]]
    assert [e["id"] for e in running] == [waiting["id"]]
    assert [(e["id"], e["state_machine_name"]) for e in of_quick] == [(done["id"], "quick")]


def test_an_unknown_status_filter_is_invalid(api_as, alice):
    response = api_as(alice).get("/api/executions/?status=SLEEPING")

    assert response.status_code == 400
    assert "status" in response.json()["error"]["details"]["fields"]


def test_another_owners_execution_is_not_found(worker, api_as, alice, bob, make_state_machine, follow):
    bobs = api_as(bob)
    started = start(bobs, make_state_machine(DOUBLE_THEN_PASS, owner=bob), input={"n": 1})
    follow(bobs, started["id"])
    client = api_as(alice)

    answers = [
        client.get(f"/api/executions/{started['id']}/"),
        client.get(f"/api/executions/{started['id']}/history/"),
        client.post(f"/api/executions/{started['id']}/stop/", json={}),
    ]

    assert [r.status_code for r in answers] == [404, 404, 404]
    assert client.get("/api/executions/").json()["results"] == []


def test_nobody_starts_another_owners_state_machine(api_as, alice, bob, make_state_machine):
    machine = make_state_machine(DOUBLE_THEN_PASS, owner=bob)

    response = api_as(alice).post("/api/executions/", json={"state_machine": machine.pk})

    assert response.status_code == 404
    assert not machine.executions.exists()


def test_an_invalid_draft_cannot_run(api_as, alice, make_state_machine):
    machine = make_state_machine({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})

    response = api_as(alice).post("/api/executions/", json={"state_machine": machine.pk})

    assert response.status_code == 400
    assert response.json()["error"]["details"]["diagnostics"][0]["location"] == "/States/A/Next"


def test_an_express_machine_answers_synchronously(api_as, alice, make_state_machine):
    machine = make_state_machine(DOUBLE_THEN_PASS, type="EXPRESS")
    client = api_as(alice)

    ran = client.post("/api/executions/sync/", json={"state_machine": machine.pk, "input": {"n": 4}})
    refused = client.post("/api/executions/", json={"state_machine": machine.pk})

    assert ran.status_code == 200
    assert (ran.json()["status"], ran.json()["output"]) == ("SUCCEEDED", {"doubled": 8})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "state_machine_type_not_supported"


def test_a_duplicate_execution_name_is_a_conflict(worker, api_as, alice, make_state_machine, follow):
    client = api_as(alice)
    machine = make_state_machine(DOUBLE_THEN_PASS)
    first = start(client, machine, name="nightly", input={"n": 1})
    follow(client, first["id"])

    again = client.post("/api/executions/", json={"state_machine": machine.pk, "name": "nightly"})

    assert again.status_code == 409
    assert json.loads(again.text)["error"]["code"] == "execution_already_exists"
