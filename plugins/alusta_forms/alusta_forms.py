"""alusta_forms: feedback forms in posts and pages, thank-you pages and results pages.

- A post or page with `Feedback: <name>` gets the form after its text; a line
  `[feedback: <name>]` in the Markdown puts it in that place instead.
- Every form of the site gets a thank-you page per language at
  feedback/<name>/thanks/ (site language) and feedback/<name>/thanks/<lang>/.
- A form with `results = true` gets feedback/<name>/results/: aggregates read from the
  database at build time, drawn as HTML bar charts; its form and thank-you pages link it.

Forms come from the site's content/forms/*.toml (alusta.feedback.definitions); unknown
names are caught by `check` before Pelican runs, and logged as errors here as well.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pelican import signals

from alusta.db import connect, iso
from alusta.feedback import store
from alusta.feedback.charts import bar_chart
from alusta.feedback.definitions import forms_in_folder
from alusta.feedback.models import FormDefinition, FormDefinitionError
from alusta.feedback.render import render_form
from alusta.feedback.summary import FormSummary, summarize
from alusta.feedback.texts import ui
from alusta.i18n import LANGUAGES
from alusta.i18n.formats import local_date_and_time
from alusta.placements import HTML_MARKER, META_KEY

LOG = logging.getLogger(__name__)
PLUGIN_NAME = "alusta_forms"
TEMPLATE = "feedback"
DAY_SECONDS = store.SECONDS_PER_DAY


@dataclass(frozen=True)
class GeneratedPage:
    """Stands in for a Pelican page so the theme's language helpers see `lang`."""

    lang: str
    title: str


def _site(settings: dict[str, Any]) -> dict[str, Any]:
    return (settings.get("ALUSTA") or {}).get("site") or {}


def _forms(settings: dict[str, Any]) -> dict[str, FormDefinition]:
    site = _site(settings)
    try:
        return forms_in_folder(Path(settings["PATH"]) / "forms", site.get("name", "main"))
    except FormDefinitionError as error:
        LOG.error("%s: %s", PLUGIN_NAME, error)
        return {}


def _lang(instance: Any, settings: dict[str, Any]) -> str:
    lang = getattr(instance, "lang", None)
    return lang if lang in LANGUAGES else _site(settings).get("lang", LANGUAGES[0])


def insert_forms(instance: Any) -> None:
    """Replace markers by forms and append the form named in `Feedback:` metadata."""
    content = getattr(instance, "_content", None)
    wanted = [n.strip() for n in str(instance.metadata.get(META_KEY, "")).split(",") if n.strip()]
    if content is None or (not wanted and "[feedback:" not in content.lower()):
        return
    settings = instance.settings
    forms, lang = _forms(settings), _lang(instance, settings)

    def form_html(name: str) -> str:
        if name not in forms:
            LOG.error("%s: %s: unknown form %r", PLUGIN_NAME, instance.source_path, name)
            return ""
        return render_form(
            forms[name],
            lang=lang,
            endpoint_url=(settings.get("ALUSTA") or {}).get("endpoint_url", ""),
            site_url=settings["SITEURL"],
        )

    content = HTML_MARKER.sub(lambda match: form_html(match["name"]), content)
    for name in wanted:
        content += form_html(name)
    instance._content = content


@dataclass(frozen=True)
class _Output:
    """Where generated pages go: Pelican's writer, the generator's context and our template."""

    writer: Any
    generator: Any
    template: Any

    def write(self, folder: str, lang: str, title: str, feedback: dict[str, Any]) -> None:
        self.writer.write_file(
            f"{folder}index.html",
            self.template,
            self.generator.context,
            page=GeneratedPage(lang=lang, title=title),
            feedback={"title": title, **feedback},
            relative_urls=False,
            url=folder,
        )


def write_pages(generator: Any, writer: Any) -> None:
    """Thank-you pages for every form, results pages for those that publish them."""
    settings = generator.settings
    forms = _forms(settings)
    if not forms:
        return
    output = _Output(writer, generator, generator.get_template(TEMPLATE))
    site_lang = _site(settings).get("lang", LANGUAGES[0])
    summaries = _summaries(settings, [f for f in forms.values() if f.results])
    for form in forms.values():
        for lang in LANGUAGES:
            folder = f"feedback/{form.name}/thanks/" + ("" if lang == site_lang else f"{lang}/")
            texts = ui(lang)
            feedback = {"kind": "thanks", "message": form.thanks[lang], "back": texts["back"]}
            if form.results:
                feedback["results_url"] = f"{results_folder(form)}"
                feedback["results_link"] = texts["see_results"]
            output.write(folder, lang, texts["thanks_title"], feedback)
        if form.results:
            _write_results(
                output, form, site_lang, summaries[form.name], settings.get("TIMEZONE", "UTC")
            )


def _mean_text(mean: float, count: int, lang: str) -> str:
    number = f"{mean:.2f}"
    return ui(lang)["mean"].format(
        mean=number.replace(".", ",") if lang in ("fi", "sv") else number, count=count
    )


def results_folder(form: FormDefinition) -> str:
    return f"feedback/{form.name}/results/"


def _write_results(
    output: _Output, form: FormDefinition, lang: str, summary: FormSummary, timezone: str
) -> None:
    """Aggregates only; below the form's minimum number of responses, not even those."""
    texts = ui(lang)
    charts = []
    if summary.total >= form.results_minimum:
        for question in summary.questions:
            label = question.label[lang]
            svg = bar_chart(
                question,
                lang,
                chart_id=f"chart-{question.name}",
                title=texts["chart"].format(label=label),
            )
            mean = (
                "" if question.mean is None else _mean_text(question.mean, question.answered, lang)
            )
            charts.append({"label": label, "svg": svg, "mean": mean})
    too_few = "" if charts else texts["too_few"].format(count=form.results_minimum)
    now = datetime.now(UTC)
    day, clock = local_date_and_time(now, lang, timezone)
    output.write(
        results_folder(form),
        lang,
        texts["results_title"].format(title=form.title[lang]),
        {
            "kind": "results",
            "total": summary.total,
            "charts": charts,
            "responses": texts["responses"].format(count=summary.total),
            "too_few": too_few,
            "updated": texts["results_updated"].format(date=day, time=clock),
            "updated_iso": now.isoformat(timespec="seconds"),
        },
    )


def _summaries(settings: dict[str, Any], forms: list[FormDefinition]) -> dict[str, FormSummary]:
    """Aggregates of the forms that publish results, read from the database (none: zero).
    Answers past their retention are left out even if no purge has run yet."""
    rows: list[store.Submission] = []
    path = Path((settings.get("ALUSTA") or {}).get("database", ""))
    if forms and path.is_file():
        connection = connect(path, migrate=False)
        try:
            rows = store.submissions(connection, site=forms[0].site)
        except sqlite3.OperationalError as error:
            LOG.warning("%s: no feedback in %s yet (%s)", PLUGIN_NAME, path, error)
        finally:
            connection.close()
    now = time.time()
    return {
        form.name: summarize(
            form,
            [r for r in rows if r.received_at >= iso(now - form.retention_days * DAY_SECONDS)],
        )
        for form in forms
    }


def register() -> None:
    signals.content_object_init.connect(insert_forms)
    signals.page_writer_finalized.connect(write_pages)
