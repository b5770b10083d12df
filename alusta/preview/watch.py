"""The preview loop: wait for saved files, rebuild the sites they affect, tell the tabs.

watchfiles (a Rust watcher) batches the events of one save; the loop runs on its own thread
so the server keeps answering while a build runs. A build that fails leaves the last good
output in place (alusta.build swaps a site in only when it built) and reports the problems
both in the terminal and to the browser's overlay.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

from alusta.errors import AlustaError, ContentError
from alusta.preview.changes import affected_sites, relevant, watched_paths
from alusta.preview.events import PreviewEvents
from alusta.settings import Settings

DEBOUNCE_MS = 50
STEP_MS = 20


def rebuild(
    settings: Settings, events: PreviewEvents, sites: list[str], echo: Callable[[str], None]
) -> bool:
    """Build `sites` into the preview folder; True when the tabs were told to reload."""
    from alusta.build import build_sites  # noqa: PLC0415 - pelican only when building

    started = time.perf_counter()
    try:
        build_sites(settings, site_names=sites)
    except ContentError as error:
        problems = "\n".join(str(p) for p in error.problems)
        echo(problems)
        events.publish("error", problems)
        return False
    except AlustaError as error:
        echo(str(error))
        events.publish("error", str(error))
        return False
    echo(f"rebuilt {', '.join(sites)} in {time.perf_counter() - started:.1f} s")
    events.publish("reload")
    return True


def watch_and_rebuild(
    settings: Settings,
    events: PreviewEvents,
    stop: threading.Event,
    echo: Callable[[str], None],
) -> None:
    """Until `stop` is set: every batch of saved files rebuilds the sites it affects."""
    paths = watched_paths(settings)
    for changes in watch(
        *paths,
        stop_event=stop,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        watch_filter=lambda _change, path: relevant(Path(path)),
        raise_interrupt=False,
    ):
        sites = affected_sites(settings, [Path(path) for _change, path in changes])
        if sites:
            rebuild(settings, events, sites, echo)


def start_watching(
    settings: Settings, events: PreviewEvents, echo: Callable[[str], None]
) -> threading.Event:
    """Run the loop on a daemon thread; setting the returned event stops it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=watch_and_rebuild, args=(settings, events, stop, echo), daemon=True
    )
    thread.start()
    return stop
