"""ISO 8601 times as stored, served and read (alusta.times)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from alusta.times import iso, parse_iso, utc_iso


def test_iso_is_utc_with_seconds():
    assert iso(1_800_000_000.7) == "2027-01-15T08:00:00+00:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-26T14:30:00Z", datetime(2026, 11, 26, 14, 30, tzinfo=UTC)),
        (
            "2026-11-26T14:30:00+0200",
            datetime(2026, 11, 26, 14, 30, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2026-11-26", datetime(2026, 11, 26)),
        ("eilen", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_iso_reads_times_or_says_none(value, expected):
    assert parse_iso(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-26T16:30:00+02:00", "2026-11-26T14:30:00+00:00"),
        ("2026-11-26T14:30:00.123Z", "2026-11-26T14:30:00+00:00"),
        ("2026-11-26T14:30:00", "2026-11-26T14:30:00+00:00"),  # no zone: UTC
        ("0001-01-01T00:00:00+23:59", None),  # before year 1 in UTC
        ("eilen", None),
    ],
)
def test_utc_iso_gives_the_stored_form(value, expected):
    assert utc_iso(value) == expected
