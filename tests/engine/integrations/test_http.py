"""HTTP Tasks against a real local server: result shape, failures, connections, and the address
policy on every hop."""

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from engine.integrations.address_policy import AddressPolicy
from engine.integrations.connections import (
    ApiKeyAuth,
    BasicAuth,
    Connection,
    Connections,
    OAuthClientCredentials,
)
from engine.integrations.http import HttpIntegration
from engine.runtime.effects import InvokeTask

HTTP_INVOKE = "arn:aws:states:::http:invoke"
CONNECTION = "arn:aws:events:us-east-1:123456789012:connection/api/1"
LOCAL = AddressPolicy(allow=["127.0.0.1/32"])


class Handler(BaseHTTPRequestHandler):
    token_requests: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self.route()

    def do_POST(self) -> None:
        self.route()

    def route(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        if url.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", parse_qs(url.query)["to"][0])
            self.end_headers()
        elif url.path == "/missing":
            self.answer(404, "application/json", json.dumps({"message": "no such thing"}))
        elif url.path == "/text":
            self.answer(200, "text/plain; charset=utf-8", "plain words")
        elif url.path == "/token":
            Handler.token_requests.append({"authorization": self.headers.get("Authorization"), "body": body})
            token = {"access_token": f"tok-{len(Handler.token_requests)}", "expires_in": 3600}
            self.answer(200, "application/json", json.dumps(token))
        else:
            echo = {
                "method": self.command,
                "path": url.path,
                "query": parse_qs(url.query),
                "headers": dict(self.headers.items()),
                "body": body,
            }
            self.answer(200, "application/json", json.dumps(echo))

    def answer(self, status: int, content_type: str, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[str]:
    Handler.token_requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def call(parameters: Any) -> InvokeTask:
    return InvokeTask("task-1", HTTP_INVOKE, parameters, "CallApi")


def test_a_local_server_is_refused_by_default(server: str) -> None:
    http = HttpIntegration()

    outcome = http.invoke(call({"ApiEndpoint": f"{server}/echo", "Method": "GET"}))

    assert outcome.error == "States.Http.Socket"
    assert "127.0.0.1 (loopback address)" in (outcome.cause or "")
    assert "AddressPolicy(allow=" in (outcome.cause or "")


def test_an_allowed_server_answers_with_the_http_task_result_shape(server: str) -> None:
    http = HttpIntegration(policy=LOCAL)

    outcome = http.invoke(call({"ApiEndpoint": f"{server}/echo", "Method": "GET"}))

    assert outcome.status == "succeeded"
    result = outcome.output
    assert list(result) == ["Headers", "ResponseBody", "StatusCode", "StatusText"]
    assert (result["StatusCode"], result["StatusText"]) == (200, "OK")
    assert result["Headers"]["Content-Type"] == ["application/json"]
    assert result["ResponseBody"]["method"] == "GET"


def test_headers_query_parameters_and_a_json_body_are_sent(server: str) -> None:
    http = HttpIntegration(policy=LOCAL)
    parameters = {
        "ApiEndpoint": f"{server}/echo?fixed=1",
        "Method": "post",
        "Headers": {"X-Trace": "abc", "X-Count": 3},
        "QueryParameters": {"q": "a b", "tags": ["x", "y"], "flag": False},
        "RequestBody": {"order": 7, "ok": True},
    }

    echo = http.invoke(call(parameters)).output["ResponseBody"]

    assert echo["method"] == "POST"
    assert echo["query"] == {"fixed": ["1"], "q": ["a b"], "tags": ["x", "y"], "flag": ["false"]}
    assert (echo["headers"]["X-Trace"], echo["headers"]["X-Count"]) == ("abc", "3")
    assert echo["headers"]["Content-Type"] == "application/json; charset=UTF-8"
    assert json.loads(echo["body"]) == {"order": 7, "ok": True}


@pytest.mark.parametrize(
    ("array_format", "expected"),
    [
        ("INDICES", "items%5B0%5D=a&items%5B1%5D=b&user%5Bname%5D=Al"),
        ("BRACKETS", "items%5B%5D=a&items%5B%5D=b&user%5Bname%5D=Al"),
        ("REPEAT", "items=a&items=b&user%5Bname%5D=Al"),
        ("COMMAS", "items=a%2Cb&user%5Bname%5D=Al"),
    ],
)
def test_a_url_encoded_body_writes_arrays_in_the_chosen_format(
    server: str, array_format: str, expected: str
) -> None:
    http = HttpIntegration(policy=LOCAL)
    parameters = {
        "ApiEndpoint": f"{server}/echo",
        "Method": "POST",
        "RequestBody": {"items": ["a", "b"], "user": {"name": "Al"}},
        "Transform": {
            "RequestBodyEncoding": "URL_ENCODED",
            "RequestEncodingOptions": {"ArrayFormat": array_format},
        },
    }

    echo = http.invoke(call(parameters)).output["ResponseBody"]

    assert echo["body"] == expected
    assert echo["headers"]["Content-Type"] == "application/x-www-form-urlencoded"


def test_a_text_response_stays_text(server: str) -> None:
    http = HttpIntegration(policy=LOCAL)

    outcome = http.invoke(call({"ApiEndpoint": f"{server}/text", "Method": "GET"}))

    assert outcome.output["ResponseBody"] == "plain words"


def test_a_status_outside_2xx_fails_with_its_code_and_the_response_as_cause(server: str) -> None:
    http = HttpIntegration(policy=LOCAL)

    outcome = http.invoke(call({"ApiEndpoint": f"{server}/missing", "Method": "GET"}))

    assert outcome.error == "States.Http.StatusCode.404"
    cause = json.loads(outcome.cause or "")
    assert (cause["StatusCode"], cause["StatusText"]) == (404, "Not Found")
    assert cause["ResponseBody"] == {"message": "no such thing"}


def test_a_redirect_within_the_policy_is_followed(server: str) -> None:
    http = HttpIntegration(policy=LOCAL)

    outcome = http.invoke(call({"ApiEndpoint": f"{server}/redirect?to=/echo", "Method": "GET"}))

    assert outcome.output["ResponseBody"]["path"] == "/echo"


def test_a_redirect_from_an_allowed_host_to_a_refused_one_is_refused(server: str) -> None:
    http = HttpIntegration(policy=LOCAL)
    port = server.rsplit(":", 1)[1]
    endpoint = f"{server}/redirect?to=http://127.0.0.2:{port}/echo"

    outcome = http.invoke(call({"ApiEndpoint": endpoint, "Method": "GET"}))

    assert outcome.error == "States.Http.Socket"
    assert "Refused to connect to '127.0.0.2'" in (outcome.cause or "")


def test_a_redirect_to_another_origin_does_not_carry_the_credentials(server: str) -> None:
    connections = Connections()
    connections.register(Connection(CONNECTION, ApiKeyAuth("X-Api-Key", "secret")))
    http = HttpIntegration(connections, AddressPolicy(allow=["127.0.0.1/32", "localhost"]))
    port = server.rsplit(":", 1)[1]
    parameters = {
        "ApiEndpoint": f"{server}/redirect?to=http://localhost:{port}/echo",
        "Method": "GET",
        "Authentication": {"ConnectionArn": CONNECTION},
    }

    echo = http.invoke(call(parameters)).output["ResponseBody"]

    assert "X-Api-Key" not in echo["headers"]


def test_an_api_key_connection_sends_its_header_and_parameters(server: str) -> None:
    connections = Connections()
    connections.register(
        Connection(CONNECTION, ApiKeyAuth("X-Api-Key", "secret"), headers={"X-Env": "test"}, query={"v": "2"})
    )
    http = HttpIntegration(connections, LOCAL)
    parameters = {
        "ApiEndpoint": f"{server}/echo",
        "Method": "GET",
        "Authentication": {"ConnectionArn": CONNECTION},
    }

    echo = http.invoke(call(parameters)).output["ResponseBody"]

    assert (echo["headers"]["X-Api-Key"], echo["headers"]["X-Env"]) == ("secret", "test")
    assert echo["query"] == {"v": ["2"]}


def test_a_basic_connection_sends_basic_authorization(server: str) -> None:
    connections = Connections()
    connections.register(Connection(CONNECTION, BasicAuth("ann", "pw")))
    http = HttpIntegration(connections, LOCAL)
    parameters = {
        "ApiEndpoint": f"{server}/echo",
        "Method": "GET",
        "Authentication": {"ConnectionArn": CONNECTION},
    }

    echo = http.invoke(call(parameters)).output["ResponseBody"]

    assert echo["headers"]["Authorization"] == "Basic " + base64.b64encode(b"ann:pw").decode()


def test_an_oauth_connection_fetches_a_token_once_and_reuses_it(server: str) -> None:
    connections = Connections()
    credentials = OAuthClientCredentials(f"{server}/token", "client", "shh", scope="read")
    connections.register(Connection(CONNECTION, credentials))
    http = HttpIntegration(connections, LOCAL)
    parameters = {
        "ApiEndpoint": f"{server}/echo",
        "Method": "GET",
        "Authentication": {"ConnectionArn": CONNECTION},
    }

    first = http.invoke(call(parameters)).output["ResponseBody"]
    second = http.invoke(call(parameters)).output["ResponseBody"]

    assert first["headers"]["Authorization"] == second["headers"]["Authorization"] == "Bearer tok-1"
    assert len(Handler.token_requests) == 1
    assert parse_qs(Handler.token_requests[0]["body"]) == {
        "grant_type": ["client_credentials"],
        "scope": ["read"],
    }
    assert Handler.token_requests[0]["authorization"] == "Basic " + base64.b64encode(b"client:shh").decode()


def test_the_oauth_token_endpoint_is_behind_the_policy_too(server: str) -> None:
    connections = Connections()
    connections.register(Connection(CONNECTION, OAuthClientCredentials(f"{server}/token", "client", "shh")))
    http = HttpIntegration(connections, AddressPolicy(allow=["api.example"]))
    parameters = {
        "ApiEndpoint": "http://api.example/x",
        "Method": "GET",
        "Authentication": {"ConnectionArn": CONNECTION},
    }

    outcome = http.invoke(call(parameters))

    assert outcome.error == "States.Http.Socket"
    assert "Refused to connect to '127.0.0.1'" in (outcome.cause or "")
    assert Handler.token_requests == []


def test_an_unknown_connection_fails_and_says_how_to_register_it() -> None:
    http = HttpIntegration()
    parameters = {
        "ApiEndpoint": "https://api.example/x",
        "Method": "GET",
        "Authentication": {"ConnectionArn": "nope"},
    }

    outcome = http.invoke(call(parameters))

    assert outcome.error == "Events.ConnectionResource.InvalidConnectionState"
    assert "Connections.register" in (outcome.cause or "")


@pytest.mark.parametrize(
    "parameters",
    [
        {"ApiEndpoint": "ftp://example.com/file", "Method": "GET"},
        {"ApiEndpoint": "https://example.com", "Method": "FETCH"},
        {"ApiEndpoint": "https://example.com", "Method": "GET", "Headers": {"Host": "evil"}},
        {"ApiEndpoint": "https://example.com", "Method": "GET", "Headers": {"X-Amz-Date": "now"}},
        "not an object",
    ],
)
def test_parameters_aws_would_refuse_fail_before_any_request(parameters: Any) -> None:
    http = HttpIntegration()

    outcome = http.invoke(call(parameters))

    assert outcome.error == "States.Runtime"
