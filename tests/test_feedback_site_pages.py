"""What the build makes of a site's forms (alusta.feedback.site_pages), without Pelican:
markers replaced, thank-you pages per language, results within the retention period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from alusta.db import iso
from alusta.feedback.definitions import forms_in_folder
from alusta.feedback.site_pages import (
    asks_for_forms,
    embed_forms,
    form_pages,
    summaries,
    wanted_forms,
)
from alusta.feedback.store import Submission

REPO = Path(__file__).resolve().parents[1]
FORMS = REPO / "pilots" / "ounasvaara" / "content" / "forms"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _answer(number: int, received: datetime) -> Submission:
    return Submission(
        id=number,
        site="ounasvaara",
        form="latukahvila",
        lang="fi",
        answers={"arvio": 4, "kaynti": "kerran"},
        email=None,
        page="",
        received_at=iso(received.timestamp()),
    )


def test_markers_become_forms_and_metadata_forms_follow_the_text():
    content = "<p>Alku</p><p>[feedback: eka]</p><p>Loppu</p>"

    embedded = embed_forms(content, ["toka"], lambda name: f"<form>{name}</form>")

    assert embedded == "<p>Alku</p><form>eka</form><p>Loppu</p><form>toka</form>"


def test_a_post_without_markers_or_metadata_asks_for_no_form():
    assert not asks_for_forms("<p>Teksti</p>", {})
    assert asks_for_forms("<p>[Feedback: eka]</p>", {})
    assert wanted_forms({"feedback": "eka, toka ,"}) == ["eka", "toka"]


def test_thank_you_pages_per_language_and_one_results_page():
    forms = forms_in_folder(FORMS, "ounasvaara")
    form = forms["latukahvila"]

    pages = form_pages(
        forms, summaries([form], [], now=NOW), site_lang="fi", timezone="UTC", now=NOW
    )

    assert [p.folder for p in pages] == [
        "feedback/latukahvila/thanks/",
        "feedback/latukahvila/thanks/sv/",
        "feedback/latukahvila/thanks/en/",
        "feedback/latukahvila/results/",
    ]
    assert pages[1].feedback["message"] == form.thanks["sv"]
    assert pages[0].feedback["results_url"] == "feedback/latukahvila/results/"
    assert pages[3].feedback["updated_iso"] == "2026-12-01T10:00:00+00:00"


def test_results_count_only_answers_inside_the_retention_period():
    form = forms_in_folder(FORMS, "ounasvaara")["latukahvila"]
    kept = NOW - timedelta(days=form.retention_days - 1)
    expired = NOW - timedelta(days=form.retention_days + 1)
    rows = [_answer(n, kept) for n in range(6)] + [_answer(9, expired)]

    summary = summaries([form], rows, now=NOW)["latukahvila"]
    page = form_pages(
        {form.name: form}, {form.name: summary}, site_lang="fi", timezone="UTC", now=NOW
    )[-1]

    assert summary.total == 6
    assert page.feedback["total"] == 6
    assert page.feedback["charts"] and not page.feedback["too_few"]
