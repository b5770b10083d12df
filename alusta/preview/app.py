"""The preview's ASGI wrapper: the event stream, the reload script, and HTML that loads it.

Only `publish.py serve` wraps its app in this; a production build never contains the
script, because it is added to each HTML response on the way out, not written to a file.
"""

from __future__ import annotations

import asyncio
import html
from pathlib import Path

from starlette.responses import Response, StreamingResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alusta.i18n.catalogs import load_translations
from alusta.preview.events import PreviewEvents

PREFIX = "/__alusta/preview/"
EVENTS_PATH = f"{PREFIX}events"
SCRIPT_PATH = f"{PREFIX}preview.js"
SCRIPT_FILE = Path(__file__).with_name("preview.js")
BODY_END = b"</body>"


def script_tag(translations_dir: Path, lang: str) -> bytes:
    """The `<script>` every served page gets, with its overlay heading in the site's language."""
    heading = load_translations(translations_dir, lang).gettext(
        "The preview could not be rebuilt; the page below is the last good one"
    )
    return (
        f'<script src="{SCRIPT_PATH}" data-events="{EVENTS_PATH}" '
        f'data-heading="{html.escape(heading)}" defer></script>'
    ).encode()


class PreviewApp:
    """Wraps the served sites: answers the preview's own paths, injects the script into HTML."""

    def __init__(self, inner: ASGIApp, events: PreviewEvents, script: bytes) -> None:
        self.inner, self.events, self.script = inner, events, script

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        self.events.loop = asyncio.get_running_loop()
        if scope["path"] == EVENTS_PATH:
            headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
            stream = StreamingResponse(
                self.events.stream(), media_type="text/event-stream", headers=headers
            )
            await stream(scope, receive, send)
        elif scope["path"] == SCRIPT_PATH:
            body = SCRIPT_FILE.read_bytes()
            await Response(body, media_type="text/javascript")(scope, receive, send)
        elif scope["method"] == "GET":
            await self.inner(scope, receive, _Injecting(send, self.script))
        else:
            await self.inner(scope, receive, send)


class _Injecting:
    """A `send` that holds an HTML response until its end and adds the script before </body>."""

    def __init__(self, send: Send, script: bytes) -> None:
        self.send, self.script = send, script
        self.start: Message | None = None
        self.body: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            if headers.get(b"content-type", b"").startswith(b"text/html"):
                self.start = message
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            self.body.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._send_injected()
            return
        await self.send(message)

    async def _send_injected(self) -> None:
        body = b"".join(self.body)
        index = body.rfind(BODY_END)
        body = body[:index] + self.script + body[index:] if index >= 0 else body + self.script
        kept = [
            (k, v)
            for k, v in self.start["headers"]
            if k not in (b"content-length", b"etag", b"last-modified")
        ]
        headers = [
            *kept,
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ]
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})
