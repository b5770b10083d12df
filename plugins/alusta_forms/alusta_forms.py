"""alusta_forms: feedback forms in posts and pages, thank-you pages and results pages.

What each page says is decided in alusta.feedback.site_pages; this module hooks it to
Pelican's signals and writes the pages with the theme's `feedback` template. Forms come
from the site's content/forms/*.toml (alusta.feedback.definitions); unknown names are
caught by `check` before Pelican runs, and logged as errors here as well.
Reads the ALUSTA dict: site (name, lang), endpoint_url, database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pelican import signals

from alusta.feedback.definitions import forms_in_folder
from alusta.feedback.models import FormDefinition, FormDefinitionError
from alusta.feedback.render import render_form
from alusta.feedback.site_pages import (
    FeedbackNotReady,
    asks_for_forms,
    embed_forms,
    form_pages,
    stored_submissions,
    summaries,
    wanted_forms,
)
from alusta.i18n import LANGUAGES

LOG = logging.getLogger(__name__)
PLUGIN_NAME = "alusta_forms"
TEMPLATE = "feedback"


@dataclass(frozen=True)
class GeneratedPage:
    """Stands in for a Pelican page so the theme's language helpers see `lang`."""

    lang: str
    title: str


def _conf(settings: dict[str, Any]) -> dict[str, Any]:
    return settings.get("ALUSTA") or {}


def _site(settings: dict[str, Any]) -> dict[str, Any]:
    return _conf(settings).get("site") or {}


def _forms(settings: dict[str, Any]) -> dict[str, FormDefinition]:
    try:
        return forms_in_folder(
            Path(settings["PATH"]) / "forms", _site(settings).get("name", "main")
        )
    except FormDefinitionError as error:
        LOG.error("%s: %s", PLUGIN_NAME, error)
        return {}


def insert_forms(instance: Any) -> None:
    """Replace markers by forms and append the form named in `Feedback:` metadata."""
    content = getattr(instance, "_content", None)
    if content is None or not asks_for_forms(content, instance.metadata):
        return
    settings = instance.settings
    forms = _forms(settings)
    lang = getattr(instance, "lang", None)
    lang = lang if lang in LANGUAGES else _site(settings).get("lang", LANGUAGES[0])

    def form_html(name: str) -> str:
        if name not in forms:
            LOG.error("%s: %s: unknown form %r", PLUGIN_NAME, instance.source_path, name)
            return ""
        endpoint_url = _conf(settings).get("endpoint_url", "")
        return render_form(
            forms[name], lang=lang, endpoint_url=endpoint_url, site_url=settings["SITEURL"]
        )

    instance._content = embed_forms(content, wanted_forms(instance.metadata), form_html)


def write_pages(generator: Any, writer: Any) -> None:
    """Thank-you pages for every form, results pages for those that publish them."""
    settings = generator.settings
    forms = _forms(settings)
    if not forms:
        return
    now = datetime.now(UTC)
    published = [f for f in forms.values() if f.results]
    rows = []
    if published:
        try:
            rows = stored_submissions(Path(_conf(settings).get("database", "")), published[0].site)
        except FeedbackNotReady as error:
            LOG.warning("%s: %s", PLUGIN_NAME, error)
    pages = form_pages(
        forms,
        summaries(published, rows, now=now),
        site_lang=_site(settings).get("lang", LANGUAGES[0]),
        timezone=settings.get("TIMEZONE", "UTC"),
        now=now,
    )
    template = generator.get_template(TEMPLATE)
    for page in pages:
        writer.write_file(
            f"{page.folder}index.html",
            template,
            generator.context,
            page=GeneratedPage(lang=page.lang, title=page.title),
            feedback={"title": page.title, **page.feedback},
            relative_urls=False,
            url=page.folder,
        )


def register() -> None:
    signals.content_object_init.connect(insert_forms)
    signals.page_writer_finalized.connect(write_pages)
