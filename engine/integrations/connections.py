"""Named connections for HTTP Tasks, as EventBridge connections hold them on AWS.

A definition names a connection by ARN (`Authentication.ConnectionArn`); the secret stays
here, never in the definition or its history. A connection adds its authorization and its
own headers, query parameters and body fields to every request made with it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from engine.json import JSON


@dataclass(frozen=True, slots=True)
class ApiKeyAuth:
    """Sends `value` in the header `name` (EventBridge's API_KEY)."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class BasicAuth:
    username: str
    password: str


@dataclass(frozen=True, slots=True)
class OAuthClientCredentials:
    """Fetches a bearer token from `token_endpoint` with the client-credentials grant."""

    token_endpoint: str
    client_id: str
    client_secret: str
    method: str = "POST"
    scope: str | None = None
    body: Mapping[str, str] = field(default_factory=dict)  # extra form fields (audience, ...)


Authorization = ApiKeyAuth | BasicAuth | OAuthClientCredentials


@dataclass(frozen=True, slots=True)
class Connection:
    arn: str
    auth: Authorization | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, JSON] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Token:
    value: str
    expires_at: float | None  # on the store's clock; None: until the API refuses it


TokenFetcher = Callable[[OAuthClientCredentials], tuple[str, float | None]]
"""Fetches (access token, lifetime in seconds or None) for a connection's credentials."""


class Connections:
    """The connection store, with a cache of OAuth tokens per connection."""

    EXPIRY_MARGIN = 30.0  # refresh a token this many seconds before it expires

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._connections: dict[str, Connection] = {}
        self._tokens: dict[str, Token] = {}
        self._lock = threading.Lock()

    def register(self, connection: Connection) -> None:
        with self._lock:
            self._connections[connection.arn] = connection
            self._tokens.pop(connection.arn, None)

    def get(self, arn: str) -> Connection | None:
        return self._connections.get(arn)

    def token(self, connection: Connection, fetch: TokenFetcher) -> str:
        """The cached bearer token for an OAuth connection, fetched when missing or stale."""
        if not isinstance(connection.auth, OAuthClientCredentials):
            raise TypeError(f"connection {connection.arn} does not use OAuth")
        now = self._clock()
        cached = self._tokens.get(connection.arn)
        if cached is not None and (cached.expires_at is None or cached.expires_at > now):
            return cached.value
        value, lifetime = fetch(connection.auth)
        expires_at = None if lifetime is None else now + max(0.0, lifetime - self.EXPIRY_MARGIN)
        with self._lock:
            self._tokens[connection.arn] = Token(value, expires_at)
        return value

    def forget_token(self, arn: str) -> None:
        """Drop a cached token (the API answered 401 with it)."""
        with self._lock:
            self._tokens.pop(arn, None)
