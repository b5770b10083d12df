"""What a failed verification means: when to try again, and what the log hears of it.

Network errors, timeouts and 5xx may heal, so they are retried on one schedule; a 404 may
be a page its sender has not deployed yet, so it is asked again on another; every other
failure is final. A page too costly to read is final too, and logged in one line: a
hostile page is no bug, and a traceback per attempt once filled the log.
"""

from __future__ import annotations

import logging

from alusta.endpoint.errors import unexpected
from alusta.errors import SourceTooComplex
from alusta.settings import Settings
from alusta.verify import SourceMissing

log = logging.getLogger("alusta.endpoint.worker")


def retryable(error: BaseException) -> bool:
    """Network errors, timeouts and 5xx may heal; 4xx and refusals will not."""
    if isinstance(error, TimeoutError):
        return True
    return bool(getattr(error, "retryable", False))


def retry_delays(error: BaseException, settings: Settings) -> tuple[float, ...]:
    """The waits before each new attempt after this failure; none when it is final."""
    if isinstance(error, SourceMissing):
        return settings.verify_not_found_delays_seconds
    return settings.verify_retry_delays_seconds if retryable(error) else ()


def log_final(source: str, error: BaseException, reason: str) -> None:
    """Log a final failure worth a maintainer's eye: a bug in full, a hostile page in a line."""
    if unexpected(error):
        log.error("worker: verifying %s failed", source, exc_info=error)
    elif isinstance(error, SourceTooComplex):
        log.warning("worker: %s not read: %s", source, reason)
