"""The error tree: every library error is an AlustaError with a one-sentence reason.

The CLI turns these into click errors and the endpoint maps them to status codes in one
table; nothing below the edges formats output for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file a person edits, already worded for them."""

    path: Path
    line: int  # 1-based; 0 when the problem concerns the file as a whole
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class AlustaError(Exception):
    """Base of every error Alusta raises on purpose."""


class ConfigError(AlustaError):
    """pelicanconf.py, a pilot.toml or an environment setting is wrong."""


class ContentError(AlustaError):
    """One or more content files are invalid; `problems` lists each with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        listed = "\n".join(str(p) for p in problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in content:\n{listed}")


class BuildError(AlustaError):
    """Pelican failed to build a site."""


class SourceTooComplex(AlustaError):
    """Reading a source would cost more CPU or time than one source may: final, not retried
    (alusta.reader_pool, alusta.microformats)."""


class FetchError(AlustaError):
    """An outbound fetch failed; `retryable` says whether trying again later may help."""

    retryable: bool = False


class BadURL(FetchError):
    """The URL is not an http(s) URL with a host and without credentials."""


class AddressRefused(FetchError):
    """The host resolves to a loopback, private or otherwise non-public address."""


class FetchTimeout(FetchError):
    """The fetch did not finish within its time budget."""

    retryable = True


class NetworkError(FetchError):
    """DNS, connection or protocol failure on the way to the server."""

    retryable = True


class TooManyRedirects(FetchError):
    """The redirect chain is longer than allowed."""
