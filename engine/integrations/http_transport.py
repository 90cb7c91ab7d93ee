"""HTTP exchanges for HTTP Tasks: one request, its redirects, every hop behind the address policy."""

from __future__ import annotations

import http.client
import ssl
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

from engine.integrations.address_policy import AddressPolicy

REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


class ResponseTooLarge(Exception):
    """The response body passed the size the caller accepts."""


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None = None
    secret_headers: frozenset[str] = frozenset()  # lower-case names not to forward to another origin


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


class Transport:
    """Sends requests with the standard library, checking every connection against `policy`.

    No proxy settings are read from the environment: a proxy would connect on our behalf
    to addresses the policy never saw.
    """

    def __init__(
        self,
        policy: AddressPolicy,
        timeout: float = 60.0,
        max_redirects: int = 5,
        max_body: int = 1024 * 1024,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.policy = policy
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.max_body = max_body
        self.tls = tls if tls is not None else ssl.create_default_context()

    def send(self, request: Request) -> Response:
        """Send `request`, following redirects; each hop connects through the policy again."""
        response = self._exchange(request)
        for _ in range(self.max_redirects):
            location = response.header("Location")
            if response.status not in REDIRECTS or location is None:
                return response
            follow = _redirected(request, response.status, urljoin(request.url, location))
            if follow is None:
                return response
            request = follow
            response = self._exchange(request)
        return response

    def _exchange(self, request: Request) -> Response:
        url = urlsplit(request.url)
        host = url.hostname or ""
        conn: http.client.HTTPConnection
        if url.scheme == "https":
            conn = _PolicyHTTPSConnection(host, url.port or 443, self.policy, self.timeout, self.tls)
        else:
            conn = _PolicyHTTPConnection(host, url.port or 80, self.policy, self.timeout)
        target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        try:
            conn.request(request.method, target, body=request.body, headers=request.headers)
            answer = conn.getresponse()
            body = answer.read(self.max_body + 1)
            if len(body) > self.max_body:
                raise ResponseTooLarge(f"more than {self.max_body} bytes")
            return Response(answer.status, answer.reason, answer.getheaders(), body)
        finally:
            conn.close()


def _redirected(request: Request, status: int, url: str) -> Request | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    method, body, headers = request.method, request.body, dict(request.headers)
    if status == 303 or (status in (301, 302) and method == "POST"):
        method = "GET" if method != "HEAD" else method
        body = None
        headers = {k: v for k, v in headers.items() if k.lower() not in ("content-type", "content-length")}
    if _origin(url) != _origin(request.url):
        # Credentials were meant for the first origin, never for wherever it redirects.
        dropped = _CREDENTIAL_HEADERS | request.secret_headers
        headers = {k: v for k, v in headers.items() if k.lower() not in dropped}
    return replace(request, method=method, url=url, headers=headers, body=body)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


class _PolicyHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, policy: AddressPolicy, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._policy = policy

    def connect(self) -> None:
        self.sock = self._policy.connect(self.host, self.port, self.timeout)


class _PolicyHTTPSConnection(http.client.HTTPSConnection):
    def __init__(
        self, host: str, port: int, policy: AddressPolicy, timeout: float, tls: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=tls)
        self._policy = policy
        self._tls = tls

    def connect(self) -> None:
        sock = self._policy.connect(self.host, self.port, self.timeout)
        # SNI and certificate checks use the name; the socket is already on the checked address.
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
