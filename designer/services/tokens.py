"""Execution seeds and task tokens: derived from SECRET_KEY, so the database never holds a live token.

The engine derives an execution's task tokens from its 256-bit seed. We derive the seed from
SECRET_KEY and the execution id and store neither: rows keep the SHA-256 of each token, state
is saved without its seed, and tokens are hidden from history and from outbox payloads.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.conf import settings

from engine.integrations import hash_token, new_token
from engine.json import JSON

HIDDEN = "<statecraft:task-token>"  # what history and outbox rows show instead of a token


def seed_for(execution_id: UUID) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"statecraft-seed:{execution_id}".encode(), hashlib.sha256).hexdigest()


def token_for(execution_id: UUID, task_id: str) -> str:
    return new_token(seed_for(execution_id), task_id)


def hashed(token: str) -> str:
    return hash_token(token)


def hide(value: JSON, tokens: Iterable[str]) -> JSON:
    """`value` with every occurrence of each token, even inside longer strings, replaced by HIDDEN."""
    secrets = [t for t in tokens if t]
    if not secrets:
        return value
    return _map_strings(value, lambda text: _replace_all(text, secrets, HIDDEN))


def reveal(value: JSON, token: str) -> JSON:
    return _map_strings(value, lambda text: text.replace(HIDDEN, token))


def state_to_store(state: dict[str, Any]) -> dict[str, Any]:
    """The engine state without its seed (state is a fresh copy from Execution.to_json())."""
    start = state.get("start")
    if isinstance(start, dict) and "seed" in start:
        start["seed"] = None
    return state


def state_to_load(state: dict[str, Any], execution_id: UUID) -> dict[str, Any]:
    """A copy of a stored state with its seed put back."""
    return {**state, "start": {**state["start"], "seed": seed_for(execution_id)}}


def _replace_all(text: str, secrets: list[str], by: str) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, by)
    return text


def _map_strings(value: Any, change: Any) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_map_strings(item, change) for item in value]
    if isinstance(value, dict):
        return {change(key): _map_strings(item, change) for key, item in value.items()}
    return value
