"""Who may use the API: a signed-in browser session (with CSRF) or an API token; nobody else."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

VALID = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


@pytest.mark.parametrize(
    "path", ["/api/state-machines/", "/api/executions/", "/api/activities/", "/api/schema/", "/api/"]
)
def test_every_endpoint_needs_a_signed_in_user(anonymous, path):
    response = anonymous.get(path)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_session_post_without_the_csrf_token_is_refused(api_as, alice):
    client = api_as(alice, csrf=False)

    response = client.post("/api/state-machines/", json={"name": "orders", "definition": VALID})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert "X-CSRFToken" in response.json()["error"]["message"]
    assert alice.state_machines.count() == 0


def test_a_session_post_with_the_csrf_token_is_accepted(api_as, alice):
    response = api_as(alice).post("/api/state-machines/", json={"name": "orders", "definition": VALID})

    assert response.status_code == 201


def test_a_wrong_password_signs_nobody_in(anonymous, alice):
    anonymous.get("/api/auth/login/")
    form = {"username": "alice", "password": "guess", "csrfmiddlewaretoken": anonymous.cookies["csrftoken"]}

    anonymous.post("/api/auth/login/", data=form, allow_redirects=False)

    assert anonymous.get("/api/state-machines/").status_code == 401


def test_a_token_from_the_command_lets_a_script_in_without_csrf(anonymous, alice, token_for):
    headers = {"Authorization": f"Token {token_for(alice)}"}

    created = anonymous.post(
        "/api/state-machines/", json={"name": "orders", "definition": VALID}, headers=headers
    )
    listed = anonymous.get("/api/state-machines/", headers=headers)

    assert created.status_code == 201
    assert [m["name"] for m in listed.json()["results"]] == ["orders"]


def test_a_token_is_stored_only_as_its_hash(alice, token_for):
    token = token_for(alice)

    stored = list(alice.api_tokens.values_list("token_hash", flat=True))

    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64


@pytest.mark.parametrize("header", ["Token sc_not-a-real-token", "Token", "Token a b"])
def test_a_bad_token_is_refused(anonymous, header):
    response = anonymous.get("/api/state-machines/", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_the_openapi_schema_describes_the_api(api_as, alice):
    response = api_as(alice).get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/state-machines/{id}/export/" in paths
    assert "/api/executions/{id}/history/" in paths
    assert "/api/test-state/" in paths


def test_the_api_root_and_swagger_page_are_served_to_the_signed_in(api_as, alice):
    client = api_as(alice)

    root = client.get("/api/")
    docs = client.get("/api/docs/")

    assert root.status_code == 200 and "state-machines" in root.json()
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
