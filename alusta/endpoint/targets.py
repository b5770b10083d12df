"""The synchronous checks of a Webmention or Pingback request (Webmention 3.2.1).

Before anything is stored: both URLs are absolute http(s), they differ, the target is on one
of our sites and is a page of the last build (the build record, var/build.json). Each failure
is its own exception so the error table can give a 400 to Webmention senders and the right
fault code to Pingback clients.
"""

from __future__ import annotations

import time
from pathlib import Path

from alusta.build_record import BuildRecord, load_record, record_path
from alusta.errors import AlustaError
from alusta.models import MentionRequest
from alusta.settings import Settings
from alusta.urls import NotHttpURL, normalize_url

MAX_URL_LENGTH = 2048
RECORD_CHECK_SECONDS = 1.0  # a new build is noticed within this time


class RequestRejected(AlustaError):
    """A request failed a synchronous check; the message is the short reason sent back."""


class InvalidSource(RequestRejected):
    """source is missing or not an absolute http(s) URL."""


class InvalidTarget(RequestRejected):
    """target is missing or not an absolute http(s) URL."""


class SameURL(RequestRejected):
    """source and target are the same page."""


class NotOurSite(RequestRejected):
    """target is not on any of our sites."""


class UnknownPage(RequestRejected):
    """target is on our site but is not a page of the last build."""


def url_key(value: str | None, field: str) -> tuple[str, str]:
    """(the URL, its normalize_url key) when it is an absolute http(s) URL of sane length."""
    error = InvalidSource if field == "source" else InvalidTarget
    if not value:
        raise error(f"{field} is missing")
    if len(value) > MAX_URL_LENGTH:
        raise error(f"{field} is longer than {MAX_URL_LENGTH} characters")
    value = value.strip()
    try:
        return value, normalize_url(value)
    except NotHttpURL as problem:
        raise error(f"{field} is not an absolute http or https URL") from problem


class Pages:
    """The pages of the last build, re-read when a new build rewrites its record."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._path: Path = record_path(settings.var_dir)
        self._stamp: tuple[int, int] | None = None
        self._checked_at = float("-inf")
        self._record = BuildRecord()

    def refresh(self) -> None:
        """Re-read the build record if it changed (looked at most once per RECORD_CHECK)."""
        now = time.monotonic()
        if now - self._checked_at < RECORD_CHECK_SECONDS:
            return
        self._checked_at = now
        try:
            stat = self._path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp and self._record.sites:
            return
        self._record = load_record(self._settings.var_dir)
        _ = self._record.pages_by_key  # computed here, once per build, not in a request
        self._stamp = stamp

    def site_for(self, key: str) -> str | None:
        """The site whose base URL a normalised URL lies under (the longest base wins)."""
        return self._record.site_for_key(key)

    def check(self, source: str | None, target: str | None, *, protocol: str) -> MentionRequest:
        """A request that passed every synchronous check, or the first check it failed."""
        source, source_key = url_key(source, "source")
        target, target_key = url_key(target, "target")
        target = target.partition("#")[0]  # a fragment is a place in the page, not a page
        if source_key == target_key:
            raise SameURL("source and target are the same URL")
        self.refresh()
        site = self.site_for(target_key)
        if site is None:
            raise NotOurSite("target is not on one of our sites")
        if target_key not in self._record.pages_by_key:
            raise UnknownPage("target is not a page of our sites")
        return MentionRequest(source=source, target=target, site=site, protocol=protocol)
