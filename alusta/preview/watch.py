"""The preview loop: wait for saved files, rebuild what they affect, tell the tabs.

watchfiles (a Rust watcher) batches the events of one save; the loop runs on its own thread
so the server keeps answering while a build runs. Content is checked before anything is
written, so a broken file leaves the last good pages served and shows its problems in the
terminal and over the page in the browser.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

from alusta.db import create_or_migrate
from alusta.errors import AlustaError, ContentError
from alusta.preview.changes import Change, classify, relevant, watched_paths
from alusta.preview.events import PreviewEvents
from alusta.preview.worker import PreviewBuilder
from alusta.settings import Settings

DEBOUNCE_MS = 50
STEP_MS = 20


class Preview:
    """The builder, the tabs' events and the terminal, tied together for one serve."""

    def __init__(
        self,
        load: Callable[[], Settings],
        events: PreviewEvents,
        echo: Callable[[str], None],
    ) -> None:
        self.load, self.events, self.echo = load, events, echo
        self.builder = PreviewBuilder(load())

    @property
    def settings(self) -> Settings:
        return self.builder.settings

    def start(self) -> bool:
        """The first build of every site into an emptied preview folder."""
        names = [site.name for site in self.settings.sites]
        create_or_migrate(self.settings.database_path)  # the site builds only read it
        return self.rebuild(names, render_all=True, fresh=True)

    def rebuild(
        self,
        names: list[str],
        *,
        render_all: bool = False,
        fresh: bool = False,
        changed: list[Path] | None = None,
    ) -> bool:
        """Build `names` after `changed` files were saved; True when the tabs were told."""
        started = time.perf_counter()
        try:
            if fresh:  # an emptied folder: nothing left from an earlier serve
                self.builder.validate(names)
                shutil.rmtree(self.settings.output_dir, ignore_errors=True)
            runs = self.builder.build(names, render_all=render_all, changed=changed or [])
        except ContentError as error:
            return self._failed("\n".join(str(p) for p in error.problems))
        except AlustaError as error:
            return self._failed(str(error))
        for warning in (w for run in runs for w in run.warnings):
            self.echo(f"  warning: {warning}")
        written = sum(run.written for run in runs)
        seconds = time.perf_counter() - started
        self.echo(f"rebuilt {', '.join(names)} in {seconds:.2f} s ({written} file(s) changed)")
        self.events.publish("reload")
        return True

    def _failed(self, message: str) -> bool:
        self.echo(message)
        self.events.publish("error", message)
        return False

    def on_change(self, paths: list[Path]) -> bool:
        """Rebuild for one batch of saved files; False when the rebuild failed."""
        change = classify(self.settings, paths)
        if change.reload_settings:
            try:
                self.builder.restart(self.load())
            except AlustaError as error:
                return self._failed(str(error))
        if not change.sites:
            return True
        names = self.builder.with_linking_sites(change.sites)
        return self.rebuild(names, render_all=change.render_all, changed=paths)

    def close(self) -> None:
        self.builder.close()


def watch_and_rebuild(preview: Preview, stop: threading.Event) -> None:
    """Until `stop` is set: every batch of saved files rebuilds what it affects."""
    for changes in watch(
        *watched_paths(preview.settings),
        stop_event=stop,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        watch_filter=lambda _change, path: relevant(Path(path)),
        raise_interrupt=False,
    ):
        preview.on_change([Path(path) for _change, path in changes])


def start_watching(preview: Preview) -> threading.Event:
    """Run the loop on a daemon thread; setting the returned event stops it."""
    stop = threading.Event()
    threading.Thread(target=watch_and_rebuild, args=(preview, stop), daemon=True).start()
    return stop


__all__ = ["Change", "Preview", "start_watching"]
