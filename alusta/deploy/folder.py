"""Deploy into a local folder (also the worktree behind the git target).

Each file is written under a temporary name and renamed into place, so a deploy killed
halfway leaves every file either old or new, never half-written.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Mapping
from pathlib import Path

from alusta.deploy.plan import (
    DeployError,
    LocalFile,
    Plan,
    Progress,
    Scope,
    file_digest,
    local_tree,
    make_plan,
)
from alusta.files import replacing

PART_SUFFIX = ".alusta-part"


def same_file(local: LocalFile, remote: LocalFile) -> bool:
    return local.size == remote.size and file_digest(local.path) == file_digest(remote.path)


def copy_atomic(source: Path, destination: Path) -> None:
    """Copy `source` over `destination` so readers see the old file or the new, whole."""
    with replacing(destination, suffix=PART_SUFFIX) as temporary:
        shutil.copyfile(source, temporary)
        temporary.chmod(0o644)


def prune_empty_folders(root: Path, start: Path) -> None:
    """Remove `start` and its parents while they are empty, stopping at `root`."""
    folder = start
    while folder != root and root in folder.parents:
        with contextlib.suppress(OSError):
            folder.rmdir()
        if folder.exists():
            return
        folder = folder.parent


class FolderBackend:
    """A folder on this machine, written file by file in plan order."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def plan(
        self, local: Mapping[str, LocalFile], scope: Scope, *, only: frozenset[str] | None = None
    ) -> Plan:
        if self.root.exists() and not self.root.is_dir():
            raise DeployError(f"{self.root}: the deploy target exists and is not a folder")
        remote = local_tree(self.root, scope, only=only) if self.root.is_dir() else {}
        return make_plan(local, remote, same_file)

    def apply(self, plan: Plan, scope: Scope, progress: Progress | None) -> None:
        del scope  # the plan is already scoped
        self.root.mkdir(parents=True, exist_ok=True)
        for step in plan.uploads:
            assert step.path is not None
            copy_atomic(step.path, self.root / step.key)
            if progress:
                progress.advance(step)
        for step in plan.deletions:
            path = self.root / step.key
            path.unlink(missing_ok=True)
            prune_empty_folders(self.root, path.parent)
            if progress:
                progress.advance(step)

    def close(self) -> None:
        """Nothing to clean up; present so every backend closes the same way."""
