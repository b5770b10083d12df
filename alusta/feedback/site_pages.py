"""What the build makes of a site's forms: forms inside posts, thank-you and results pages.

- A post or page with `Feedback: <name>` gets the form after its text; a line
  `[feedback: <name>]` in the Markdown puts it in that place instead (alusta.placements).
- Every form gets a thank-you page per language at feedback/<name>/thanks/ (site language)
  and feedback/<name>/thanks/<lang>/.
- A form with `results = true` gets feedback/<name>/results/: aggregates read from the
  database at build time, drawn as HTML bar charts; its form and thank-you pages link it.

The plugin alusta_forms only hooks these to Pelican and writes the pages with the theme's
`feedback` template; what each page says is decided here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alusta.db import connect_read_only, iso
from alusta.errors import AlustaError
from alusta.feedback import store
from alusta.feedback.charts import bar_chart
from alusta.feedback.models import FormDefinition
from alusta.feedback.summary import FormSummary, summarize
from alusta.feedback.texts import ui
from alusta.i18n import LANGUAGES
from alusta.i18n.formats import local_date_and_time
from alusta.placements import HTML_MARKER, META_KEY

MARKER_TEXT = "[feedback:"


@dataclass(frozen=True)
class FormPage:
    """One page the build writes for a form: its folder, language, title and what it shows."""

    folder: str  # relative to the site, ends with "/"
    lang: str
    title: str
    feedback: dict[str, Any]  # the `feedback` template's variables


def wanted_forms(metadata: Mapping[str, Any]) -> list[str]:
    """The forms a post's `Feedback:` metadata names, in order."""
    return [n.strip() for n in str(metadata.get(META_KEY, "")).split(",") if n.strip()]


def asks_for_forms(content: str, metadata: Mapping[str, Any]) -> bool:
    """Whether a post's HTML or metadata places any form (most posts do not)."""
    return bool(wanted_forms(metadata)) or MARKER_TEXT in content.lower()


def embed_forms(content: str, wanted: list[str], form_html: Callable[[str], str]) -> str:
    """`content` with each `[feedback: name]` marker replaced by its form, and the forms
    named in `wanted` appended."""
    content = HTML_MARKER.sub(lambda match: form_html(match["name"]), content)
    return content + "".join(form_html(name) for name in wanted)


def results_folder(form: FormDefinition) -> str:
    return f"feedback/{form.name}/results/"


def form_pages(
    forms: Mapping[str, FormDefinition],
    summaries: Mapping[str, FormSummary],
    *,
    site_lang: str,
    timezone: str,
    now: datetime,
) -> list[FormPage]:
    """Every thank-you page of every form, and the results page of those that publish them."""
    pages = []
    for form in forms.values():
        pages += [_thanks_page(form, lang, site_lang) for lang in LANGUAGES]
        if form.results:
            pages.append(_results_page(form, site_lang, summaries[form.name], timezone, now))
    return pages


def _thanks_page(form: FormDefinition, lang: str, site_lang: str) -> FormPage:
    texts = ui(lang)
    feedback = {"kind": "thanks", "message": form.thanks[lang], "back": texts["back"]}
    if form.results:
        feedback["results_url"] = results_folder(form)
        feedback["results_link"] = texts["see_results"]
    folder = f"feedback/{form.name}/thanks/" + ("" if lang == site_lang else f"{lang}/")
    return FormPage(folder, lang, texts["thanks_title"], feedback)


def _mean_text(mean: float, count: int, lang: str) -> str:
    number = f"{mean:.2f}"
    return ui(lang)["mean"].format(
        mean=number.replace(".", ",") if lang in ("fi", "sv") else number, count=count
    )


def _charts(form: FormDefinition, lang: str, summary: FormSummary) -> list[dict[str, str]]:
    """One bar chart per question; none below the form's minimum number of responses."""
    if summary.total < form.results_minimum:
        return []
    texts, charts = ui(lang), []
    for question in summary.questions:
        label = question.label[lang]
        svg = bar_chart(
            question,
            lang,
            chart_id=f"chart-{question.name}",
            title=texts["chart"].format(label=label),
        )
        mean = "" if question.mean is None else _mean_text(question.mean, question.answered, lang)
        charts.append({"label": label, "svg": svg, "mean": mean})
    return charts


def _results_page(
    form: FormDefinition, lang: str, summary: FormSummary, timezone: str, now: datetime
) -> FormPage:
    """Aggregates only; below the form's minimum number of responses, not even those."""
    texts = ui(lang)
    charts = _charts(form, lang, summary)
    day, clock = local_date_and_time(now, lang, timezone)
    feedback = {
        "kind": "results",
        "total": summary.total,
        "charts": charts,
        "responses": texts["responses"].format(count=summary.total),
        "too_few": "" if charts else texts["too_few"].format(count=form.results_minimum),
        "updated": texts["results_updated"].format(date=day, time=clock),
        "updated_iso": now.astimezone(UTC).isoformat(timespec="seconds"),
    }
    title = texts["results_title"].format(title=form.title[lang])
    return FormPage(results_folder(form), lang, title, feedback)


class FeedbackNotReady(AlustaError):
    """The database has no feedback tables yet (the endpoint has never run)."""


def stored_submissions(database: Path, site: str) -> list[store.Submission]:
    """Every stored answer of the site's forms; none before the database exists."""
    if not database.is_file():
        return []
    connection = connect_read_only(database)
    try:
        return store.submissions(connection, site=site)
    except sqlite3.OperationalError as error:
        raise FeedbackNotReady(f"no feedback in {database} yet ({error})") from error
    finally:
        connection.close()


def summaries(
    forms: list[FormDefinition], rows: list[store.Submission], *, now: datetime
) -> dict[str, FormSummary]:
    """Aggregates of the forms that publish results. Answers past their retention are left
    out even if no purge has run yet."""
    seconds = now.timestamp()

    def kept(form: FormDefinition) -> list[store.Submission]:
        oldest = iso(seconds - form.retention_days * store.SECONDS_PER_DAY)
        return [r for r in rows if r.received_at >= oldest]

    return {form.name: summarize(form, kept(form)) for form in forms}
