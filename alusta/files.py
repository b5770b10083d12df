"""Replacing a file so that a reader sees the old one or the new one, never half of one.

The web server reads pages while `refresh` rewrites them, the endpoint reads the page
index while a build writes it, and a deploy or a backup may be interrupted at any byte:
each writes beside the target and renames over it (POSIX rename is atomic within one
folder). The temporary name is unique per writer, so two writers never share one.
Also: listing a whole output's files quickly, and deleting a replaced one in the background.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REMOVE_TREE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


@contextmanager
def replacing(target: Path, *, suffix: str = ".tmp") -> Iterator[Path]:
    """A fresh path beside `target` to write; renamed over `target` if the block succeeds.

    The path does not exist yet, so the writer creates it with the usual permissions;
    on any error it is removed and `target` is left as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    temporary.unlink()
    try:
        yield temporary
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)


def atomic_write(target: Path, content: bytes | str) -> None:
    """Replace `target` with `content` (text is written as UTF-8)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with replacing(target) as temporary:
        temporary.write_bytes(data)


def atomic_copy(source: Path, target: Path, *, suffix: str = ".tmp") -> None:
    """Replace `target` with a copy of `source`."""
    with replacing(target, suffix=suffix) as temporary:
        shutil.copyfile(source, temporary)


def remove_later(folder: Path, trash: Path) -> None:
    """Move `folder` into `trash` and delete it there in a process of its own.

    A replaced output holds thousands of files, which take seconds to delete on a busy disk;
    the build is done once the new output is in place. Left in `trash`, it harms nothing.
    """
    if not folder.exists():
        return
    trash.mkdir(parents=True, exist_ok=True)
    target = trash / folder.name
    try:
        folder.rename(target)
    except OSError:  # another file system: delete it here
        shutil.rmtree(folder, ignore_errors=True)
        return
    subprocess.Popen(
        [sys.executable, "-c", REMOVE_TREE, str(target)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def output_files(output: Path | str, exclude: tuple[str, ...]) -> list[tuple[str, os.DirEntry]]:
    """(path relative to `output`, its directory entry) of every file under `output`, outside
    the excluded top folders, in no particular order (a build's output, a staging folder).

    Strings and scandir: Path objects cost more than the listing itself at 9,000 files.
    """
    found: list[tuple[str, os.DirEntry]] = []
    folders = [(str(output), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = f"{prefix}{entry.name}"
                if not entry.is_dir(follow_symlinks=False):
                    found.append((relative, entry))
                elif prefix or relative not in exclude:
                    folders.append((entry.path, f"{relative}/"))
    return found
