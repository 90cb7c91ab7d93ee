"""HTTP Tasks (`arn:aws:states:::http:invoke`): call an HTTPS API, optionally through a connection.

The result is shaped as AWS's HTTP Task result: {"Headers", "ResponseBody", "StatusCode",
"StatusText"}; a JSON response body is parsed, any other text is kept as a string. A status
outside 2xx fails the task with `States.Http.StatusCode.<code>`. Every connection, redirects
included, goes through the AddressPolicy (see address_policy.py).
"""

from __future__ import annotations

import base64
import http.client
import json
import ssl
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

from engine.errors import ErrorName
from engine.integrations.address_policy import AddressPolicy, AddressRefused
from engine.integrations.base import TaskOutcome, data_limit_cause
from engine.integrations.connections import (
    ApiKeyAuth,
    BasicAuth,
    Connection,
    Connections,
    OAuthClientCredentials,
)
from engine.integrations.http_transport import Request, Response, ResponseTooLarge, Transport
from engine.integrations.resources import parse_resource
from engine.json import JSON, MAX_PAYLOAD_BYTES, dumps
from engine.runtime.effects import InvokeTask

METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"})
SOCKET_ERROR = "States.Http.Socket"
CONNECTION_ERROR = "Events.ConnectionResource.InvalidConnectionState"
# Headers AWS's HTTP Task does not let a definition set (call-https-apis, "Headers").
_FORBIDDEN = """a-im accept-charset accept-datetime accept-encoding authorization cache-control connection
content-encoding content-length content-md5 date expect forwarded from host http2-settings if-match
if-modified-since if-none-match if-range if-unmodified-since max-forwards origin pragma proxy-authorization
referer server te trailer transfer-encoding upgrade user-agent via warning"""
FORBIDDEN_HEADERS = frozenset(_FORBIDDEN.split())
FORBIDDEN_PREFIXES = ("x-forwarded", "x-amz", "x-amzn")
ARRAY_FORMATS = frozenset({"INDICES", "REPEAT", "COMMAS", "BRACKETS"})


class _Refusal(Exception):
    """The task fails with `error` and `cause` before or instead of a response."""

    def __init__(self, error: str, cause: str) -> None:
        super().__init__(cause)
        self.error = error
        self.cause = cause


class HttpIntegration:
    """The HTTP Task adapter."""

    def __init__(
        self,
        connections: Connections | None = None,
        policy: AddressPolicy | None = None,
        timeout: float = 60.0,
        max_redirects: int = 5,
        user_agent: str = "Statecraft|StepFunctions|HttpInvoke",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.connections = connections if connections is not None else Connections()
        self.transport = Transport(
            policy if policy is not None else AddressPolicy(), timeout, max_redirects, MAX_PAYLOAD_BYTES, tls
        )
        self.user_agent = user_agent

    def handles(self, resource: str) -> bool:
        parsed = parse_resource(resource)
        return parsed.is_service("http", "invoke") and parsed.pattern == "request-response"

    def invoke(self, call: InvokeTask) -> TaskOutcome:
        try:
            request = self._request(call.parameters)
            response = self.transport.send(request)
            result = _result_of(response)
        except _Refusal as refusal:
            return TaskOutcome.failed(refusal.error, refusal.cause)
        except AddressRefused as refused:
            return TaskOutcome.failed(SOCKET_ERROR, str(refused))
        except ResponseTooLarge:
            return TaskOutcome.failed(ErrorName.DATA_LIMIT_EXCEEDED, data_limit_cause("http"))
        except TimeoutError:
            cause = f"The HTTP request timed out after {self.transport.timeout:g} seconds."
            return TaskOutcome.failed(SOCKET_ERROR, cause)
        except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as error:
            return TaskOutcome.failed(SOCKET_ERROR, f"The HTTP request failed: {error}")
        if 200 <= response.status < 300:
            return TaskOutcome.succeeded(result)
        return TaskOutcome.failed(f"States.Http.StatusCode.{response.status}", dumps(result))

    def _request(self, params: JSON) -> Request:
        if not isinstance(params, dict):
            raise _runtime("The http:invoke parameters must be an object with ApiEndpoint and Method.")
        endpoint = params.get("ApiEndpoint")
        parts = urlsplit(endpoint) if isinstance(endpoint, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise _runtime(f"ApiEndpoint must be an http or https URL; got {dumps(endpoint)}.")
        method = params.get("Method")
        if not isinstance(method, str) or method.upper() not in METHODS:
            raise _runtime(f"Method must be one of {', '.join(sorted(METHODS))}; got {dumps(method)}.")
        connection = self._connection(params.get("Authentication"))
        headers = {"User-Agent": self.user_agent, **_headers(params.get("Headers"))}
        query = list(_pairs(params.get("QueryParameters"), "REPEAT"))
        body = _body(params.get("RequestBody"), params.get("Transform"), connection, headers)
        secrets: frozenset[str] = frozenset()
        if connection is not None:
            headers.update(connection.headers)
            query = [(k, v) for k, v in query if k not in connection.query] + list(connection.query.items())
            secrets = self._authorize(connection, headers)
        url = endpoint if not query else f"{endpoint}{'&' if parts.query else '?'}{urlencode(query)}"
        return Request(method.upper(), str(url), headers, body, secrets)

    def _connection(self, authentication: JSON) -> Connection | None:
        if authentication is None:
            return None  # AWS requires one; a self-hosted public API may not need it
        arn = authentication.get("ConnectionArn") if isinstance(authentication, dict) else None
        if not isinstance(arn, str):
            raise _runtime("Authentication must be an object with a ConnectionArn string.")
        connection = self.connections.get(arn)
        if connection is None:
            cause = f"No connection is registered as {arn!r}. Register it with Connections.register()."
            raise _Refusal(CONNECTION_ERROR, cause)
        return connection

    def _authorize(self, connection: Connection, headers: dict[str, str]) -> frozenset[str]:
        auth = connection.auth
        if isinstance(auth, ApiKeyAuth):
            headers[auth.name] = auth.value
            return frozenset({auth.name.lower()})
        if isinstance(auth, BasicAuth):
            headers["Authorization"] = _basic(auth.username, auth.password)
        elif isinstance(auth, OAuthClientCredentials):
            headers["Authorization"] = f"Bearer {self.connections.token(connection, self._fetch_token)}"
        return frozenset()

    def _fetch_token(self, credentials: OAuthClientCredentials) -> tuple[str, float | None]:
        form = {"grant_type": "client_credentials", **credentials.body}
        if credentials.scope is not None:
            form["scope"] = credentials.scope
        headers = {
            "Authorization": _basic(credentials.client_id, credentials.client_secret),
            "Accept": "application/json",
            "User-Agent": self.user_agent,
        }
        url, body = credentials.token_endpoint, None
        if credentials.method.upper() == "GET":
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(form)}"
        else:
            body = urlencode(form).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = self.transport.send(Request(credentials.method.upper(), url, headers, body))
        try:
            data = json.loads(response.body) if 200 <= response.status < 300 else None
        except ValueError:
            data = None
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str):
            cause = f"The OAuth token endpoint answered {response.status} without an access_token."
            raise _Refusal(CONNECTION_ERROR, cause)
        lifetime = data.get("expires_in") if isinstance(data, dict) else None
        if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool):
            return token, float(lifetime)
        return token, None


def _runtime(cause: str) -> _Refusal:
    return _Refusal(ErrorName.RUNTIME, cause)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def _text(value: JSON) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before numbers: True is an int in Python
        return "true" if value else "false"
    return "" if value is None else dumps(value)


def _headers(value: JSON) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _runtime("Headers must be an object of header names to values.")
    headers: dict[str, str] = {}
    for name, raw in value.items():
        lower = name.lower()
        if lower in FORBIDDEN_HEADERS or lower.startswith(FORBIDDEN_PREFIXES):
            raise _runtime(f"The header {name!r} cannot be set in an HTTP Task.")
        headers[name] = ",".join(map(_text, raw)) if isinstance(raw, list) else _text(raw)
    return headers


def _pairs(value: JSON, array_format: str, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Flatten an object into form or query pairs, arrays written in `array_format`."""
    if value is None and not prefix:
        return
    if not prefix and not isinstance(value, dict):
        raise _runtime("QueryParameters and URL-encoded request bodies must be objects.")
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _pairs(item, array_format, f"{prefix}[{key}]" if prefix else str(key))
    elif isinstance(value, list):
        if array_format == "COMMAS":
            yield prefix, ",".join(_text(item) for item in value)
            return
        for index, item in enumerate(value):
            key = {"INDICES": f"{prefix}[{index}]", "BRACKETS": f"{prefix}[]"}.get(array_format, prefix)
            yield from _pairs(item, array_format, key)
    else:
        yield prefix, _text(value)


def _body(
    value: JSON, transform: JSON, connection: Connection | None, headers: dict[str, str]
) -> bytes | None:
    extra = dict(connection.body) if connection is not None else {}
    if value is None and not extra:
        return None
    if extra:
        if value is not None and not isinstance(value, dict):
            raise _runtime("The connection adds body fields, so RequestBody must be an object.")
        value = {**(value if value is not None else {}), **extra}  # the connection's values win, as on AWS
    options = transform if isinstance(transform, dict) else {}
    if options.get("RequestBodyEncoding", "NONE") == "URL_ENCODED":
        encoding = options.get("RequestEncodingOptions")
        fmt = encoding.get("ArrayFormat", "INDICES") if isinstance(encoding, dict) else "INDICES"
        if fmt not in ARRAY_FORMATS:
            raise _runtime(f"ArrayFormat must be one of {', '.join(sorted(ARRAY_FORMATS))}.")
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        return urlencode(list(_pairs(value, fmt))).encode("ascii")
    if not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = "application/json; charset=UTF-8"
    return (value if isinstance(value, str) else dumps(value)).encode("utf-8")


def _result_of(response: Response) -> dict[str, Any]:
    content_type = (response.header("Content-Type") or "").lower()
    charset = "utf-8"
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";", 1)[0].strip().strip('"') or "utf-8"
    try:
        text = response.body.decode(charset)
    except (LookupError, UnicodeDecodeError) as error:
        raise _runtime(f"The HTTP response body is not {charset} text: {error}") from error
    body: JSON = text
    media = content_type.split(";", 1)[0].strip()
    if media == "application/json" or media.endswith("+json"):
        try:
            body = json.loads(text)
        except ValueError:
            body = text  # declared JSON but is not: hand over the text rather than fail
    headers: dict[str, list[str]] = {}
    for name, value in response.headers:
        headers.setdefault(name, []).append(value)
    return {
        "Headers": headers,
        "ResponseBody": body,
        "StatusCode": response.status,
        "StatusText": response.reason,
    }
