"""Deleted posts for a real web server: an nginx map and Caddy lines that answer 410 Gone.

A static host serves the page `plugins/alusta_gone` leaves at a deleted post's address
with status 200; receivers then see a page without the link instead of a deletion
(Webmention §3.2.4 asks them to check for 410). After every build, `alusta.build` writes
for each site it built, from the posts `published_posts` now calls gone (the build record
says which addresses a live page took back):

- `var/gone/<site>.nginx.conf`: entries of `map $host$uri $alusta_gone`, the address
  (host and path, as nginx decodes it) → the gone page's file, which the example
  configuration (docs/examples/nginx-alusta-*.conf) serves with status 410;
- `var/gone/<site>.caddy`: a named matcher on the site's host and the gone paths and a
  `handle` that serves the same file with status 410 (docs/examples/Caddyfile imports it).

A site without gone posts gets files with only a comment, so includes never break.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from alusta.build_record import SiteBuild
from alusta.published import PublishedPost

GONE_FOLDER = "gone"  # under var/


def gone_addresses(site: SiteBuild, gone: Iterable[PublishedPost]) -> dict[str, str]:
    """{path as requested: file path} of the site's gone posts, both from the host's root;
    an address a page of this build took back is not gone."""
    live = {page.path for page in site.pages}
    base = unquote(urlsplit(site.siteurl).path.rstrip("/"))
    found = {}
    for post in gone:
        if post.save_as in live or ".." in post.save_as.split("/"):
            continue
        file = f"{base}/{post.save_as}"
        found[f"{base}/{unquote(post.path)}"] = file
        if post.path.endswith("/") or post.path == "":
            found[file] = file  # the same page asked for by its file name
    return dict(sorted(found.items()))


def nginx_entries(site: SiteBuild, addresses: dict[str, str]) -> str:
    """`map $host$uri $alusta_gone` entries: "host/path" "/file";"""
    host = _host(site)
    lines = [f"# {site.name}: deleted posts, answered 410 Gone (written by publish.py build)"]
    lines += [f"{_quoted(host + path)} {_quoted(file)};" for path, file in addresses.items()]
    return "\n".join(lines) + "\n"


def caddy_lines(site: SiteBuild, addresses: dict[str, str]) -> str:
    """A matcher on the site's host and gone paths, and a handle serving them with 410."""
    lines = [f"# {site.name}: deleted posts, answered 410 Gone (written by publish.py build)"]
    if addresses:
        matcher = f"@alusta_gone_{site.name.replace('-', '_')}"
        paths = " ".join(_quoted(path) for path in addresses)
        lines += [
            f"{matcher} {{",
            f"\thost {_host(site)}",
            f"\tpath {paths}",
            "}",
            f"handle {matcher} {{",
            "\tfile_server {",
            "\t\tstatus 410",
            "\t}",
            "}",
        ]
    return "\n".join(lines) + "\n"


def write_gone_maps(site: SiteBuild, gone: Iterable[PublishedPost], var_dir: Path) -> list[Path]:
    """Write the site's two files into var/gone/, each in one rename; their paths."""
    addresses = gone_addresses(site, gone)
    folder = var_dir / GONE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    texts = (("nginx.conf", nginx_entries), ("caddy", caddy_lines))
    for suffix, render in texts:
        path = folder / f"{site.name}.{suffix}"
        staged = path.with_name(f".{path.name}.new")
        staged.write_text(render(site, addresses), encoding="utf-8")
        staged.replace(path)
        written.append(path)
    return written


def _host(site: SiteBuild) -> str:
    return (urlsplit(site.siteurl).hostname or "").lower()


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
