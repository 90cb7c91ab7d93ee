"""State machines through the REST API: drafts, validation, export, versions, owner scoping."""

import json

import pytest
import yaml

pytestmark = pytest.mark.django_db(transaction=True)

VALID = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
BROKEN = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}


def test_a_new_state_machine_answers_with_its_draft_and_diagnostics(api_as, alice):
    response = api_as(alice).post("/api/state-machines/", json={"name": "orders", "definition": VALID})

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["type"], body["valid"], body["diagnostics"]) == (
        "orders",
        "STANDARD",
        True,
        [],
    )
    assert json.loads(body["definition"]) == VALID
    assert body["arn"].endswith(":stateMachine:orders")


def test_an_invalid_draft_is_saved_with_its_diagnostics(api_as, alice, make_state_machine):
    machine = make_state_machine(VALID)

    response = api_as(alice).patch(f"/api/state-machines/{machine.pk}/", json={"definition": BROKEN})

    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert ("MISSING_TRANSITION_TARGET", "/States/A/Next") in {
        (d["code"], d["location"]) for d in response.json()["diagnostics"]
    }
    machine.refresh_from_db()
    assert json.loads(machine.definition) == BROKEN


def test_text_that_is_not_json_is_kept_as_typed(api_as, alice, make_state_machine):
    machine = make_state_machine(VALID)

    response = api_as(alice).put(f"/api/state-machines/{machine.pk}/", json={"definition": '{"StartAt": '})

    assert response.status_code == 200
    assert response.json()["definition"] == '{"StartAt": '
    assert response.json()["valid"] is False


def test_validate_points_at_the_unknown_target(api_as, alice):
    response = api_as(alice).post("/api/state-machines/validate/", json={"definition": BROKEN})

    assert response.status_code == 200
    assert response.json()["valid"] is False
    found = {(d["code"], d["location"]) for d in response.json()["diagnostics"]}
    assert ("MISSING_TRANSITION_TARGET", "/States/A/Next") in found


def test_validate_refuses_what_express_refuses(api_as, alice):
    definition = {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "End": True,
            }
        },
    }

    standard = api_as(alice).post("/api/state-machines/validate/", json={"definition": definition})
    express = api_as(alice).post(
        "/api/state-machines/validate/", json={"definition": definition, "type": "EXPRESS"}
    )

    assert express.json()["valid"] is False
    assert any(d["location"].startswith("/States/Ask") for d in express.json()["diagnostics"])
    assert len(express.json()["diagnostics"]) > len(standard.json()["diagnostics"])


def test_the_list_shows_only_the_callers_own(api_as, alice, bob, make_state_machine):
    make_state_machine(VALID, owner=alice, name="mine")
    make_state_machine(VALID, owner=bob, name="theirs")

    response = api_as(alice).get("/api/state-machines/")

    assert [m["name"] for m in response.json()["results"]] == ["mine"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/state-machines/{id}/", None),
        ("patch", "/api/state-machines/{id}/", {"definition": VALID}),
        ("delete", "/api/state-machines/{id}/", None),
        ("get", "/api/state-machines/{id}/export/", None),
        ("post", "/api/state-machines/{id}/publish/", {}),
        ("get", "/api/state-machines/{id}/versions/", None),
    ],
)
def test_another_owners_state_machine_is_not_found(
    api_as, alice, bob, make_state_machine, method, path, body
):
    machine = make_state_machine(VALID, owner=bob)

    response = getattr(api_as(alice), method)(path.format(id=machine.pk), json=body)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert machine.__class__.objects.filter(pk=machine.pk).exists()


def test_yaml_export_round_trips(api_as, alice, make_state_machine):
    client = api_as(alice)
    machine = make_state_machine(VALID)

    exported = client.get(f"/api/state-machines/{machine.pk}/export/?format=yaml")
    again = client.post("/api/state-machines/", json={"name": "again", "definition": exported.text})

    assert exported.status_code == 200
    assert exported.headers["Content-Type"].startswith("application/yaml")
    assert 'filename="orders.asl.yaml"' in exported.headers["Content-Disposition"]
    assert yaml.safe_load(exported.text) == VALID
    assert again.json()["valid"] is True
    assert client.get(f"/api/state-machines/{again.json()['id']}/export/").json() == VALID


def test_json_export_of_a_yaml_draft_is_asl_json(api_as, alice, make_state_machine):
    machine = make_state_machine(yaml.safe_dump(VALID))

    response = api_as(alice).get(f"/api/state-machines/{machine.pk}/export/")

    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == VALID


def test_publishing_numbers_versions_that_keep_the_draft_they_came_from(api_as, alice, make_state_machine):
    client = api_as(alice)
    machine = make_state_machine(VALID)
    first = client.post(f"/api/state-machines/{machine.pk}/publish/", json={"description": "first"})
    changed = {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}
    client.patch(f"/api/state-machines/{machine.pk}/", json={"definition": changed})

    second = client.post(f"/api/state-machines/{machine.pk}/publish/", json={})

    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["number"], second.json()["number"]) == (1, 2)
    assert first.json()["arn"].endswith(":stateMachine:orders:1")
    listed = client.get(f"/api/state-machines/{machine.pk}/versions/").json()["results"]
    assert [(v["number"], v["description"]) for v in listed] == [(2, ""), (1, "first")]
    one = client.get(f"/api/state-machines/{machine.pk}/versions/1/").json()
    assert json.loads(one["definition"]) == VALID
    exported = client.get(f"/api/state-machines/{machine.pk}/export/?version=1").json()
    assert exported == VALID


def test_versions_are_read_only(api_as, alice, make_state_machine):
    client = api_as(alice)
    machine = make_state_machine(VALID)
    client.post(f"/api/state-machines/{machine.pk}/publish/", json={})

    response = client.patch(f"/api/state-machines/{machine.pk}/versions/1/", json={"description": "new"})

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_an_invalid_draft_cannot_be_published(api_as, alice, make_state_machine):
    machine = make_state_machine(BROKEN)

    response = api_as(alice).post(f"/api/state-machines/{machine.pk}/publish/", json={"description": "x"})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_definition"
    assert error["details"]["diagnostics"][0]["location"] == "/States/A/Next"


def test_a_second_machine_with_the_same_name_is_a_conflict(api_as, alice, make_state_machine):
    make_state_machine(VALID, name="orders")

    response = api_as(alice).post("/api/state-machines/", json={"name": "orders", "definition": VALID})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "state_machine_already_exists"


def test_a_bad_name_says_what_a_name_may_be(api_as, alice):
    response = api_as(alice).post("/api/state-machines/", json={"name": "has space", "definition": VALID})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_name"
    assert "1 to 80 characters" in response.json()["error"]["message"]


def test_deleting_a_state_machine_removes_it(api_as, alice, make_state_machine):
    client = api_as(alice)
    machine = make_state_machine(VALID)

    deleted = client.delete(f"/api/state-machines/{machine.pk}/")

    assert deleted.status_code == 204
    assert client.get(f"/api/state-machines/{machine.pk}/").status_code == 404
