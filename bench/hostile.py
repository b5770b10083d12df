"""The hostile mix of bench/endpoint.py: how long a normal reply waits for verification
while twelve sources built to cost CPU are queued ahead of it (issue 11, item 1).

Each round sends `HOSTILE_PER_ROUND` hostile sources, then one normal h-entry reply, and
times the reply from its `201` to the end of its verification (status page polled); the
queue drains between rounds, so every sample has exactly twelve hostile sources ahead of it.
The same rounds without the hostile sources are the baseline, in the same run on the same
endpoint. Two hostile shapes, served by the benchmark's local static server:

- deep: 11,000 nested `<div class="h-entry">` around the link (≈250 kB): mf2py once took
  ~20 s on it and ended in RecursionError; the depth check stops it before mf2py;
- costly: 38 nested `e-content h-cite` in an h-entry (at the depth cap) around ~400 kB of text,
  which mf2py serialises once per level: seconds of CPU that the reader's CPU limit ends.

Also recorded: the slowest `POST /webmention` answer during the mix (the endpoint keeps
answering while its readers are busy).

    python bench/hostile.py [--rounds 10]    # this section alone (bench/endpoint.py runs it too)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import click
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import endpoint_command, endpoint_env, free_port, start, start_static, stop

HOSTILE_PER_ROUND = 12
NESTED_ENTRIES = 11_000
COSTLY_DEPTH = 38  # with the h-entry and the link: 40, alusta.microformats.MF2_MAX_DEPTH
COSTLY_PARAGRAPHS = 4_000
TARGET_SECONDS = 15.0
ROUND_DEADLINE_SECONDS = 120.0
POLL_SECONDS = 0.02
REPLY = """<!doctype html><html><head><title>Vastaus {i}</title></head><body>
<article class="h-entry"><a class="p-author h-card" href="https://aino.example/">Aino</a>
<a class="u-in-reply-to" href="{target}">post</a>
<div class="e-content">Vastaus {i}: hyvä kirjoitus.</div></article></body></html>
"""


@dataclass(frozen=True)
class MixResult:
    """Normal replies' verification seconds, the slowest POST answer, and how many hostile
    sources ended rejected as too complex to read, of one mix."""

    seconds: list[float]
    slowest_post_ms: float
    too_complex: int = 0
    hostile: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p99(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def write_sources(folder: Path, target: str, replies: int) -> None:
    """The hostile pages and `replies` normal replies under `folder`/hostile/ (a mix's
    replies are numbered: a round needs one of its own)."""
    out = folder / "hostile"
    out.mkdir(parents=True)
    link = f'<a class="u-in-reply-to" href="{target}">x</a>'
    deep = '<div class="h-entry">' * NESTED_ENTRIES + link + "</div>" * NESTED_ENTRIES
    (out / "deep.html").write_text(f"<!doctype html><html><body>{deep}</body></html>")
    text = ("<p>" + "sana " * 20 + "</p>") * COSTLY_PARAGRAPHS
    nested = '<div class="e-content h-cite">' * COSTLY_DEPTH
    costly = f'<div class="h-entry">{nested}{link}{text}' + "</div>" * (COSTLY_DEPTH + 1)
    (out / "costly.html").write_text(f"<!doctype html><html><body>{costly}</body></html>")
    for i in range(replies):
        (out / f"reply{i}.html").write_text(REPLY.format(i=i, target=target))


def run_mix(
    base_url: str, static: str, target: str, *, rounds: int, shape: str | None, first: int
) -> MixResult:
    """`rounds` rounds of (twelve `shape` sources, then one normal reply); shape None: the
    normal replies alone. Replies are numbered from `first`: each one is a new mention."""
    seconds, slowest, too_complex = [], 0.0, 0
    with httpx.Client(base_url=base_url, timeout=60) as client:
        for round_number in range(first, first + rounds):
            count = HOSTILE_PER_ROUND if shape else 0
            hostile = [
                _post(client, f"{static}/hostile/{shape}.html?r={round_number}&n={n}", target)
                for n in range(count)
            ]
            reply = f"{_other_host(static)}/hostile/reply{round_number}.html"
            location, post_ms = _post(client, reply, target)
            accepted = time.monotonic()
            _wait_verified(client, location)
            seconds.append(time.monotonic() - accepted)
            slowest = max([slowest, post_ms, *(ms for _, ms in hostile)])
            for hostile_location, _ms in hostile:  # each sample starts with exactly twelve
                reason = _wait_verified(client, hostile_location)["reason"]
                too_complex += reason.startswith("source too complex to read")
    return MixResult(seconds, slowest, too_complex, HOSTILE_PER_ROUND * rounds if shape else 0)


def _other_host(static: str) -> str:
    """The static server under another name: the normal replies come from a host of their
    own, as a real reply does, not from the attacker's."""
    return static.replace("127.0.0.1", "localhost")


def _post(client: httpx.Client, source: str, target: str) -> tuple[str, float]:
    """POST one webmention: its status page's path and how long the answer took (ms)."""
    began = time.perf_counter()
    response = client.post("/webmention", data={"source": source, "target": target})
    response.raise_for_status()
    return httpx.URL(response.headers["Location"]).path, (time.perf_counter() - began) * 1000


def _wait_verified(client: httpx.Client, location: str) -> dict:
    """Poll a status page until its verification has ended; the last status document."""
    deadline = time.monotonic() + ROUND_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        document = client.get(location).json()
        if not document["verifying"]:
            return document
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"verification of {location} did not end in {ROUND_DEADLINE_SECONDS} s")


def hostile_figures(base_url: str, static: str, target: str, rounds: int) -> dict[str, MixResult]:
    """The baseline and both hostile mixes, in that order, on one running endpoint (after
    one unmeasured reply: the endpoint starts its reader processes on first use)."""
    run_mix(base_url, static, target, rounds=1, shape=None, first=3 * rounds)
    return {
        "none": run_mix(base_url, static, target, rounds=rounds, shape=None, first=0),
        "deep": run_mix(base_url, static, target, rounds=rounds, shape="deep", first=rounds),
        "costly": run_mix(
            base_url, static, target, rounds=max(rounds // 3, 2), shape="costly", first=2 * rounds
        ),
    }


def report_hostile(mixes: dict[str, MixResult]) -> None:
    """Print normal replies' verification under each mix, with ratios to the baseline."""
    base = mixes["none"]
    print(f"\nhostile mix ({HOSTILE_PER_ROUND} hostile sources queued ahead of each normal reply):")
    print(
        f"  none:   normal reply verified p50 {base.p50:.2f} s, p99 {base.p99:.2f} s "
        f"({len(base.seconds)} replies)"
    )
    for shape in ("deep", "costly"):
        mix = mixes[shape]
        print(
            f"  {shape + ':':<7} p50 {mix.p50:.2f} s, p99 {mix.p99:.2f} s "
            f"({len(mix.seconds)} replies; ×{mix.p50 / base.p50:.1f} / ×{mix.p99 / base.p99:.1f} "
            f"the baseline) [{'PASS' if mix.p99 < TARGET_SECONDS else 'FAIL'} < "
            f"{TARGET_SECONDS:.0f} s]; slowest POST answer {mix.slowest_post_ms:.0f} ms; "
            f"{mix.too_complex}/{mix.hostile} hostile sources rejected as too complex"
        )


@click.command()
@click.option("--rounds", default=10, show_default=True, help="Normal replies per mix.")
def main(rounds: int) -> None:
    """Only this section of bench/endpoint.py: one endpoint, one static server."""
    from bench.endpoint import TARGET, make_project  # noqa: PLC0415 - that module imports this

    with tempfile.TemporaryDirectory(prefix="alusta-hostile-") as temp:
        root, static_folder = Path(temp) / "project", Path(temp) / "static"
        make_project(root)
        write_sources(static_folder, TARGET, replies=3 * rounds + 1)
        static_port, port = free_port(), free_port()
        processes = [start_static(static_folder, static_port)]
        try:
            env = endpoint_env(Path(temp) / "alusta.sqlite3")
            processes.append(start(endpoint_command(root, port), port, env=env))
            mixes = hostile_figures(
                f"http://127.0.0.1:{port}", f"http://127.0.0.1:{static_port}", TARGET, rounds
            )
        finally:
            for process in processes:
                stop(process)
    report_hostile(mixes)


if __name__ == "__main__":
    main()
