"""The first pass over an export: what becomes which file at which address.

Links inside a post may point to posts later in the file, so every address is decided
before any text is converted. Published posts and pages without a password are imported;
drafts, posts pending review and scheduled ones come along as `Status: draft` files (a
build never publishes a draft; serve shows it), with no old address, link or comment
pointing at them; everything else is counted by why it was left out. Addresses follow the new
site's layout (`/<year>/<month>/<slug>/`, `/<slug>/`); the old ones become redirects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from alusta.importing.wordpress.links import UPLOADS, LinkMap, OldSite
from alusta.importing.wordpress.wxr import Export, Item
from alusta.slugs import slugify

IMPORTED_TYPES = {"post": "article", "page": "page"}
AS_DRAFT = {"draft", "pending", "future"}  # unpublished work a writer will want to finish
NO_DATE = "0000-00-00 00:00:00"
UNDATED = "1970-01-01 00:00:00"
WP_TIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Entry:
    """A post or page that will be written: its file and address on the new site."""

    id: int
    kind: str  # "article" or "page"
    title: str
    url: str  # relative to the site's SITEURL: "2014/05/slug/" or "slug/"
    file: str  # relative to the site's content folder: "posts/2014-05-01-slug.md"
    link: str  # its old permalink
    date: datetime  # in the blog's time zone
    draft: bool = False  # written with `Status: draft`: never in a production build


@dataclass(frozen=True)
class Attachment:
    id: int
    parent: int
    relative: str  # below wp-content/uploads: "2014/05/kuva.jpg"
    url: str  # where the old site served it
    alt: str
    link: str  # its attachment page on the old site


@dataclass
class Plan:
    """Everything the first pass decided."""

    old: OldSite
    links: LinkMap
    entries: dict[int, Entry] = field(default_factory=dict)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)  # old path -> new site path
    left_out: Counter[str] = field(default_factory=Counter)
    authors: dict[str, str] = field(default_factory=dict)  # login -> display name

    def published(self) -> list[Entry]:
        """The entries that will be public pages: old addresses and links lead only there."""
        return [e for e in self.entries.values() if not e.draft]


def local_time(value: str, value_gmt: str, zone: ZoneInfo) -> datetime:
    """The blog-time moment: from the GMT field when it is set (its truth), else as written."""
    if value_gmt and value_gmt != NO_DATE:
        moment = datetime.strptime(value_gmt, WP_TIME).replace(tzinfo=UTC)
        return moment.astimezone(zone).replace(tzinfo=None)
    return datetime.strptime(value if _dated(value) else UNDATED, WP_TIME)


def _dated(value: str) -> bool:
    return bool(value) and value != NO_DATE


def entry_date(item: Item, zone: ZoneInfo) -> datetime:
    """When the post was written; for a draft WordPress never dated, its last change."""
    if not (_dated(item.date) or _dated(item.date_gmt)):
        return local_time(item.modified, item.modified_gmt, zone)
    return local_time(item.date, item.date_gmt, zone)


def left_out_reason(item: Item) -> str | None:
    """Why an item is not imported as a post or page, None when it is."""
    if item.type not in IMPORTED_TYPES:
        return item.type or "unknown"
    if item.password:
        return "password-protected"
    if item.status != "publish" and item.status not in AS_DRAFT:
        return item.status or "unknown"
    return None


def _slug(item: Item) -> str:
    return slugify(unquote(item.slug)) or slugify(item.title) or f"{item.type}-{item.id}"


def _attachment(item: Item) -> Attachment | None:
    relative = item.meta.get("_wp_attached_file", "")
    if not relative and UPLOADS in item.attachment_url:
        relative = item.attachment_url.split(UPLOADS, 1)[1]
    if not relative:
        return None
    alt = item.meta.get("_wp_attachment_image_alt", "") or item.title
    return Attachment(item.id, item.parent, relative, item.attachment_url, alt, item.link)


class Planner:
    """Reads the export once and fills a Plan (see the module docstring)."""

    def __init__(self, export: Export, zone: ZoneInfo, taken: set[str]) -> None:
        self.export, self.zone = export, zone
        self.taken = set(taken)  # addresses already decided in this import

    def run(self) -> Plan:
        entries, attachments, left_out = {}, {}, Counter()
        categories: dict[str, str] = {}
        tags: dict[str, str] = {}
        for item in self.export.items(comments=False):
            if item.type == "attachment":
                if (found := _attachment(item)) is not None:
                    attachments[item.id] = found
                continue
            reason = left_out_reason(item)
            if reason:
                left_out[reason] += 1
                continue
            entries[item.id] = entry = self._entry(item)
            if not entry.draft:  # archive addresses only for terms a published post has
                categories.update((nice, name) for name, nice in item.categories)
                tags.update((nice, name) for name, nice in item.tags)
        old = OldSite(self.export.old_site)
        plan = Plan(old, LinkMap(old), entries, attachments, left_out=left_out)
        plan.authors = dict(self.export.channel.authors)
        self._links(plan)
        self._term_links(plan, categories, tags)
        self._redirects(plan, categories, tags)
        return plan

    def _entry(self, item: Item) -> Entry:
        kind = IMPORTED_TYPES[item.type]
        date = entry_date(item, self.zone)
        slug = base = _slug(item)
        number = 1
        while (url := self._url(kind, date, slug)) in self.taken:
            number += 1
            slug = f"{base}-{number}"
        self.taken.add(url)
        file = f"posts/{date:%Y-%m-%d}-{slug}.md" if kind == "article" else f"pages/{slug}.md"
        draft = item.status != "publish"
        return Entry(item.id, kind, item.title, url, file, item.link, date, draft=draft)

    @staticmethod
    def _url(kind: str, date: datetime, slug: str) -> str:
        return f"{date:%Y}/{date:%m}/{slug}/" if kind == "article" else f"{slug}/"

    @staticmethod
    def _links(plan: Plan) -> None:
        links, base = plan.links, plan.old.url
        for entry in plan.published():
            ref = f"{{filename}}/{entry.file}"
            links.add(entry.link, ref)
            query = "p" if entry.kind == "article" else "page_id"
            links.add(f"{base}/?{query}={entry.id}", ref)
            links.add(f"{base}/?p={entry.id}", ref)
        for attachment in plan.attachments.values():
            links.add_upload(attachment.relative)
            ref = f"{{static}}/images/{attachment.relative}"
            links.add(f"{base}/?attachment_id={attachment.id}", ref)
            links.add(attachment.link, ref)

    @staticmethod
    def _term_links(plan: Plan, categories: dict[str, str], tags: dict[str, str]) -> None:
        """Archive links become Pelican's {category}/{tag}/{author} references."""
        base = plan.old.url
        for nice, name in categories.items():
            plan.links.add(f"{base}/category/{nice}/", f"{{category}}{slugify(name)}")
        for nice, name in tags.items():
            plan.links.add(f"{base}/tag/{nice}/", f"{{tag}}{slugify(name)}")
        for login, name in plan.authors.items():
            plan.links.add(f"{base}/author/{login}/", f"{{author}}{slugify(name)}")

    def _redirects(self, plan: Plan, categories: dict[str, str], tags: dict[str, str]) -> None:
        prefix, redirects = plan.old.prefix, plan.redirects

        def add(old_path: str, new: str) -> None:
            if old_path.lstrip("/") != new:
                redirects[old_path] = new

        for entry in plan.published():
            if (path := plan.old.path_of(entry.link)) is not None:
                add(path, entry.url)
            add(f"{prefix}/?{'p' if entry.kind == 'article' else 'page_id'}={entry.id}", entry.url)
        for nice, name in categories.items():
            add(f"{prefix}/category/{nice}/", f"category/{slugify(name)}/")
            add(f"{prefix}/category/{nice}/feed/", f"feeds/category/{slugify(name)}.atom.xml")
        for nice, name in tags.items():
            add(f"{prefix}/tag/{nice}/", f"tag/{slugify(name)}/")
        for login, name in plan.authors.items():
            add(f"{prefix}/author/{login}/", f"author/{slugify(name)}/")
        add(f"{prefix}/feed/", "feeds/all.atom.xml")
