"""RFC 3339 timestamps as AWS reads and prints them.

AWS accepts "ISO-8601 extended offset date-time" strings: a full date, `T`, a time with
seconds and an optional fraction of up to nine digits (nanoseconds), then `Z` or a `±HH:MM`
offset. Everything else is refused: no zone, a space for `T`, hour 25, month 13
(conformance cases `scenarios...test_wait_timestamp_path__*`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_FLOOR, Decimal

_STAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
_MAX_OFFSET_MINUTES = 18 * 60  # Java's ZoneOffset range, which AWS parses with
_EPOCH_DAY = date(1970, 1, 1).toordinal()


def parse_timestamp(text: str) -> datetime | None:
    """The moment `text` names, with its own offset; None when AWS would refuse it.

    Python keeps microseconds: digits past the sixth are dropped (use `instant_of` to
    compare at AWS's nanosecond precision).
    """
    fields = _fields(text)
    if fields is None:
        return None
    local, nanos, offset_minutes = fields
    return local.replace(microsecond=nanos // 1000, tzinfo=timezone(timedelta(minutes=offset_minutes)))


def is_timestamp(value: object) -> bool:
    """Whether `value` is a string AWS reads as a timestamp (the IsTimestamp test)."""
    return isinstance(value, str) and _fields(value) is not None


def instant_of(text: str) -> int | None:
    """Nanoseconds since 1970-01-01T00:00:00Z, exact, or None when `text` is no timestamp.

    Timestamp comparisons use this: it keeps all nine fraction digits and never overflows
    near year 1 or 9999, where shifting a datetime by its offset would.
    """
    fields = _fields(text)
    if fields is None:
        return None
    local, nanos, offset_minutes = fields
    days = local.toordinal() - _EPOCH_DAY
    seconds = days * 86400 + local.hour * 3600 + (local.minute - offset_minutes) * 60 + local.second
    return seconds * 1_000_000_000 + nanos


def format_timestamp(epoch_seconds: float) -> str:
    """A moment as AWS prints it in the context object: `2024-01-02T03:04:05.678Z`.

    Always milliseconds, truncated as AWS truncates; going through the float's shortest
    decimal form keeps `.678` from printing as `.677` after binary rounding.
    """
    millis = int((Decimal(repr(epoch_seconds)) * 1000).to_integral_value(rounding=ROUND_FLOOR))
    seconds, milli = divmod(millis, 1000)
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{milli:03d}Z"


def _fields(text: str) -> tuple[datetime, int, int] | None:
    """(naive local date-time, nanoseconds, offset in minutes), or None when invalid."""
    match = _STAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, sign, off_hours, off_minutes = match.groups()
    offset = 0
    if sign is not None:
        if int(off_minutes) > 59:
            return None
        offset = int(off_hours) * 60 + int(off_minutes)
        if offset > _MAX_OFFSET_MINUTES:
            return None
        if sign == "-":
            offset = -offset
    try:  # datetime checks the calendar: month 13, hour 25, 30 February, second 60
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    nanos = int(fraction.ljust(9, "0")) if fraction is not None else 0
    return local, nanos, offset
