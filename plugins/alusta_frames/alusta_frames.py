"""alusta_frames: keep each site's page frame for the endpoint's pages (alusta/page_frames.py).

Settings: the ALUSTA dict (site, var_dir). After the pages are written,
the theme's `frame.html` is rendered with the site's context once per UI language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from pelican import signals

from alusta.i18n import LANGUAGES
from alusta.page_frames import FrameBroken, write_frame

LOG = logging.getLogger(__name__)
PLUGIN_NAME = "alusta_frames"
SETTINGS_KEY = "ALUSTA"
TEMPLATE = "frame"


@dataclass(frozen=True)
class FramePage:
    """Stands in for a Pelican page so the theme's language helpers see `lang`."""

    lang: str
    title: str = ""


def write_frames(generator: Any, writer: Any) -> None:  # the signal passes the writer too
    conf = generator.settings.get(SETTINGS_KEY)
    if not conf:
        return
    try:
        template = generator.get_template(TEMPLATE)
        for lang in LANGUAGES:
            html = template.render(**generator.context, page=FramePage(lang=lang))
            write_frame(Path(conf["var_dir"]), conf["site"]["name"], lang, html)
    except (TemplateError, FrameBroken) as error:
        LOG.error("%s: %s", PLUGIN_NAME, error)


def register() -> None:
    signals.page_writer_finalized.connect(write_frames)
