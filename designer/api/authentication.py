"""Token authentication for scripts: `Authorization: Token <token>` (see create_api_token).

The browser uses Django's session instead (SessionAuthentication, which enforces CSRF).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from designer.services import api_tokens

KEYWORD = "Token"


def signed_in(request: Request) -> User:
    """The user of a request that passed IsAuthenticated (every API view's permission)."""
    user = request.user
    assert isinstance(user, User)
    return user


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, str] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: the session may still authenticate the request
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as 'Authorization: Token <token>'.")
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("This token is not valid.") from None
        user = api_tokens.owner_of(token)
        if user is None:
            raise exceptions.AuthenticationFailed(
                "This token is not valid. Create one with create_api_token."
            )
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD  # makes an unauthenticated request a 401 rather than a 403


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Documents the scheme in the OpenAPI schema."""

    target_class = "designer.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "'Token <token>', from `python manage.py create_api_token USERNAME`.",
        }
