"""Activities through the REST API: create (idempotent), list, retrieve, delete; each owner's own."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_creating_an_activity_twice_gives_the_same_one(api_as, alice):
    client = api_as(alice)

    first = client.post("/api/activities/", json={"name": "review"})
    second = client.post("/api/activities/", json={"name": "review"})

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["arn"].endswith(":activity:review")


def test_the_list_shows_only_the_callers_own(api_as, alice, bob):
    api_as(alice).post("/api/activities/", json={"name": "mine"})
    api_as(bob).post("/api/activities/", json={"name": "theirs"})

    listed = api_as(alice).get("/api/activities/").json()["results"]

    assert [a["name"] for a in listed] == ["mine"]


def test_an_activity_can_be_read_and_deleted(api_as, alice):
    client = api_as(alice)
    created = client.post("/api/activities/", json={"name": "review"}).json()

    read = client.get(f"/api/activities/{created['id']}/")
    deleted = client.delete(f"/api/activities/{created['id']}/")

    assert read.json()["name"] == "review"
    assert deleted.status_code == 204
    assert client.get(f"/api/activities/{created['id']}/").status_code == 404


def test_another_owners_activity_is_not_found(api_as, alice, bob):
    theirs = api_as(bob).post("/api/activities/", json={"name": "theirs"}).json()
    client = api_as(alice)

    read = client.get(f"/api/activities/{theirs['id']}/")
    deleted = client.delete(f"/api/activities/{theirs['id']}/")

    assert (read.status_code, deleted.status_code) == (404, 404)
    assert api_as(bob).get(f"/api/activities/{theirs['id']}/").status_code == 200


@pytest.mark.parametrize("name", ["has space", "a:b", "", "x" * 81])
def test_a_bad_activity_name_is_refused(api_as, alice, name):
    response = api_as(alice).post("/api/activities/", json={"name": name})

    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("invalid", "invalid_name")
