"""Deploy with the `rsync` program, to a local path or over SSH (`user@host:path`).

rsync itself decides what changed (by checksum: every build rewrites every file, so
modification times say nothing) and writes each file under a temporary name before
renaming it. The plan comes from a dry run; it is then applied in three passes, assets,
pages, deletions, each limited to the plan's own file list.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from alusta.deploy.plan import DeployError, LocalFile, Plan, Progress, Scope, Step, is_page

RSYNC = "rsync"
BASE_OPTIONS = (
    "--recursive",
    "--links",
    "--times",
    "--checksum",
    "--perms",
    "--chmod=D755,F644",
    "--out-format=%i|%l|%n",
)
ERROR_TAIL_LINES = 5


def scope_filters(scope: Scope) -> list[str]:
    """rsync filter rules so that a run touches only what `scope` owns."""
    rules = [f"--exclude=/{prefix}" for prefix in scope.protect]
    if scope.include == ("",):
        return rules
    for prefix in scope.include:
        parts = prefix.strip("/").split("/")
        rules += [f"--include=/{'/'.join(parts[:n])}/" for n in range(1, len(parts))]
        rules.append(f"--include=/{prefix}***")
    return [*rules, "--exclude=*"]


def parse_line(line: str) -> tuple[str, str, int] | None:
    """('upload' | 'delete', key, size) for a file line of --out-format, else None."""
    code, _, rest = line.rstrip("\n").partition("|")
    size, _, key = rest.partition("|")
    if not key or key.endswith("/"):
        return None
    if code.startswith("*deleting"):
        return ("delete", key, 0)
    if code[:2] in {">f", "<f"}:
        return ("upload", key, int(size or 0))
    return None


class RsyncBackend:
    """An rsync destination: a local path or `[user@]host:path`."""

    def __init__(self, source: Path, dest: str, *, remote: bool) -> None:
        self.source, self.dest, self.remote = source, dest, remote

    def _run(self, options: Iterable[str]) -> Iterator[str]:
        if not self.remote:
            Path(self.dest).mkdir(parents=True, exist_ok=True)
        command = [RSYNC, *BASE_OPTIONS, *options, f"{self.source}/", f"{self.dest.rstrip('/')}/"]
        with tempfile.TemporaryFile("w+") as errors:
            try:
                process = subprocess.Popen(
                    command, stdout=subprocess.PIPE, stderr=errors, text=True
                )
            except FileNotFoundError as error:
                raise DeployError("the rsync program is not installed") from error
            assert process.stdout is not None
            yield from process.stdout
            if process.wait() != 0:
                errors.seek(0)
                tail = " ".join(errors.read().strip().splitlines()[-ERROR_TAIL_LINES:])
                raise DeployError(f"rsync to {self.dest} failed ({process.returncode}): {tail}")

    def _list_options(self, keys: Iterable[str], folder: Path, name: str) -> list[str]:
        path = folder / name
        path.write_text("".join(f"{key}\n" for key in keys), encoding="utf-8")
        return [f"--files-from={path}"]

    def plan(
        self, local: Mapping[str, LocalFile], scope: Scope, *, only: frozenset[str] | None = None
    ) -> Plan:
        with tempfile.TemporaryDirectory() as folder:
            if only is None:
                options = ["--delete", *scope_filters(scope)]
            else:
                keys = sorted(k for k in only if scope.owns(k))
                options = ["--delete-missing-args", *self._list_options(keys, Path(folder), "only")]
            lines = list(self._run(["--dry-run", *options]))
        parsed = [p for p in map(parse_line, lines) if p]
        uploads = [
            Step(key, size, self.source / key) for kind, key, size in parsed if kind == "upload"
        ]
        return Plan(
            assets=tuple(s for s in uploads if not is_page(s.key)),
            pages=tuple(s for s in uploads if is_page(s.key)),
            deletions=tuple(Step(key) for kind, key, _ in parsed if kind == "delete"),
            unchanged=len(local) - len(uploads),
        )

    def apply(self, plan: Plan, scope: Scope, progress: Progress | None) -> None:
        steps = {step.key: step for step in plan.steps()}
        with tempfile.TemporaryDirectory() as folder:
            passes = [
                self._list_options([s.key for s in plan.assets], Path(folder), "assets"),
                self._list_options([s.key for s in plan.pages], Path(folder), "pages"),
            ]
            if plan.deletions and plan.partial:
                keys = [s.key for s in plan.deletions]
                passes.append(
                    ["--delete-missing-args", *self._list_options(keys, Path(folder), "deletions")]
                )
            elif plan.deletions:
                passes.append(["--delete", *scope_filters(scope)])
            for number, options in enumerate(passes):
                if number < 2 and not (plan.pages if number else plan.assets):
                    continue
                for line in self._run(options):
                    parsed = parse_line(line)
                    if progress and parsed and parsed[1] in steps:
                        progress.advance(steps[parsed[1]])

    def close(self) -> None:
        """Nothing to clean up; present so every backend closes the same way."""
