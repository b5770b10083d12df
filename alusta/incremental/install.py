"""Installing an incremental build's few new files into the output in place, with a journal.

An incremental build writes only the outputs it rendered (and the files Pelican and the
plugins write on every run) into its staging folder; every other file of the output in
place stays as it is. Linking 9,000 unchanged files into a fresh tree cost seconds of
folder and link system calls; renaming a few dozen new files into place costs nothing.

So that a failed or interrupted install leaves the old output, the build first writes a
journal (var/build-cache/install.json) naming every file it replaces, adds or removes, and
keeps each replaced or removed file as a hard link in a backup folder inside the staging
folder. Each file is replaced with one rename, so the web server reads the old or the new
file, never half of one. Once every file is in place the journal is removed: that is the
moment the new output counts as installed. An error rolls the files back at once; a
crash is rolled back by `recover` at the start of the next build.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from alusta.errors import BuildError
from alusta.files import atomic_write, output_files, remove_later
from alusta.incremental.fingerprint import BUILD_CACHE_FOLDER

JOURNAL_FILE = "install.json"  # in var/build-cache/
BACKUP_FOLDER = ".alusta-replaced"  # inside a staging folder: the files a patch replaced


@dataclass(frozen=True)
class Patch:
    """One site's incremental output: staged files to rename into `target`, files to drop.

    `removed` None: the staging folder holds the site's whole output (a full build of a
    pilot inside an incremental main site), so every other file of `target` goes.
    """

    target: Path
    staging: Path
    removed: tuple[str, ...] | None
    exclude: tuple[str, ...] = ()  # top folders other sites own (main's pilots/)


@dataclass(frozen=True)
class _Steps:
    """A patch resolved against the files in place: what the journal says and the install does."""

    target: str
    staging: str
    backup: str
    replaced: list[str]
    added: list[str]
    removed: list[str]


def journal_of(var_dir: Path) -> Path:
    """The builds' install journal: `build` and `deploy` roll back what it names first."""
    return var_dir / BUILD_CACHE_FOLDER / JOURNAL_FILE


def files_under(folder: Path | str, exclude: tuple[str, ...] = ()) -> list[str]:
    """Every file under `folder` as a '/'-separated path relative to it, outside `exclude`
    (top folders) and a patch's backup folder."""
    return [relative for relative, _ in output_files(folder, (*exclude, BACKUP_FOLDER))]


def install(patches: list[Patch], journal: Path, trash: Path) -> None:
    """Rename each patch's staged files into its target and drop its removed files; all or
    nothing (an error rolls back what was done; BuildError says which file). What is left of the
    staging folders (the replaced files among it) is deleted in the background (`trash`)."""
    steps = [_resolve(patch) for patch in patches]
    if not steps:
        return
    atomic_write(journal, json.dumps([asdict(s) for s in steps]))
    try:
        for step in steps:
            _apply(step)
    except BaseException as error:
        _roll_back_all(steps)
        journal.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BuildError(
                f"{error.filename}: the new file could not be put in place ({error.strerror})"
            ) from error
        raise
    journal.unlink()  # the new output is installed
    for step in steps:  # a pilot's staging folder may be inside the main site's, gone already
        remove_later(Path(step.staging), trash)


def carry_over(patch: Patch) -> None:
    """Make the patch's staging folder the site's whole output: hard-link into it each file
    of the output in place that the patch keeps (a pilot's, inside a main output built anew)."""
    dropped = set(patch.removed or ())
    staging = str(patch.staging)
    for name in files_under(patch.target, patch.exclude):
        if name not in dropped and not os.path.lexists(f"{staging}/{name}"):
            _folder_of(f"{staging}/{name}")
            os.link(f"{patch.target}/{name}", f"{staging}/{name}")


def recover(journal: Path) -> bool:
    """Put back the output an interrupted install was replacing; whether there was one."""
    try:
        steps = [_Steps(**s) for s in json.loads(journal.read_text(encoding="utf-8"))]
    except FileNotFoundError:
        return False
    _roll_back_all(steps)
    for step in steps:
        shutil.rmtree(step.staging, ignore_errors=True)
    journal.unlink()
    return True


def _resolve(patch: Patch) -> _Steps:
    staged = files_under(patch.staging, patch.exclude)
    target = str(patch.target)
    removed = patch.removed
    if removed is None:  # a whole output: every file in place goes (if there is one)
        removed = tuple(files_under(patch.target, patch.exclude)) if patch.target.is_dir() else ()
    replaced = sorted(n for n in staged if os.path.lexists(f"{target}/{n}"))
    placed = set(staged)
    return _Steps(
        target=target,
        staging=str(patch.staging),
        backup=str(patch.staging / BACKUP_FOLDER),
        replaced=replaced,
        added=sorted(placed.difference(replaced)),
        removed=[n for n in removed if n not in placed and os.path.lexists(f"{target}/{n}")],
    )


def _apply(step: _Steps) -> None:
    """Removals first: a new file may take the place of a folder the old output had."""
    target, staging, backup = step.target, step.staging, step.backup
    for name in step.removed:
        _folder_of(f"{backup}/{name}")
        _move(f"{target}/{name}", f"{backup}/{name}")
        _prune(target, name)
    for name in step.replaced:
        _folder_of(f"{backup}/{name}")
        os.link(f"{target}/{name}", f"{backup}/{name}")
        _move(f"{staging}/{name}", f"{target}/{name}")
    for name in step.added:
        _folder_of(f"{target}/{name}")
        _move(f"{staging}/{name}", f"{target}/{name}")


def _roll_back_all(steps: list[_Steps]) -> None:
    for step in reversed(steps):
        _roll_back(step)


def _roll_back(step: _Steps) -> None:
    """Undo `_apply` from any point it stopped at, in reverse; running it twice does no harm."""
    target, backup = step.target, step.backup
    for name in step.added:
        try:
            os.unlink(f"{target}/{name}")  # noqa: PTH108 - strings, as everywhere here
        except FileNotFoundError:
            continue
        _prune(target, name)
    for name in step.replaced:
        if os.path.lexists(f"{backup}/{name}"):
            _move(f"{backup}/{name}", f"{target}/{name}")
    for name in step.removed:
        if os.path.lexists(f"{backup}/{name}"):
            _folder_of(f"{target}/{name}")
            _move(f"{backup}/{name}", f"{target}/{name}")


def _move(source: str, target: str) -> None:
    """One rename: a reader of `target` sees the old file or the new one."""
    Path(source).replace(target)


def _folder_of(path: str) -> None:
    os.makedirs(path.rpartition("/")[0], exist_ok=True)  # noqa: PTH103 - strings


def _prune(target: str, name: str) -> None:
    """Remove the folders of `name` left empty, up to `target` (a full build makes none)."""
    parts = name.split("/")[:-1]
    while parts:
        try:
            os.rmdir(f"{target}/{'/'.join(parts)}")  # noqa: PTH106 - strings
        except OSError:  # not empty (or gone)
            return
        parts.pop()
