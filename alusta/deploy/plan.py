"""The ordered plan of one deploy: what to upload, what to delete, and in which order.

Visitors must never get a page whose stylesheet or images are not there yet, so every
target applies a plan the same way: assets first, then HTML pages and feeds, then
deletions. A file counts as changed by its checksum, never by its modification time,
because every build rewrites every file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from alusta.errors import AlustaError

PAGE_SUFFIXES = (".html", ".htm", ".xml", ".atom", ".rss")
HASH_CHUNK_BYTES = 1 << 20

Remote = TypeVar("Remote")


class DeployError(AlustaError):
    """A deploy target refused the files or could not be reached."""


def is_page(key: str) -> bool:
    """HTML pages and feeds link to assets, so they go out after them."""
    return key.lower().endswith(PAGE_SUFFIXES)


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """The hex digest of one file, read in chunks."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, algorithm).hexdigest()


@dataclass(frozen=True)
class Scope:
    """Which keys of a target one deploy owns: others' areas are never touched."""

    include: tuple[str, ...] = ("",)
    protect: tuple[str, ...] = ()

    def owns(self, key: str) -> bool:
        inside = any(key.startswith(prefix) for prefix in self.include)
        return inside and not any(key.startswith(prefix) for prefix in self.protect)


@dataclass(frozen=True)
class LocalFile:
    """One built file: its key (the path under the target) and where it lies."""

    key: str
    path: Path
    size: int


def local_tree(
    folder: Path, scope: Scope, *, only: frozenset[str] | None = None
) -> dict[str, LocalFile]:
    """Every built file under `folder` that `scope` owns, keyed by its posix path."""
    tree: dict[str, LocalFile] = {}
    for directory, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(directory, name)
            key = path.relative_to(folder).as_posix()
            if scope.owns(key) and (only is None or key in only):
                tree[key] = LocalFile(key=key, path=path, size=path.stat().st_size)
    return tree


@dataclass(frozen=True)
class Step:
    """One upload (with the local path) or one deletion (without)."""

    key: str
    size: int = 0
    path: Path | None = None


@dataclass(frozen=True)
class Plan:
    """The changes for one target, already in the order they must happen."""

    assets: tuple[Step, ...] = ()
    pages: tuple[Step, ...] = ()
    deletions: tuple[Step, ...] = ()
    unchanged: int = 0
    partial: bool = False  # planned for a few named files, not the whole scope

    @property
    def uploads(self) -> tuple[Step, ...]:
        return self.assets + self.pages

    @property
    def upload_bytes(self) -> int:
        return sum(step.size for step in self.uploads)

    def steps(self) -> Iterator[Step]:
        yield from self.uploads
        yield from self.deletions

    def __bool__(self) -> bool:
        return bool(self.assets or self.pages or self.deletions)


def make_plan(
    local: Mapping[str, LocalFile],
    remote: Mapping[str, Remote],
    same: Callable[[LocalFile, Remote], bool],
) -> Plan:
    """Compare the built files with what the target holds (both already scoped)."""
    uploads = [
        Step(key=f.key, size=f.size, path=f.path)
        for key, f in sorted(local.items())
        if key not in remote or not same(f, remote[key])
    ]
    deletions = tuple(Step(key=key) for key in sorted(remote) if key not in local)
    return Plan(
        assets=tuple(s for s in uploads if not is_page(s.key)),
        pages=tuple(s for s in uploads if is_page(s.key)),
        deletions=deletions,
        unchanged=len(local) - len(uploads),
    )


@dataclass(frozen=True)
class DeploySummary:
    """What a deploy did (or, in a dry run, would do)."""

    uploaded: int = 0
    unchanged: int = 0
    deleted: int = 0
    bytes: int = 0
    targets: tuple[str, ...] = field(default=())

    @classmethod
    def of(cls, plan: Plan, label: str = "") -> DeploySummary:
        return cls(
            uploaded=len(plan.uploads),
            unchanged=plan.unchanged,
            deleted=len(plan.deletions),
            bytes=plan.upload_bytes,
            targets=(label,) if label else (),
        )

    def __add__(self, other: DeploySummary) -> DeploySummary:
        return DeploySummary(
            uploaded=self.uploaded + other.uploaded,
            unchanged=self.unchanged + other.unchanged,
            deleted=self.deleted + other.deleted,
            bytes=self.bytes + other.bytes,
            targets=self.targets + other.targets,
        )


class Progress(Protocol):
    """Told about each target's plan before it runs and about each step as it is done."""

    def begin(self, label: str, plan: Plan) -> None: ...

    def advance(self, step: Step) -> None: ...


class Backend(Protocol):
    """One kind of target: it plans against what it holds and applies plans in order."""

    def plan(
        self, local: Mapping[str, LocalFile], scope: Scope, *, only: frozenset[str] | None = None
    ) -> Plan: ...

    def apply(self, plan: Plan, scope: Scope, progress: Progress | None) -> None: ...

    def close(self) -> None: ...
