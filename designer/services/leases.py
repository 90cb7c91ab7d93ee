"""Leases: at most one worker advances an execution at a time, and a stale one cannot commit.

A lease is (owner, fence, expiry) on the Execution row. Taking it bumps the fence; every
commit checks owner and fence under the row lock, so a worker that stalled past its expiry
and lost the lease to another finds out before writing anything.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from designer.models import Execution, Inbox, Status

HELD_FIELDS = ("pk", "status", "lease_owner", "lease_fence", "parent_id", "parent_pattern", "uses_tokens")


@dataclass(frozen=True)
class Lease:
    execution_id: UUID
    owner: str
    fence: int


def moment(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def expiry(now: float) -> datetime:
    return moment(now) + timedelta(seconds=float(settings.STATECRAFT["LEASE_SECONDS"]))


def acquire(execution_id: UUID) -> str | None:
    """Take the lease of a running execution nobody holds (or whose holder went silent).

    Returns the owner id; the caller reads the fence with the row (see `held`). One statement,
    so two workers racing for it serialize on the row and exactly one wins.
    """
    now = time.time()
    owner = uuid.uuid4().hex
    taken = (
        Execution.objects.filter(pk=execution_id, status=Status.RUNNING)
        .filter(Q(lease_owner__isnull=True) | Q(lease_expires_at__lt=moment(now)))
        .update(lease_owner=owner, lease_fence=F("lease_fence") + 1, lease_expires_at=expiry(now))
    )
    return owner if taken else None


def held(row: Execution, owner: str) -> Lease | None:
    """The lease `owner` holds on `row` as read from the database, or None if it was lost."""
    if row.lease_owner != owner:
        return None
    return Lease(row.pk, owner, row.lease_fence)


def locked_if_held(lease: Lease) -> Execution | None:
    """The execution row, locked, if `lease` still holds it; None if it was lost. Call in a transaction."""
    row = Execution.objects.select_for_update().filter(pk=lease.execution_id).only(*HELD_FIELDS).first()
    if row is None or row.lease_owner != lease.owner or row.lease_fence != lease.fence:
        return None
    return row


def release_if_idle(lease: Lease) -> bool:
    """Give the lease up unless happenings arrived meanwhile (then the holder carries on).

    Deliveries lock the same row, so a happening delivered at any moment is either seen here
    or finds the lease free and announces itself: none waits for the reaper.
    """
    with transaction.atomic():
        row = locked_if_held(lease)
        if row is None:
            return True  # lost: nothing of ours to release
        if not row.is_closed and waiting(row):
            return False
        Execution.objects.filter(pk=row.pk).update(lease_owner=None, lease_expires_at=None)
        return True


def waiting(row: Execution) -> bool:
    return Inbox.objects.filter(execution=row, applied_at__isnull=True).exists()
