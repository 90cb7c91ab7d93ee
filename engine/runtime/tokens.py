"""Task tokens: unguessable, yet the same on every replay of an execution."""

from __future__ import annotations

import base64
import hashlib
import hmac


def task_token(seed: str, task_id: str) -> str:
    """HMAC-SHA256 of the task id under the execution's secret 256-bit seed (URL-safe text)."""
    digest = hmac.new(seed.encode(), task_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
