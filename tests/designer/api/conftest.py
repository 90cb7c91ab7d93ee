"""API tests: real HTTP against a live server, signed in through the real sign-in page or a token.

`api_as(user)` is what a browser does: a session from the sign-in form, and the CSRF token
sent back in X-CSRFToken on every unsafe request (`csrf=False` leaves it out).
"""

import time
from io import StringIO

import pytest
import requests
from django.core.management import call_command

from designer import embedded

pytestmark = pytest.mark.django_db(transaction=True)

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class Client(requests.Session):
    """A requests session with the live server's address in front of every path."""

    def __init__(self, base_url, csrf=True):
        super().__init__()
        self.base_url = base_url
        self.csrf = csrf

    def request(self, method, url, *args, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        if self.csrf and method.upper() in UNSAFE and "csrftoken" in self.cookies:
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base_url + url, *args, headers=headers, **kwargs)


@pytest.fixture
def anonymous(live_server):
    return Client(live_server.url)


@pytest.fixture
def api_as(live_server):
    def sign_in(user, csrf=True):
        client = Client(live_server.url, csrf=csrf)
        client.get("/api/auth/login/").raise_for_status()  # sets the csrftoken cookie, as a browser's visit
        form = {
            "username": user.username,
            "password": f"{user.username}-password",
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        }
        signed_in = client.post("/api/auth/login/", data=form, allow_redirects=False)
        assert signed_in.status_code == 302, signed_in.text[:500]
        return client

    return sign_in


@pytest.fixture
def token_for():
    def issue(user):
        out = StringIO()
        call_command("create_api_token", user.username, stdout=out)
        return out.getvalue().strip()

    return issue


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    """The embedded Celery worker (threads in this process), as `python dev.py start` runs it."""
    with django_db_blocker.unblock():
        embedded.start(threads=4)
        yield
        embedded.stop()


@pytest.fixture
def follow():
    return follow_history


@pytest.fixture
def wait_for():
    return wait_until


def follow_history(client, execution_id, seconds=10.0, limit=100):
    """Read an execution's history page by page (?after=) until it ends; returns (status, events)."""
    events, after = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = client.get(f"/api/executions/{execution_id}/history/?after={after}&limit={limit}").json()
        events += page["events"]
        after = page["last_event_id"]
        if page["execution_status"] != "RUNNING" and not page["has_more"]:
            return page["execution_status"], events
        if not page["has_more"]:
            time.sleep(0.02)
    raise AssertionError(f"execution {execution_id} still running after {seconds} s")


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"not true after {seconds} s")
