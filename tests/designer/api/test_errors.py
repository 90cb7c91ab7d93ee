"""Bad input: every mistake is a 4xx in the one error shape, never a 500 or a traceback."""

import json
import uuid

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

VALID = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


def nested(depth):
    value = 0
    for _ in range(depth - 1):
        value = [value]
    return value


def error_of(response):
    assert 400 <= response.status_code < 500, response.text[:300]
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert "Traceback" not in response.text
    return error


def test_a_malformed_json_body_is_a_parse_error(api_as, alice):
    response = api_as(alice).post(
        "/api/state-machines/", data='{"name": "x",', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_form_body_is_an_unsupported_media_type(api_as, alice):
    response = api_as(alice).post("/api/state-machines/", data={"name": "x"})

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "orders", "definition": 5}, "definition"),
        ({"name": ["orders"], "definition": VALID}, "name"),
        ({"name": "orders", "definition": VALID, "type": "SLOW"}, "type"),
        ({"definition": VALID}, "name"),
    ],
)
def test_wrong_types_name_the_field(api_as, alice, body, field):
    response = api_as(alice).post("/api/state-machines/", json=body)

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert field in error["details"]["fields"]
    assert error["message"].startswith(f"{field}: ")


def test_a_body_that_is_not_an_object_is_invalid(api_as, alice):
    response = api_as(alice).post("/api/state-machines/", json=[1, 2])

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


def test_an_input_over_256_kib_is_refused_and_nothing_starts(api_as, alice, make_state_machine):
    machine = make_state_machine(VALID)

    response = api_as(alice).post(
        "/api/executions/", json={"state_machine": machine.pk, "input": {"blob": "x" * (256 * 1024)}}
    )

    assert response.status_code == 400
    error = error_of(response)
    assert "at most 262144" in error["details"]["fields"]["input"][0]
    assert not machine.executions.exists()


def test_a_definition_over_one_mebibyte_is_refused_and_the_draft_is_kept(api_as, alice, make_state_machine):
    machine = make_state_machine(VALID)
    huge = json.dumps({**VALID, "Comment": "x" * (1024 * 1024)})

    response = api_as(alice).patch(f"/api/state-machines/{machine.pk}/", json={"definition": huge})

    assert response.status_code == 400
    assert "definition" in error_of(response)["details"]["fields"]
    machine.refresh_from_db()
    assert json.loads(machine.definition) == VALID


def test_an_input_nested_past_the_limit_is_refused(api_as, alice, make_state_machine):
    machine = make_state_machine(VALID)

    response = api_as(alice).post(
        "/api/executions/", json={"state_machine": machine.pk, "input": nested(201)}
    )

    assert response.status_code == 400
    assert "nests deeper than 200" in error_of(response)["details"]["fields"]["input"][0]


def test_a_body_nested_past_what_the_parser_follows_is_a_parse_error(api_as, alice):
    body = '{"definition": ' + "[" * 100_000 + "]" * 100_000 + "}"

    response = api_as(alice).post(
        "/api/state-machines/validate/", data=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


@pytest.mark.parametrize("signed_in_by", ["session", "token"])
def test_a_body_over_the_limit_is_too_large(api_as, anonymous, alice, token_for, signed_in_by):
    body = json.dumps({"definition": "x" * (5 * 1024 * 1024)})
    client, headers = api_as(alice), {"Content-Type": "application/json"}
    if signed_in_by == "token":  # Django reads a session's body for CSRF; the API's parser reads a token's
        client, headers = anonymous, {**headers, "Authorization": f"Token {token_for(alice)}"}

    response = client.post("/api/state-machines/validate/", data=body, headers=headers)

    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_nan_is_not_json(api_as, alice):
    response = api_as(alice).post(
        "/api/test-state/",
        data='{"definition": {"Type": "Pass"}, "input": NaN}',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


@pytest.mark.parametrize(
    "path",
    [
        "/api/state-machines/999999/",
        "/api/state-machines/not-a-number/",
        "/api/executions/6f1c0d52-0000-4000-8000-000000000001/",
        "/api/executions/not-a-uuid/",
        "/api/executions/6f1c0d52-0000-4000-8000-000000000001/history/",
        "/api/activities/999999/",
        "/api/state-machines/999999/versions/",
        "/api/no-such-thing/",
    ],
)
def test_unknown_ids_are_not_found(api_as, alice, path):
    response = api_as(alice).get(path)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_an_unknown_version_is_not_found(api_as, alice, make_state_machine):
    machine = make_state_machine(VALID)

    response = api_as(alice).post("/api/executions/", json={"state_machine": machine.pk, "version": 3})

    assert response.status_code == 404
    assert "has no version 3" in error_of(response)["message"]


def test_bad_history_paging_is_invalid(api_as, alice, make_state_machine):
    response = api_as(alice).get(f"/api/executions/{uuid.uuid4()}/history/?after=-1&limit=abc")

    assert response.status_code == 400
    assert set(error_of(response)["details"]["fields"]) == {"after", "limit"}
