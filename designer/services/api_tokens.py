"""API tokens: issue one for a user (shown once), and find whose a presented token is."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User

from designer.models import ApiToken

PREFIX = "sc_"  # makes a leaked token easy to recognise (and to scan for)


def issue(owner: User, label: str = "") -> str:
    """A new token for `owner`. The caller shows it once: only its hash is kept."""
    token = PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    ApiToken.objects.create(owner=owner, token_hash=_hashed(token), label=label[:80])
    return token


def owner_of(token: str) -> User | None:
    """The active user a token belongs to, or None."""
    found = ApiToken.objects.select_related("owner").filter(token_hash=_hashed(token)).first()
    if found is None or not found.owner.is_active:
        return None
    return found.owner


def _hashed(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
