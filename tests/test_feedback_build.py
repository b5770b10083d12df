"""The alusta_forms plugin on a real Pelican build: the form in the post, thank-you pages,
and a results page whose bar numbers are the stored data."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from alusta.build import build_sites
from alusta.settings import Settings
from tests.browser import loopback_context
from tests.feedback_project import insert
from tests.project import copy_project, project_settings

REPO = Path(__file__).resolve().parents[1]
PILOT = "ounasvaara"
FORM = "latukahvila"
POST = "2026/10/latukahvila-kokeiluun/"
SECRET_TEXT = "salainen vapaa teksti äöå"
VISITS = ("kerran", "muutaman", "joka-viikonloppu")
PRODUCTS = ("kahvi", "gluteeniton", "keitto", "mehu")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[dict]]:
    root = copy_project(tmp_path_factory.mktemp("feedback-build") / "project")
    settings = project_settings(root)
    chooser = random.Random(5)
    answers = []
    for number in range(23):
        answer = {
            "arvio": chooser.randint(1, 5),
            "kaynti": chooser.choice(VISITS),
            "tuotteet": sorted(chooser.sample(PRODUCTS, chooser.randint(0, 3))),
            "terveiset": f"{SECRET_TEXT} {number}",
            "sahkoposti": "salainen@example.fi",
            "suostumus": True,
        }
        answers.append(answer)
        insert(settings, site=PILOT, form=FORM, answers=answer, email="salainen@example.fi")
    insert(settings, site=PILOT, form=FORM, answers={"arvio": 1}, age_days=400)  # expired
    insert(settings, site="rajalla", form="kirjastobussi", answers={"hyoty": 5, "puoli": "suomi"})
    build_sites(settings, site_names=[PILOT, "rajalla"])
    return settings, answers


def page(settings: Settings, site: str, path: str) -> BeautifulSoup:
    file = settings.site_output(settings.site(site)) / path / "index.html"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def chart_counts(section) -> dict[str, int]:
    """{value: count} read twice from the chart: the data attribute and the visible number."""
    counts = {}
    for bar in section.select("ul.feedback-chart li.bar"):
        shown = int(bar.select_one(".count").get_text())
        assert shown == int(bar["data-count"])
        counts[bar["data-value"]] = shown
    return counts


def test_results_page_numbers_match_the_stored_answers(built) -> None:
    settings, answers = built
    results = page(settings, PILOT, f"feedback/{FORM}/results")
    sections = {s.h2.get_text(): s for s in results.select("section.feedback-result")}
    scale = sections["Kuinka tyytyväinen olit latukahvilaan?"]
    expected_scale = Counter(a["arvio"] for a in answers)
    assert chart_counts(scale) == {str(v): expected_scale[v] for v in range(1, 6)}
    mean = sum(a["arvio"] for a in answers) / len(answers)
    assert scale.select_one(".feedback-mean").get_text() == (
        f"Keskiarvo {mean:.2f} (23 vastausta)".replace(".", ",")
    )
    visits = Counter(a["kaynti"] for a in answers)
    assert chart_counts(sections["Kuinka usein kävit kahvilassa?"]) == {
        v: visits[v] for v in VISITS
    }
    products = Counter(p for a in answers for p in a["tuotteet"])
    assert chart_counts(sections["Mitä kahvilasta pitäisi saada?"]) == {
        p: products[p] for p in PRODUCTS
    }
    assert results.select_one(".feedback-total").get_text() == "Vastauksia yhteensä: 23"


def test_results_page_holds_no_free_text_or_personal_data(built) -> None:
    settings, _ = built
    file = settings.site_output(settings.site(PILOT)) / f"feedback/{FORM}/results/index.html"
    html = file.read_text(encoding="utf-8")
    assert "salainen" not in html
    assert "<script" not in html
    chart = BeautifulSoup(html, "html.parser").select_one("ul.feedback-chart")
    assert chart["aria-label"].startswith("Pylväskaavio")
    assert all(bar.select_one(".feedback-bar-label").get_text() for bar in chart.select("li"))


def test_no_results_page_unless_the_form_opts_in(built) -> None:
    settings, _ = built
    output = settings.site_output(settings.site("rajalla"))
    assert not (output / "feedback/kirjastobussi/results").exists()
    assert (output / "feedback/kirjastobussi/thanks/index.html").is_file()


def test_thank_you_pages_in_each_language(built) -> None:
    settings, _ = built
    for path, lang, text in (
        ("thanks", "fi", "Kiitos! Palautteesi"),
        ("thanks/sv", "sv", "Tack! Din respons"),
        ("thanks/en", "en", "Thank you! Your feedback"),
    ):
        thanks = page(settings, PILOT, f"feedback/{FORM}/{path}")
        assert thanks.html["lang"] == lang
        assert thanks.select_one("p.feedback-thanks").get_text().startswith(text)
        assert thanks.select_one('meta[name="robots"]')["content"] == "noindex"


def test_form_in_the_post_is_accessible_plain_html(built) -> None:
    settings, _ = built
    post = page(settings, PILOT, POST)
    form = post.select_one("form.feedback-form")
    site = settings.site(PILOT)
    assert form["action"] == f"{settings.endpoint_url}/feedback/{PILOT}/{FORM}"
    assert form["method"] == "post"
    for control in form.select("input:not([type=hidden]), textarea"):
        if control["name"] == "website":
            assert control["tabindex"] == "-1"
            assert control.find_parent(class_="feedback-hp")["aria-hidden"] == "true"
            continue
        assert form.select_one(f'label[for="{control["id"]}"]'), control
    for group in form.select("fieldset"):
        assert group.legend.get_text().strip()
    for described in form.select("[aria-describedby]"):
        for ident in described["aria-describedby"].split():
            assert post.select_one(f"#{ident}") is not None
    assert form.select_one("#fb-latukahvila-arvio-1").has_attr("required")
    assert "(pakollinen)" in form.select_one("#fb-latukahvila-arvio legend").get_text()
    script = post.select_one("section.feedback script")
    assert script["src"] == f"{site.siteurl}/theme/js/feedback.js"
    assert (settings.site_output(site) / "theme/js/feedback.js").is_file()


def test_marker_places_the_form_where_it_is_written(built) -> None:
    settings, _ = built
    post = page(settings, "rajalla", "2026/10/kirjastobussi-ylittaa-rajan")
    content = post.select_one(".e-content")
    texts = [element.name for element in content.find_all(["p", "section"], recursive=False)]
    before = [p.get_text() for p in content.find_all("p", recursive=False)]
    assert "section" in texts
    assert not any(re.search(r"\[feedback:", t) for t in before)
    section_index = texts.index("section")
    assert (
        content.find_all(["p", "section"], recursive=False)[section_index + 1]
        .get_text()
        .startswith("Vastaukset luetaan")
    )


def test_the_form_and_its_thank_you_page_link_the_results(built) -> None:
    settings, _ = built
    results = f"{settings.site(PILOT).siteurl}/feedback/{FORM}/results/"
    post = page(settings, PILOT, POST)
    assert post.select_one(".feedback-results-link a")["href"] == results
    thanks = page(settings, PILOT, f"feedback/{FORM}/thanks")
    assert thanks.main.find("a", href=results).get_text() == "Katso tähänastiset tulokset"
    rajalla = page(settings, "rajalla", "feedback/kirjastobussi/thanks")
    assert rajalla.select_one(".feedback-results-link") is None
    assert not [a for a in rajalla.main.find_all("a") if "/results/" in a["href"]]


def test_results_say_when_they_were_updated_in_the_sites_time(built) -> None:
    settings, _ = built
    updated = page(settings, PILOT, f"feedback/{FORM}/results").select_one(".feedback-updated time")
    moment = datetime.fromisoformat(updated["datetime"])
    local = moment.astimezone(ZoneInfo(settings.pelican["TIMEZONE"]))
    day = f"{local.day}. "
    assert updated.get_text().startswith(f"Päivitetty {day}")
    assert updated.get_text().endswith(f"klo {local.hour}.{local.minute:02d}.")


def test_results_read_on_a_phone_labels_above_their_bars(built, browser) -> None:
    settings, _ = built
    html = (
        settings.site_output(settings.site(PILOT)) / f"feedback/{FORM}/results/index.html"
    ).read_text(encoding="utf-8")
    css = "".join((REPO / "theme/static/css" / n).read_text() for n in ("alusta.css", "forms.css"))
    context, _log = loopback_context(browser, viewport={"width": 390, "height": 844})
    try:
        phone = context.new_page()
        phone.set_content(html)
        phone.add_style_tag(content=css)
        bars = phone.evaluate(
            """() => [...document.querySelectorAll('.feedback-chart .bar')].map(li => {
                const label = li.querySelector('.feedback-bar-label');
                const bar = li.querySelector('.feedback-bar');
                return {size: parseFloat(getComputedStyle(label).fontSize),
                        labelBottom: label.getBoundingClientRect().bottom,
                        barTop: bar.getBoundingClientRect().top};
            })"""
        )
        scroll_width = phone.evaluate("() => document.documentElement.scrollWidth")
    finally:
        context.close()
    assert len(bars) == 5 + len(VISITS) + len(PRODUCTS)
    assert all(bar["size"] >= 14 for bar in bars)
    assert all(bar["labelBottom"] <= bar["barTop"] for bar in bars)
    assert scroll_width <= 390
