"""Feedback benchmark: submissions accepted per second and latency, beside webmentions.

    python bench/feedback.py [--requests 3000] [--seconds 15]

One run, every server a separate process on 127.0.0.1, loaded by bench/endpoint.py's own
closed-loop keep-alive clients at 16 and 64 concurrent clients:
- our endpoint (`publish.py endpoint`, uvicorn, 1 process) receiving
  * POST /feedback/main/bench: a form of six questions (scale, choices, text, number),
    validated, screened (rate limit, honeypot) and committed before the 201;
  * POST /webmention: the endpoint's own accept path (issue 3's benchmark load);
- the baseline: bench/bare_app.py, which only INSERTs the posted form into SQLite
  (same uvicorn settings), loaded with the same feedback bodies.
Prints accepted/s, p50/p99, and the ratios feedback/bare and feedback/webmention.
Counts and durations are bounded by --requests and --seconds per level.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.endpoint import CONCURRENCY_LEVELS, make_project, measure, webmention_request
from bench.load import (
    Request,
    endpoint_command,
    endpoint_env,
    free_port,
    start,
    start_bare,
    start_static,
    stop,
)

FORM_PATH = "/feedback/main/bench"
FORM_TYPE = "application/x-www-form-urlencoded"
FORM = """title.fi = "Kysely"
title.sv = "Enkät"
title.en = "Survey"
thanks.fi = "Kiitos!"
thanks.sv = "Tack!"
thanks.en = "Thanks!"
retention_days = 30

[[fields]]
name = "arvio"
type = "scale"
required = true
label = { fi = "Arvio", sv = "Betyg", en = "Rating" }

[[fields]]
name = "kunta"
type = "single_choice"
required = true
label = { fi = "Kunta", sv = "Kommun", en = "Municipality" }
choices = [
  { value = "rovaniemi", fi = "Rovaniemi", sv = "Rovaniemi", en = "Rovaniemi" },
  { value = "tornio", fi = "Tornio", sv = "Torneå", en = "Tornio" },
]

[[fields]]
name = "palvelut"
type = "multiple_choice"
label = { fi = "Palvelut", sv = "Tjänster", en = "Services" }
choices = [
  { value = "kirjasto", fi = "Kirjasto", sv = "Bibliotek", en = "Library" },
  { value = "latu", fi = "Latu", sv = "Skidspår", en = "Ski track" },
  { value = "uimahalli", fi = "Uimahalli", sv = "Simhall", en = "Swimming hall" },
]

[[fields]]
name = "ika"
type = "number"
min = 0
max = 120
label = { fi = "Ikä", sv = "Ålder", en = "Age" }

[[fields]]
name = "nimi"
type = "text"
label = { fi = "Nimi", sv = "Namn", en = "Name" }

[[fields]]
name = "palaute"
type = "long_text"
label = { fi = "Palaute", sv = "Respons", en = "Feedback" }
"""


def feedback_form(prefix: str, number: int) -> dict:
    return {
        "arvio": str(number % 5 + 1),
        "kunta": "tornio",
        "palvelut": ["kirjasto", "latu"],
        "ika": str(number % 90),
        "nimi": "Åsa Öhman",
        "website": "",
        "_lang": "fi",
        "palaute": f"Palaute {prefix}{number}: kylätalon äänentoisto särisi.",
    }


def feedback_request(prefix: str) -> Request:
    """A whole submission; without Accept: text/html the endpoint answers 201 (JSON)."""

    def build(number: int) -> tuple[str, str, bytes]:
        body = urlencode(feedback_form(prefix, number), doseq=True).encode()
        return FORM_PATH, FORM_TYPE, body

    return build


def bare_request(prefix: str) -> Request:
    """The same bodies to the bare app's only route (it stores `source` and `target`)."""

    def build(number: int) -> tuple[str, str, bytes]:
        form = feedback_form(prefix, number)
        body = urlencode(
            {**form, "source": form["palaute"], "target": "bench"}, doseq=True
        ).encode()
        return "/webmention", FORM_TYPE, body

    return build


def run(temp: Path, options: dict) -> dict:
    root = temp / "project"
    make_project(root)
    (root / "content" / "forms").mkdir()
    (root / "content" / "forms" / "bench.toml").write_text(FORM, encoding="utf-8")
    (temp / "static").mkdir()
    static_port, port, bare_port = free_port(), free_port(), free_port()
    static = f"http://127.0.0.1:{static_port}"
    env = endpoint_env(
        temp / "alusta.sqlite3",
        ALUSTA_FEEDBACK_RATE_LIMIT_PER_MINUTE="10000000",
        ALUSTA_SECRET="bench",
    )
    processes = []
    results = {}
    try:
        processes.append(start_static(temp / "static", static_port))
        processes.append(start(endpoint_command(root, port), port, env=env))
        print("accept load (POST, keep-alive clients):", flush=True)
        endpoint = processes[-1]
        results["feedback"] = measure("feedback", port, endpoint.pid, feedback_request, options)
        results["webmention"] = measure(
            "webmention", port, endpoint.pid, lambda p: webmention_request(static, p), options
        )
        bare = start_bare(bare_port, temp / "bare.sqlite3")
        processes.append(bare)
        results["bare"] = measure("bare", bare_port, bare.pid, bare_request, options)
    finally:
        for process in processes:
            stop(process)
    return results


def report(results: dict) -> None:
    print("\nfeedback submissions:")
    for concurrency in CONCURRENCY_LEVELS:
        ours = results["feedback"][concurrency]
        bare = results["bare"][concurrency].accepted_per_second
        mention = results["webmention"][concurrency].accepted_per_second
        print(
            f"  {concurrency:>3} clients: {ours.accepted_per_second:6.0f} accepted/s, "
            f"p99 {ours.p99_ms:5.1f} ms;  feedback/bare {ours.accepted_per_second / bare:4.2f}"
            f",  feedback/webmention {ours.accepted_per_second / mention:4.2f}"
        )


@click.command()
@click.option("--requests", default=3000, show_default=True, help="POSTs per load level.")
@click.option("--seconds", default=15.0, show_default=True, help="Time cap per load level.")
def main(requests: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="alusta-bench-feedback-") as temp:
        results = run(Path(temp), {"requests": requests, "seconds": seconds})
    report(results)


if __name__ == "__main__":
    main()
