"""A mention request as the store tests and the queue tests make them."""

from __future__ import annotations

from alusta.models import MentionRequest

NOW = 1_800_000_000.0
TARGET = "https://alusta.example/posts/hello.html"


def request(source: str = "https://blog.example/reply", target: str = TARGET) -> MentionRequest:
    return MentionRequest(source=source, target=target, site="main")
