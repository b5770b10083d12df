"""The one way tests wait for another process or server: poll a condition with a deadline.

Tests never sleep for a fixed time; they wait until what they need has happened, and fail
with a named reason when it does not happen in time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

DEADLINE_SECONDS = 30.0
POLL_INTERVAL_SECONDS = 0.01


def wait_until(
    condition: Callable[[], T],
    *,
    seconds: float = DEADLINE_SECONDS,
    interval: float = POLL_INTERVAL_SECONDS,
    what: str = "",
) -> T:
    """Poll `condition()` until it returns something true and return that value."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(interval)
