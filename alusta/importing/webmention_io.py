"""`publish.py import webmention-io`: the history webmention.io kept for the old site.

webmention.io exports a site's mentions as a JF2 feed (`/api/mentions.jf2?domain=…&token=…
&per-page=…`): a `children` list of entries with `wm-source`, `wm-target`, `wm-property`,
`wm-received`, `wm-private`, an author card and content. Each entry becomes a response on
its post: a target that names an old address is mapped through the site's
content/redirects.toml, one on the site's own address is kept; the kind comes from
`wm-property`; private entries (`wm-private`) are never imported. All entries are stored
in one transaction, and entries already stored are skipped, so a second run changes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from alusta.content import site_sources
from alusta.db import connect
from alusta.imported_mentions import ImportedResponse, existing_sources, import_responses
from alusta.importing.errors import ImportFileError
from alusta.importing.wordpress.markdown import plain_text
from alusta.models import MentionKind, MentionStatus, kind_of_property
from alusta.redirects import request_target
from alusta.responses.model import safe_url
from alusta.sanitize import sanitize_html
from alusta.settings import Settings
from alusta.sites import Site

MAX_TEXT_CHARS = 2000


@dataclass
class WebmentionIoReport:
    site: str
    dry_run: bool
    responses: int = 0  # added (or to add)
    left_out: Counter[str] = field(default_factory=Counter)


def _entries(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ImportFileError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"{path}: cannot be read as UTF-8 text ({error})") from error
    children = data.get("children") if isinstance(data, dict) else None
    if not isinstance(children, list):
        raise ImportFileError(
            f'{path}: not a webmention.io JF2 export (no "children" list of mentions)'
        )
    return [entry for entry in children if isinstance(entry, dict)]


class _Targets:
    """Old or current addresses of the site's pages, as their new absolute URLs."""

    def __init__(self, site: Site) -> None:
        self.site = site
        prefix = urlsplit(site.siteurl).path.rstrip("/")
        self.pages = {f"{prefix}/{s.url}" for s in site_sources(site) if s.url}

    def new_url(self, target: str) -> str | None:
        moved = request_target(self.site, target)
        if moved is not None:
            return moved
        path = urlsplit(target).path
        if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            path += "/"
        if path not in self.pages:
            return None
        base = urlsplit(self.site.siteurl)
        return f"{base.scheme}://{base.netloc}{path}"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _response(entry: dict, site: Site, target: str) -> ImportedResponse | None:
    source = safe_url(_text(entry.get("wm-source")) or _text(entry.get("url")))
    if not source:
        return None
    kind = kind_of_property(_text(entry.get("wm-property"))) or MentionKind.MENTION
    pingback = entry.get("wm-protocol") == "pingback"
    author = entry.get("author") if isinstance(entry.get("author"), dict) else {}
    content = entry.get("content") if isinstance(entry.get("content"), dict) else {}
    html = sanitize_html(_text(content.get("html")), base_url=source)
    text = _text(content.get("text")) or plain_text(html)
    received = _text(entry.get("wm-received")) or _text(entry.get("published"))
    return ImportedResponse(
        source=source,
        target=target,
        site=site.name,
        protocol="pingback" if pingback else "webmention",
        status=MentionStatus.APPROVED,
        kind=MentionKind.PINGBACK if pingback else kind,
        received=received,
        published=_text(entry.get("published")),
        author_name=_text(author.get("name")),
        author_url=safe_url(_text(author.get("url"))),
        author_photo=safe_url(_text(author.get("photo"))),
        name=unescape(_text(entry.get("name"))),
        title=unescape(_text(entry.get("name"))),
        content_html=html,
        content_text=" ".join(text.split())[:MAX_TEXT_CHARS],
        reason="imported from webmention.io",
    )


def _convert(entries: list[dict], site: Site, report: WebmentionIoReport) -> list[ImportedResponse]:
    targets, found = _Targets(site), []
    for entry in entries:
        if entry.get("wm-private"):
            report.left_out["private"] += 1
            continue
        target = targets.new_url(_text(entry.get("wm-target")))
        response = _response(entry, site, target) if target else None
        if response is None:
            report.left_out["no page of the site" if not target else "no source"] += 1
            continue
        found.append(response)
    return found


def import_webmention_io(
    settings: Settings, export: Path, *, site: str | None = None, dry_run: bool = False
) -> WebmentionIoReport:
    """Import a webmention.io JF2 export into the main blog or the named pilot."""
    target_site = settings.site(site) if site else settings.main
    report = WebmentionIoReport(site=target_site.name, dry_run=dry_run)
    responses = _convert(_entries(export), target_site, report)
    if dry_run and not settings.database_path.exists():
        report.responses = len(responses)
        return report
    connection = connect(settings.database_path)
    try:
        if dry_run:
            stored = existing_sources(connection, [r.source for r in responses])
            report.responses = sum(r.source not in stored for r in responses)
        else:
            report.responses = import_responses(connection, responses)
    finally:
        connection.close()
    return report
