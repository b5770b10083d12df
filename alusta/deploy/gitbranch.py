"""Deploy to a git branch for Pages-style hosting: commit the output and push it.

The branch is cloned shallowly into a temporary folder, brought in line with the output
there (the folder backend, so the plan and its order are the same as everywhere), then
committed and pushed in one push: the host switches from the old tree to the new at once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from alusta.deploy.folder import FolderBackend
from alusta.deploy.plan import DeployError, LocalFile, Plan, Progress, Scope

GIT = "git"
GIT_DIR_PREFIX = ".git/"
FALLBACK_AUTHOR = ("Alusta deploy", "deploy@alusta.invalid")


def git(*args: str, cwd: Path | None = None) -> str:
    """Run git without prompts; a failure becomes a DeployError with git's own words."""
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            [GIT, *args], cwd=cwd, env=environment, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as error:
        raise DeployError("the git program is not installed") from error
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise DeployError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout.strip()


def resolve_remote(remote: str, project_root: Path) -> str:
    """A remote name of the project's own repository stands for that remote's URL."""
    if "/" in remote or ":" in remote:
        return remote
    try:
        return git("remote", "get-url", remote, cwd=project_root)
    except DeployError:
        return remote


class GitBackend:
    """A branch of a remote repository, worked on in a temporary shallow clone."""

    def __init__(self, remote: str, branch: str, *, project_root: Path) -> None:
        self.remote, self.branch = resolve_remote(remote, project_root), branch
        self.workdir = Path(tempfile.mkdtemp(prefix="alusta-git-"))
        self.folder = FolderBackend(self.workdir)
        self._checkout()

    def _checkout(self) -> None:
        heads = git("ls-remote", "--heads", self.remote, f"refs/heads/{self.branch}")
        if heads:
            git(
                "clone",
                "--quiet",
                "--depth",
                "1",
                "--single-branch",
                "--branch",
                self.branch,
                self.remote,
                str(self.workdir),
            )
        else:
            git("init", "--quiet", str(self.workdir))
            git("checkout", "--quiet", "--orphan", self.branch, cwd=self.workdir)

    def plan(
        self, local: Mapping[str, LocalFile], scope: Scope, *, only: frozenset[str] | None = None
    ) -> Plan:
        scope = replace(scope, protect=(*scope.protect, GIT_DIR_PREFIX))
        return self.folder.plan(local, scope, only=only)

    def _commit(self, message: str) -> bool:
        git("add", "--all", cwd=self.workdir)
        if not git("status", "--porcelain", cwd=self.workdir):
            return False
        identity: list[str] = []
        if not git("config", "--default", "", "--get", "user.email", cwd=self.workdir):
            name, email = FALLBACK_AUTHOR
            identity = ["-c", f"user.name={name}", "-c", f"user.email={email}"]
        git(*identity, "commit", "--quiet", "-m", message, cwd=self.workdir)
        return True

    def apply(self, plan: Plan, scope: Scope, progress: Progress | None) -> None:
        self.folder.apply(plan, scope, progress)
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if self._commit(f"Deploy {stamp}"):
            git("push", "--quiet", self.remote, f"HEAD:refs/heads/{self.branch}", cwd=self.workdir)

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)
