"""One table from library exceptions to what a sender is told.

Webmention senders get an HTTP status with the exception's one-sentence reason; Pingback
clients get an XML-RPC fault with the code the Pingback 1.0 specification assigns
("Error codes"). Anything not in the table is a bug: 500 / fault 0 with a generic reason,
never a traceback. The worker records the same reasons for what it verified later.
"""

from __future__ import annotations

from dataclasses import dataclass

from alusta import pingback
from alusta.endpoint.targets import (
    InvalidSource,
    InvalidTarget,
    NotOurSite,
    SameURL,
    UnknownPage,
)
from alusta.errors import SourceTooComplex
from alusta.http import AddressRefused, FetchError
from alusta.pingback import AlreadyRegistered, Fault
from alusta.verify import NoLinkToTarget, SourceGone, SourceNotFound, UpstreamError
from alusta.web.refusals import UNKNOWN_REASON, Describe, Refusal


@dataclass(frozen=True)
class Answer:
    status: int  # HTTP status for a Webmention sender
    fault: int  # Pingback fault code


ERRORS: dict[type[Exception], Answer] = {
    InvalidSource: Answer(400, pingback.SOURCE_NOT_FOUND),
    InvalidTarget: Answer(400, pingback.TARGET_UNUSABLE),
    SameURL: Answer(400, pingback.TARGET_UNUSABLE),
    NotOurSite: Answer(400, pingback.TARGET_UNUSABLE),
    UnknownPage: Answer(400, pingback.TARGET_NOT_FOUND),
    AlreadyRegistered: Answer(400, pingback.ALREADY_REGISTERED),
    SourceGone: Answer(400, pingback.SOURCE_NOT_FOUND),
    SourceNotFound: Answer(400, pingback.SOURCE_NOT_FOUND),
    NoLinkToTarget: Answer(400, pingback.NO_LINK),
    SourceTooComplex: Answer(400, pingback.GENERIC_FAULT),
    AddressRefused: Answer(400, pingback.ACCESS_DENIED),
    UpstreamError: Answer(502, pingback.UPSTREAM_ERROR),
    FetchError: Answer(502, pingback.UPSTREAM_ERROR),
    TimeoutError: Answer(504, pingback.UPSTREAM_ERROR),
    Fault: Answer(400, pingback.GENERIC_FAULT),  # its own code: see fault_code
}
UNKNOWN = Answer(500, pingback.GENERIC_FAULT)


def answer_for(error: BaseException) -> Answer:
    """The answer for an exception: the entry of its nearest class in ERRORS."""
    for cls in type(error).__mro__:
        if cls in ERRORS:
            return ERRORS[cls]
    return UNKNOWN


def unexpected(error: BaseException) -> bool:
    """True for an exception no table entry covers: a bug, to be logged in full."""
    return answer_for(error) is UNKNOWN


def reason_for(error: BaseException) -> str:
    """The reason a sender may read: the library's own sentence, never internals."""
    if unexpected(error):
        return UNKNOWN_REASON
    if isinstance(error, TimeoutError):
        return "verification took too long"
    return str(error) or (type(error).__doc__ or "").strip()


def fault_code(error: BaseException) -> int:
    """The Pingback fault code for an exception."""
    return error.code if isinstance(error, Fault) else answer_for(error).fault


def refusal(error: Exception) -> Refusal:
    """The refusal for a mentions route; the code names the check that failed."""
    return Refusal(answer_for(error).status, type(error).__name__, reason_for(error))


REFUSALS: dict[type[Exception], Describe] = dict.fromkeys(ERRORS, refusal)
