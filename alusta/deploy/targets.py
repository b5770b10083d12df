"""Deploy targets as written on the command line or in a site's config.

`PATH` (a local folder), `rsync:DEST` (anything rsync takes, `user@host:path` for SSH),
`s3://BUCKET[/PREFIX]` (optionally with an endpoint URL for S3-compatible providers) and
`git:REMOTE[#BRANCH]` (a branch for Pages-style hosting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from alusta.deploy.plan import DeployError

DEFAULT_GIT_BRANCH = "gh-pages"
BUCKET_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
BRANCH_PATTERN = re.compile(r"^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$")


class TargetKind(StrEnum):
    FOLDER = "folder"
    RSYNC = "rsync"
    S3 = "s3"
    GIT = "git"


@dataclass(frozen=True)
class Target:
    """Where one deploy goes; `location` is a folder, an rsync DEST, a bucket or a remote."""

    kind: TargetKind
    location: str
    prefix: str = ""
    branch: str = ""
    endpoint_url: str = ""

    def __str__(self) -> str:
        if self.kind is TargetKind.FOLDER:
            return self.location
        if self.kind is TargetKind.RSYNC:
            return f"rsync:{self.location}"
        if self.kind is TargetKind.S3:
            return f"s3://{self.location}/{self.prefix}".rstrip("/")
        return f"git:{self.location}#{self.branch}"


def _is_remote_rsync(dest: str) -> bool:
    """rsync reads `host:path` and `rsync://` as remote; everything else is a local path."""
    return dest.startswith("rsync://") or bool(re.match(r"^[^/]*:", dest))


def _folder(text: str, base: Path) -> Target:
    return Target(TargetKind.FOLDER, str((base / Path(text).expanduser()).resolve()))


def _rsync(dest: str, base: Path) -> Target:
    if not dest:
        raise DeployError("rsync target needs a destination, e.g. rsync:user@host:/srv/www")
    if not _is_remote_rsync(dest):
        dest = str((base / Path(dest).expanduser()).resolve())
    return Target(TargetKind.RSYNC, dest)


def _s3(rest: str, endpoint_url: str) -> Target:
    bucket, _, prefix = rest.partition("/")
    if not BUCKET_PATTERN.match(bucket):
        raise DeployError(f"s3://{rest}: {bucket!r} is not a valid bucket name")
    if endpoint_url and not endpoint_url.startswith(("http://", "https://")):
        raise DeployError(f"endpoint URL {endpoint_url!r} must start with https://")
    return Target(TargetKind.S3, bucket, prefix=prefix.strip("/"), endpoint_url=endpoint_url)


def _git(rest: str, base: Path) -> Target:
    remote, _, branch = rest.partition("#")
    branch = branch or DEFAULT_GIT_BRANCH
    if not remote:
        raise DeployError("git target needs a remote, e.g. git:git@example.org:me/site.git")
    if not BRANCH_PATTERN.match(branch):
        raise DeployError(f"git:{rest}: {branch!r} is not a valid branch name")
    local = base / Path(remote).expanduser()
    if "://" not in remote and ":" not in remote and local.exists():
        remote = str(local.resolve())
    return Target(TargetKind.GIT, remote, branch=branch)


def parse_target(text: str, *, base: Path | None = None, endpoint_url: str = "") -> Target:
    """The Target written as `text`; relative paths are taken from `base` (default cwd)."""
    text = text.strip()
    base = base or Path.cwd()
    if not text:
        raise DeployError("the deploy target is empty")
    if endpoint_url and not text.startswith("s3://"):
        raise DeployError(f"--endpoint-url only applies to s3:// targets, not {text!r}")
    if text.startswith("s3://"):
        return _s3(text.removeprefix("s3://"), endpoint_url)
    if text.startswith("rsync:"):
        return _rsync(text.removeprefix("rsync:"), base)
    if text.startswith("git:"):
        return _git(text.removeprefix("git:"), base)
    if re.match(r"^[a-z][a-z0-9+.-]*://", text):
        raise DeployError(f"{text!r}: unknown target kind (use PATH, rsync:, s3:// or git:)")
    return _folder(text, base)
