"""RFC 3339 timestamps: what AWS accepted and refused in the Wait conformance cases
(scenarios.test_base_scenarios...test_wait_timestamp_*), and how it prints times."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from engine.data.timestamps import format_timestamp, instant_of, is_timestamp, parse_timestamp


def test_parses_utc_with_z() -> None:
    assert parse_timestamp("2016-03-14T01:59:00Z") == datetime(2016, 3, 14, 1, 59, tzinfo=UTC)


def test_keeps_the_offset_it_was_given() -> None:
    parsed = parse_timestamp("2012-10-09T19:00:55+01:00")

    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=1)
    assert parsed == datetime(2012, 10, 9, 18, 0, 55, tzinfo=UTC)


def test_negative_offset_and_fraction() -> None:
    parsed = parse_timestamp("2012-10-09T19:00:55.5-05:30")

    assert parsed == datetime(
        2012, 10, 9, 19, 0, 55, 500000, tzinfo=timezone(-timedelta(hours=5, minutes=30))
    )


def test_nanoseconds_are_accepted_and_truncated_to_microseconds() -> None:
    parsed = parse_timestamp("2016-03-05T21:29:29.243167252Z")

    assert parsed == datetime(2016, 3, 5, 21, 29, 29, 243167, tzinfo=UTC)


def test_instant_keeps_every_nanosecond() -> None:
    first = instant_of("2016-03-05T21:29:29.243167251Z")
    second = instant_of("2016-03-05T21:29:29.243167252Z")

    assert first is not None and second is not None
    assert second - first == 1
    assert instant_of("1970-01-01T01:00:00+01:00") == 0


def test_instant_near_the_ends_of_the_calendar_does_not_overflow() -> None:
    hour = 3600 * 10**9
    pairs = [  # the first of each is outside datetime's range once shifted to UTC
        ("0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", -hour),
        ("9999-12-31T23:59:59-18:00", "9999-12-31T23:59:59Z", 18 * hour),
    ]

    for shifted, utc, difference in pairs:
        assert instant_of(shifted) == (instant_of(utc) or 0) + difference


@pytest.mark.parametrize(
    "text",
    [
        "2016-12-05T21:29:29",  # no zone (NO_Z)
        "2016-12-05 21:29:29Z",  # a space for T (NO_T)
        "2016-12-05T25:29:29Z",  # hour 25 (INVALID_TIME)
        "2016-13-05T21:29:29Z",  # month 13 (INVALID_DATE)
        "05-12-2016T21:29:29Z",  # day first (INVALID_ISO)
        "2016-02-30T00:00:00Z",
        "2016-12-05T24:00:00Z",
        "2016-12-05T23:60:00Z",
        "2016-12-05T23:59:60Z",
        "2016-12-05T21:29Z",
        "2016-12-05T21:29:29.Z",
        "2016-12-05T21:29:29.1234567891Z",
        "2016-12-05T21:29:29+0100",
        "2016-12-05T21:29:29+01",
        "2016-12-05T21:29:29+01:60",
        "2016-12-05T21:29:29+19:00",
        "2016-12-05",
        "2016-12-05T21:29:29Z ",
        "2016-12-05T21:29:29Z\n",
        "２０１６-12-05T21:29:29Z",  # fullwidth digits are digits to Python, not to AWS
        "",
    ],
)
def test_refuses_what_aws_refuses(text: str) -> None:
    assert parse_timestamp(text) is None
    assert instant_of(text) is None
    assert not is_timestamp(text)


@pytest.mark.parametrize(
    "text",
    [
        "2016-03-14T01:59:00Z",
        "2016-03-14t01:59:00z",
        "2016-02-29T00:00:00.1+18:00",
        "2016-03-14T01:59:00-00:00",
    ],
)
def test_accepts_rfc3339_forms(text: str) -> None:
    assert is_timestamp(text)


def test_is_timestamp_is_false_for_non_strings() -> None:
    assert not is_timestamp(None)
    assert not is_timestamp(1457920740)
    assert not is_timestamp(datetime(2016, 3, 14, tzinfo=UTC))


@pytest.mark.parametrize(
    ("epoch_seconds", "printed"),
    [
        (0, "1970-01-01T00:00:00.000Z"),
        (1704164645.678, "2024-01-02T03:04:05.678Z"),
        (1704164645.6789, "2024-01-02T03:04:05.678Z"),
        (1704164645, "2024-01-02T03:04:05.000Z"),
        (-0.001, "1969-12-31T23:59:59.999Z"),
    ],
)
def test_formats_as_aws_prints_context_times(epoch_seconds: float, printed: str) -> None:
    assert format_timestamp(epoch_seconds) == printed


def test_formatted_time_parses_back() -> None:
    printed = format_timestamp(1457920740.25)

    assert parse_timestamp(printed) == datetime(2016, 3, 14, 1, 59, 0, 250000, tzinfo=UTC)
