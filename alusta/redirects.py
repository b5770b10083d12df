"""Old addresses that keep working: `content/redirects.toml` of each site.

An import writes the file; `build` leaves a redirect page at every old path (meta refresh,
canonical link, noindex) for plain static hosting and writes an nginx `map` and Caddy
`redir` lines for real 301s; `serve` answers old paths with 301. Old paths are written as
the old site's visitors asked for them (`/2014/05/vanha-osoite/`, `/?p=12`); new ones are
relative to the site's address, like the posts' own URLs. The `[imported]` table records
which file came from which imported item, so a second import changes nothing.
"""

from __future__ import annotations

import html
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from alusta.errors import ConfigError
from alusta.sites import Site

REDIRECTS_FILE = "redirects.toml"
QUERY_IDS = ("p", "page_id", "attachment_id", "cat", "tag", "author")
HEADER = (
    "# Old addresses of this site and where they lead now (relative to the site's address).\n"
    "# Written by `publish.py import`; `build` and `serve` read it (docs/migrating.md).\n"
)
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{url}</title>
<meta name="robots" content="noindex"><link rel="canonical" href="{url}">
<meta http-equiv="refresh" content="0; url={url}"></head>
<body><p><a href="{url}">{url}</a></p></body></html>
"""


@dataclass
class Redirects:
    """One site's redirect table and import record."""

    redirects: dict[str, str] = field(default_factory=dict)  # old path -> new site path
    imported: dict[str, str] = field(default_factory=dict)  # "wordpress:12" -> content file

    def target(self, path: str, query: str = "") -> str | None:
        """The new site path for a request to an old `path` (with its query string)."""
        if query:
            ids = parse_qs(query)
            for name in QUERY_IDS:
                if name in ids:
                    found = self.redirects.get(f"{path}?{name}={ids[name][0]}")
                    if found is not None:
                        return found
        path = unquote(path)
        found = self.redirects.get(path)
        if found is None and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            found = self.redirects.get(path + "/")
        return found


def redirects_path(site: Site) -> Path:
    return site.content_dir / REDIRECTS_FILE


def load_redirects(site: Site) -> Redirects:
    """The site's table; an empty one when the site has no file."""
    path = redirects_path(site)
    if not path.is_file():
        return Redirects()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error
    tables = [data.get(name, {}) for name in ("redirects", "imported")]
    for name, table in zip(("redirects", "imported"), tables, strict=True):
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ConfigError(f"{path}: [{name}] must map text in quotes to text in quotes")
    return Redirects(redirects=tables[0], imported=tables[1])


def _toml_table(name: str, table: dict[str, str]) -> str:
    lines = [f"[{name}]"]
    lines += [
        f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v, ensure_ascii=False)}"
        for k, v in sorted(table.items())
    ]
    return "\n".join(lines) + "\n"


def render_redirects(redirects: Redirects) -> str:
    """The file's text (TOML basic strings are JSON strings without `\\/`)."""
    tables = [_toml_table("redirects", redirects.redirects)]
    if redirects.imported:
        tables.append(_toml_table("imported", redirects.imported))
    return HEADER + "\n" + "\n".join(tables)


def save_redirects(site: Site, redirects: Redirects) -> None:
    """Write the file in one rename, so a reader never sees half of it."""
    path = redirects_path(site)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.new")
    staged.write_text(render_redirects(redirects), encoding="utf-8")
    staged.replace(path)


def new_url(site: Site, target: str) -> str:
    """The absolute new address of a site path."""
    if target.startswith(("http://", "https://")):
        return target
    return f"{site.siteurl}/{target.lstrip('/')}"


def write_redirect_pages(site: Site, output: Path) -> int:
    """A redirect page at every old path that is not a page of the site; returns how many."""
    written = 0
    for old, target in load_redirects(site).redirects.items():
        if "?" in old or ".." in old:
            continue  # query forms need a server: nginx, Caddy or serve
        relative = old.lstrip("/")
        file = output / relative / "index.html" if old.endswith("/") else output / relative
        if file.exists() or not file.resolve().is_relative_to(output.resolve()):
            continue
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(PAGE.format(url=html.escape(new_url(site, target))), encoding="utf-8")
        written += 1
    return written


def nginx_map(site: Site) -> str:
    """`map $request_uri $alusta_redirect` entries (docs/operating.md includes them)."""
    lines = [f"# {site.name}: old addresses → new (generated by publish.py build)"]
    for old, target in sorted(load_redirects(site).redirects.items()):
        url = _quoted(new_url(site, target))
        raw = quote(old, safe="/?=&-_.~")  # $request_uri is what the browser sent, encoded
        lines.append(f"{_quoted(raw)} {url};")
        if raw.endswith("/") and "?" not in raw:
            lines.append(f"{_quoted(raw.rstrip('/'))} {url};")
    return "\n".join(lines) + "\n"


def caddy_redirects(site: Site) -> str:
    """Caddy `redir` lines, query forms through named `query` matchers."""
    lines = [f"# {site.name}: old addresses → new (generated by publish.py build)"]
    for number, (old, target) in enumerate(sorted(load_redirects(site).redirects.items())):
        url = new_url(site, target)
        path, _, query = old.partition("?")
        if query:
            name, _, value = query.partition("=")
            lines.append(f"@old{number} {{\n\tpath {path}\n\tquery {name}={value}\n}}")
            lines.append(f"redir @old{number} {url} 301")
        else:
            lines.append(f"redir {_caddy_path(old)} {url} 301")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _caddy_path(path: str) -> str:
    return path.replace(" ", "%20")


def server_configs(site: Site, folder: Path) -> list[Path]:
    """Write the site's nginx map and Caddy file into `folder` (var/redirects/)."""
    if not load_redirects(site).redirects:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in (("nginx.conf", nginx_map(site)), ("caddy", caddy_redirects(site))):
        path = folder / f"{site.name}.{suffix}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def request_target(site: Site, url: str) -> str | None:
    """Where a full request URL of the old site now lives (webmention.io targets)."""
    parts = urlsplit(url)
    found = load_redirects(site).target(parts.path or "/", parts.query)
    return new_url(site, found) if found is not None else None
