"""Which old address is which new one: posts, pages, attachments and upload files.

A link to the old blog may be written in many forms: the permalink (with or without the
host, `www.` or `http:`), `?p=ID`, `?page_id=ID`, `?attachment_id=ID`, an attachment page,
or a file under `wp-content/uploads/` (often a resized copy `name-300x200.jpg`). `OldSite`
recognises an address as the old blog's and names its path; `LinkMap` turns that path into
a Pelican reference (`{filename}/posts/…`, `{static}/images/…`) a writer can keep editing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

UPLOADS = "/wp-content/uploads/"
RESIZED = re.compile(r"^(?P<stem>.+)-\d+x\d+(?P<suffix>\.\w+)$")
ID_QUERIES = ("p", "page_id", "attachment_id")


def _host(host: str) -> str:
    return host.lower().removeprefix("www.")


@dataclass(frozen=True)
class OldSite:
    """The old blog's address, e.g. https://old.example or https://old.example/blog."""

    url: str

    @property
    def host(self) -> str:
        return _host(urlsplit(self.url).hostname or "")

    @property
    def prefix(self) -> str:
        """The blog's folder on its host: '' or '/blog'."""
        return urlsplit(self.url).path.rstrip("/")

    def path_of(self, url: str) -> str | None:
        """The old-site path of `url` ('/2014/05/x/', '/?p=12'), None if it is elsewhere."""
        parts = urlsplit(url.strip())
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        if parts.netloc and _host(parts.hostname or "") != self.host:
            return None
        if not parts.netloc and not parts.path.startswith("/"):
            return None
        path = unquote(parts.path) or "/"
        if not path.startswith(self.prefix + "/") and path != self.prefix:
            return None
        return path + (f"?{parts.query}" if parts.query else "")

    def key(self, url: str) -> str | None:
        """A comparable form: path below the blog's folder, no trailing slash, lower case."""
        path = self.path_of(url)
        if path is None:
            return None
        path, _, query = path.partition("?")
        path = path[len(self.prefix) :].rstrip("/").lower()
        ids = parse_qs(query)
        for name in ID_QUERIES:
            if ids.get(name, [""])[0].isdigit():
                return f"?{name}={int(ids[name][0])}"
        return path or "/"


@dataclass
class LinkMap:
    """Old paths to new references, filled while planning and read while converting."""

    old: OldSite
    refs: dict[str, str] = field(default_factory=dict)  # OldSite.key -> {filename}/… or {static}/…
    uploads: dict[str, str] = field(default_factory=dict)  # known upload rel path -> rel path
    needed_uploads: set[str] = field(default_factory=set)  # filled by resolve()
    resized: dict[str, str] = field(default_factory=dict)  # original -> a resized copy named

    def add(self, url: str, ref: str) -> None:
        key = self.old.key(url)
        if key is not None:
            self.refs[key] = ref

    def add_upload(self, relative: str) -> None:
        self.uploads[relative.lower()] = relative

    def upload_of(self, url: str) -> str | None:
        """The original upload a file URL names: WordPress keeps the original beside every
        resized copy (`name-300x200.jpg`), and the image pipeline makes our own sizes."""
        path = self.old.path_of(url)
        if path is None or UPLOADS not in path:
            return None
        relative = path.split("?", 1)[0].split(UPLOADS, 1)[1]
        if relative.lower() in self.uploads:
            return self.uploads[relative.lower()]
        resized = RESIZED.match(relative)
        if resized is None:
            return relative
        original = f"{resized['stem']}{resized['suffix']}"
        self.resized.setdefault(original, relative)  # the copy to use if the original is lost
        return self.uploads.get(original.lower(), original)

    def resolve(self, url: str) -> str | None:
        """The new reference for a link to the old site; None when it is not one we know."""
        upload = self.upload_of(url)
        if upload is not None:
            self.needed_uploads.add(upload)
            return f"{{static}}/images/{upload}"
        key = self.old.key(url)
        if key is None:
            return None
        fragment = urlsplit(url).fragment
        ref = self.refs.get(key)
        if ref and fragment and ref.startswith("{filename}"):
            return f"{ref}#{fragment}"
        return ref
