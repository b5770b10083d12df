"""One table from library exceptions to what a sender is told.

Webmention senders get an HTTP status with the exception's one-sentence reason; Pingback
clients get an XML-RPC fault with the code the Pingback 1.0 specification assigns
("Error codes"). Anything not in the table is a bug: 500 / fault 0 with a generic reason,
never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from alusta.endpoint.targets import (
    InvalidSource,
    InvalidTarget,
    NotOurSite,
    SameURL,
    UnknownPage,
)
from alusta.errors import AlustaError
from alusta.http import AddressRefused, FetchError
from alusta.verify import NoLinkToTarget, SourceGone, SourceNotFound, UpstreamError

SOURCE_NOT_FOUND = 0x10
NO_LINK = 0x11
TARGET_NOT_FOUND = 0x20
TARGET_UNUSABLE = 0x21
ALREADY_REGISTERED = 0x30
ACCESS_DENIED = 0x31
UPSTREAM_ERROR = 0x32


class AlreadyRegistered(AlustaError):
    """The pingback has already been registered."""


@dataclass(frozen=True)
class Answer:
    status: int  # HTTP status for a Webmention sender
    fault: int  # Pingback fault code


ERRORS: dict[type[BaseException], Answer] = {
    InvalidSource: Answer(400, SOURCE_NOT_FOUND),
    InvalidTarget: Answer(400, TARGET_UNUSABLE),
    SameURL: Answer(400, TARGET_UNUSABLE),
    NotOurSite: Answer(400, TARGET_UNUSABLE),
    UnknownPage: Answer(400, TARGET_NOT_FOUND),
    AlreadyRegistered: Answer(400, ALREADY_REGISTERED),
    SourceGone: Answer(400, SOURCE_NOT_FOUND),
    SourceNotFound: Answer(400, SOURCE_NOT_FOUND),
    NoLinkToTarget: Answer(400, NO_LINK),
    AddressRefused: Answer(400, ACCESS_DENIED),
    UpstreamError: Answer(502, UPSTREAM_ERROR),
    FetchError: Answer(502, UPSTREAM_ERROR),
    TimeoutError: Answer(504, UPSTREAM_ERROR),
}
UNKNOWN = Answer(500, 0)
UNKNOWN_REASON = "internal error"


def answer_for(error: BaseException) -> Answer:
    """The answer for an exception: the entry of its nearest class in ERRORS."""
    for cls in type(error).__mro__:
        if cls in ERRORS:
            return ERRORS[cls]
    return UNKNOWN


def reason_for(error: BaseException) -> str:
    """The reason a sender may read: the library's own sentence, never internals."""
    if answer_for(error) is UNKNOWN:
        return UNKNOWN_REASON
    if isinstance(error, TimeoutError):
        return "verification took too long"
    return str(error) or (type(error).__doc__ or "").strip()
