"""Avatars served from our own sites: fetched at build time, checked, cached, copied out.

A reader's browser never asks a sender's server for anything (privacy by design): the
build downloads each author photo once into var/avatars/, keeps it only when its first
bytes say it is a PNG, JPEG, GIF or WebP image under the size cap (never SVG, which can
carry script), and copies it into the site's output as /avatars/<hash>.<ext>. A missing or
broken photo gets a generated initials placeholder instead, and the failure is remembered
for a while so every build does not ask again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from alusta.files import atomic_copy, atomic_write
from alusta.images import ImageError, resize_square

log = logging.getLogger("alusta.responses")

MAX_AVATAR_BYTES = 512_000
# The largest avatar the theme shows is 48 px (partials/responses.html); twice that is sharp
# on high-density screens without sending a sender's full-size photo to every reader.
STORED_AVATAR_PX = 96
FETCH_TIMEOUT_SECONDS = 8.0
CONCURRENT_FETCHES = 8
FAILURE_RETRY_SECONDS = 24 * 3600
OUTPUT_FOLDER = "avatars"
NAME_CHARS = 24
IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
EXTENSIONS = ("png", "jpg", "gif", "webp")
# Placeholder backgrounds: each keeps white initials at 4.5:1 or more (WCAG 2.1, 1.4.3).
PLACEHOLDER_COLOURS = ("#0b5cad", "#6a3d9a", "#1b6b3a", "#a3351b", "#5c5c5c", "#8a2e6b")


def image_type(content: bytes) -> str | None:
    """The file extension for `content` by its magic bytes, None when not a raster image."""
    for signature, extension in IMAGE_SIGNATURES:
        if content.startswith(signature):
            return extension
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    return None


def avatar_name(photo_url: str) -> str:
    """The cache file stem of a photo URL (a hash: no sender-chosen text in our paths)."""
    return hashlib.sha256(photo_url.encode()).hexdigest()[:NAME_CHARS]


@dataclass(frozen=True)
class Placeholder:
    """Initials on a coloured square, drawn inline by the theme (no request at all)."""

    initials: str
    colour: str


def placeholder(name: str) -> Placeholder:
    """Up to two initials of `name` and a colour chosen from it ('?' when nameless)."""
    words = [w for w in name.split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    digest = hashlib.sha256(name.encode()).digest()[0]
    return Placeholder(
        initials=initials, colour=PLACEHOLDER_COLOURS[digest % len(PLACEHOLDER_COLOURS)]
    )


class AvatarCache:
    """Photos under `cache_dir` (var/avatars), published into a site's output on demand."""

    def __init__(self, cache_dir: Path, *, allow_private: bool = False) -> None:
        self.cache_dir = cache_dir
        self.allow_private = allow_private

    def cached(self, photo_url: str) -> Path | None:
        """The cached image of `photo_url`, if one was fetched and checked."""
        stem = avatar_name(photo_url)
        for extension in EXTENSIONS:
            path = self.cache_dir / f"{stem}.{extension}"
            if path.is_file():
                return path
        return None

    def _failed_recently(self, photo_url: str) -> bool:
        marker = self.cache_dir / f"{avatar_name(photo_url)}.failed"
        try:
            return time.time() - marker.stat().st_mtime < FAILURE_RETRY_SECONDS
        except FileNotFoundError:
            return False

    def fetch_missing(self, photo_urls: set[str]) -> None:
        """Download every photo not cached yet (bounded concurrency, one budget each)."""
        wanted = sorted(
            u for u in photo_urls if u and not self.cached(u) and not self._failed_recently(u)
        )
        if wanted:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            asyncio.run(self._fetch_all(wanted))

    async def _fetch_all(self, urls: list[str]) -> None:
        slots = asyncio.Semaphore(CONCURRENT_FETCHES)

        async def one(url: str) -> None:
            async with slots:
                await self._fetch_one(url)

        await asyncio.gather(*(one(url) for url in urls))

    async def _fetch_one(self, url: str) -> None:
        from alusta.http import FetchError, fetch  # noqa: PLC0415 - only when a photo is new

        stem = avatar_name(url)
        try:
            result = await fetch(
                url,
                allow_private=self.allow_private,
                max_bytes=MAX_AVATAR_BYTES,
                timeout_seconds=FETCH_TIMEOUT_SECONDS,
            )
            problem = _problem(result.status, result.truncated, result.content)
            content = b"" if problem else resize_square(result.content, STORED_AVATAR_PX)
        except (FetchError, ImageError) as error:
            problem = str(error)
        if problem:
            log.warning("mentions: avatar %s not used: %s", url, problem)
            (self.cache_dir / f"{stem}.failed").write_text(problem[:500], encoding="utf-8")
            return
        atomic_write(self.cache_dir / f"{stem}.{image_type(content)}", content)

    def publish(self, photo_url: str, output_dir: Path) -> str | None:
        """Copy the cached photo into `output_dir/avatars/`; its path there, None if none."""
        cached = self.cached(photo_url) if photo_url else None
        if cached is None:
            return None
        relative = f"{OUTPUT_FOLDER}/{cached.name}"
        destination = output_dir / relative
        if not destination.is_file() or destination.stat().st_size != cached.stat().st_size:
            atomic_copy(cached, destination)
        return relative


def _problem(status: int, truncated: bool, content: bytes) -> str:
    """Why a fetched photo cannot be used, or "" when it can."""
    if status != 200:
        return f"HTTP {status}"
    if truncated:
        return f"larger than {MAX_AVATAR_BYTES} bytes"
    if image_type(content) is None:
        return "not a PNG, JPEG, GIF or WebP image"
    return ""
