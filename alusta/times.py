"""ISO 8601 times as Alusta stores, serves and reads them (stdlib only).

Mentions carry times as text: `wm-received` and `since` in UTC with seconds (the stored
form), `published` as the source wrote it (mf2py gives `+0200`, senders give `Z`) and
served in RFC 3339 (`rfc3339`).
"""

from __future__ import annotations

from datetime import UTC, datetime


def iso(timestamp: float) -> str:
    """ISO 8601 UTC with seconds, the form stored and served (`wm-received`)."""
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


def parse_iso(value: str) -> datetime | None:
    """An ISO 8601 date and time (`Z` allowed), None when `value` is not one."""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError, TypeError):
        return None


def utc_iso(value: str) -> str | None:
    """`value` in the stored form (a time without zone counts as UTC), None if not a time."""
    moment = parse_iso(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    except OverflowError:  # 0001-01-01T00:00:00+23:59 is before year 1 in UTC
        return None


def rfc3339(value: str) -> str:
    """`value` in RFC 3339 when it is a time with a zone (mf2py's `+0200` → `+02:00`); a
    date or a time without a zone as the source wrote it (no zone can be made up for it)."""
    moment = parse_iso(value)
    if moment is None or moment.tzinfo is None:
        return value
    return moment.isoformat()
