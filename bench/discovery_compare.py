"""Compare webmention senders on the same discovery scenarios (issue 6's library evaluation).

Run: .venv/bin/python bench/discovery_compare.py

Each scenario in tests/data/discovery/ is served by a real HTTP server on 127.0.0.1; each
sender is asked to notify the scenario's target, and the server records which endpoint got
the POST (path and query string) and whether it was a form-encoded Webmention or an XML-RPC
pingback. A sender passes a case when exactly the expected endpoint received exactly one
notification of the expected kind. The libraries are exercised only against loopback
servers here: they use `requests` without any address checks, so Alusta never lets them
fetch anything in the product.
"""

from __future__ import annotations

import asyncio
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from send_servers import Scenario, TargetServer, load_scenarios  # noqa: E402

from alusta.send.client import SendClient  # noqa: E402
from alusta.send.notify import send_one  # noqa: E402

try:  # the compared libraries: pip install -e '.[compare]'
    import ronkyuu
    from webmentiontools.send import WebmentionSend
except ImportError as missing:
    message = f"{missing}: install the compared libraries with pip install -e '.[compare]'"
    raise SystemExit(message) from missing

TIMEOUT_SECONDS = 5


def send_with_webmentiontools(source: str, target: str) -> None:
    WebmentionSend(source, target).send(timeout=TIMEOUT_SECONDS)


def send_with_ronkyuu(source: str, target: str) -> None:
    ronkyuu.sendWebmention(source, target, test_urls=False, timeout=TIMEOUT_SECONDS)


def send_with_alusta(source: str, target: str) -> None:
    asyncio.run(send_one(source, target, SendClient(allow_private=True)))


SENDERS: dict[str, Callable[[str, str], None]] = {
    "webmention-tools": send_with_webmentiontools,
    "ronkyuu": send_with_ronkyuu,
    "alusta": send_with_alusta,
}


def observed(server: TargetServer) -> str:
    """What the server received, in the scenario files' `expect` notation."""
    posts = server.posted()
    if not posts:
        return "none"
    if len(posts) > 1:
        return f"{len(posts)} posts"
    post = posts[0]
    if "xml" in post.content_type and b"pingback.ping" in post.body:
        return f"pingback {post.path}"
    if post.form.get("target") and post.form.get("source"):
        return f"webmention {post.path}"
    return f"unknown POST {post.path}"


def run_case(scenario: Scenario, send: Callable[[str, str], None]) -> tuple[bool, str]:
    with TargetServer() as server:
        target = server.add_scenario(scenario)
        try:
            send(server.url("/source"), target)
        except Exception as error:
            return False, f"raised {type(error).__name__}: {error}"[:60]
        got = observed(server)
    return got == scenario.expect, got


def main() -> int:
    warnings.simplefilter("ignore")  # the libraries' verify=False warnings
    scenarios = load_scenarios()
    names = list(SENDERS)
    width = max(len(s.name) for s in scenarios)
    print(f"{'case':<{width}}  " + "  ".join(f"{n:<16}" for n in names))
    failures: dict[str, list[str]] = {n: [] for n in names}
    for scenario in scenarios:
        cells = []
        for name in names:
            ok, got = run_case(scenario, SENDERS[name])
            cells.append(f"{'pass' if ok else 'FAIL':<16}")
            if not ok:
                failures[name].append(f"{scenario.name}: expected {scenario.expect!r}, got {got!r}")
        print(f"{scenario.name:<{width}}  " + "  ".join(cells))
    print()
    for name in names:
        passed = len(scenarios) - len(failures[name])
        print(f"{name}: {passed}/{len(scenarios)} passed")
        for line in failures[name]:
            print(f"  - {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
