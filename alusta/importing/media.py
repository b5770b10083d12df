"""Bringing media files over: from a copy of `wp-content/uploads`, else from the old site.

Fetches go through alusta.http (address checks, redirects, size cap, one time budget);
an old site on a private address is reached only when ALUSTA_ALLOW_PRIVATE_ADDRESSES=1.
Every file is written into the staging folder; a file that cannot be had stops the
import before anything is moved in, naming the first ones missing.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path

from alusta.http import FetchError, fetch
from alusta.importing.errors import MediaUnavailable

MAX_MEDIA_BYTES = 50_000_000
MEDIA_TIMEOUT_SECONDS = 60.0
PARALLEL_FETCHES = 4
NAMED_MISSING = 5
OK = 200


@dataclass(frozen=True)
class MediaFile:
    relative: str  # below wp-content/uploads and below content/images
    url: str  # where the old site serves it
    fallback: str = ""  # a resized copy's relative path, used when the original is missing


def _inside(folder: Path, relative: str) -> Path | None:
    """folder/relative, None when `relative` would leave the folder (`../`)."""
    path = (folder / relative).resolve()
    return path if path.is_relative_to(folder.resolve()) else None


def _copy(uploads: Path, media: MediaFile, destination: Path) -> bool:
    for relative in (media.relative, media.fallback):
        source = _inside(uploads, relative) if relative else None
        if source is not None and source.is_file():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            return True
    return False


async def _download(media: MediaFile, destination: Path, allow_private: bool) -> str:
    """'' when written, else why not."""
    try:
        result = await fetch(
            media.url,
            allow_private=allow_private,
            max_bytes=MAX_MEDIA_BYTES,
            timeout_seconds=MEDIA_TIMEOUT_SECONDS,
        )
    except FetchError as error:
        return str(error)
    if result.status != OK:
        return f"{media.url} answered {result.status}"
    if result.truncated:
        return f"{media.url} is larger than {MAX_MEDIA_BYTES // 1_000_000} MB"
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(result.content)
    return ""


async def _download_all(wanted: list[tuple[MediaFile, Path]], allow_private: bool) -> list[str]:
    limit = asyncio.Semaphore(PARALLEL_FETCHES)

    async def one(media: MediaFile, destination: Path) -> str:
        async with limit:
            return await _download(media, destination, allow_private)

    results = await asyncio.gather(*(one(m, d) for m, d in wanted))
    return [why for why in results if why]


def stage_media(
    files: list[MediaFile], images: Path, *, uploads: Path | None, allow_private: bool
) -> None:
    """Copy or fetch each file into `images` (the staging folder's content/images)."""
    to_fetch = []
    for media in files:
        destination = _inside(images, media.relative)
        if destination is None:
            raise MediaUnavailable(
                f"{media.relative}: a media path may not leave the uploads folder"
            )
        if uploads is not None and _copy(uploads, media, destination):
            continue
        to_fetch.append((media, destination))
    problems = asyncio.run(_download_all(to_fetch, allow_private)) if to_fetch else []
    if problems:
        more = (
            f" (and {len(problems) - NAMED_MISSING} more)" if len(problems) > NAMED_MISSING else ""
        )
        where = f"not in {uploads} and " if uploads else ""
        raise MediaUnavailable(
            f"{len(problems)} media file(s) {where}not reachable: "
            + "; ".join(problems[:NAMED_MISSING])
            + more
            + ". Nothing was imported; give --uploads a copy of wp-content/uploads"
        )
