"""`publish.py import wordpress`: plan, convert, stage, then move in.

Two streamed passes over the export (alusta.importing.wordpress.plan decides every address,
then each item is converted and forgotten). Files and media are written into a staging
folder under var/; only when everything is there are the responses stored (one
transaction) and the files moved into the site, so a bad file, an address that collides
with a post already there, or a media file that cannot be had changes nothing. A file the
import wrote before is left as it is (a writer may have edited it), and responses already
stored are skipped, so running the same import again adds and changes nothing.
"""

from __future__ import annotations

import shutil
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from alusta.content import site_sources
from alusta.db import connect
from alusta.feedback.config import instance_secret
from alusta.feedback.hashing import email_hash
from alusta.imported_mentions import ImportedResponse, existing_sources, import_responses
from alusta.importing.errors import ImportConflict
from alusta.importing.media import MediaFile, stage_media
from alusta.importing.wordpress.comments import CommentConverter
from alusta.importing.wordpress.plan import Plan, Planner
from alusta.importing.wordpress.posts import PostWriter
from alusta.importing.wordpress.wxr import Export
from alusta.models import MentionStatus
from alusta.redirects import Redirects, load_redirects, save_redirects
from alusta.settings import Settings
from alusta.sites import Site
from alusta.slugs import slugify

RECORD_PREFIX = "wordpress:"


@dataclass
class ImportReport:
    """What an import wrote, or with --dry-run would write."""

    site: str
    dry_run: bool
    files: list[str] = field(default_factory=list)  # relative to the content folder
    drafts: int = 0  # of those, written with `Status: draft`
    unchanged: int = 0
    media: list[str] = field(default_factory=list)
    responses: int = 0  # added (or to add)
    pending: int = 0  # of those, waiting for a moderator
    redirects: int = 0  # new old addresses
    left_out: Counter[str] = field(default_factory=Counter)


@dataclass
class _Existing:
    """What the site already has: addresses, files, categories, the import record."""

    urls: dict[str, str]  # url -> file relative to the content folder
    categories: dict[str, str]
    record: Redirects

    @classmethod
    def read(cls, site: Site) -> _Existing:
        sources = list(site_sources(site))
        urls = {
            s.url: s.path.relative_to(site.content_dir).as_posix()
            for s in sources
            if s.url and s.status != "draft"
        }
        categories = {slugify(c): c for s in sources for c in s.categories}
        return cls(urls, categories, load_redirects(site))


def _conflicts(plan: Plan, existing: _Existing, site: Site) -> None:
    ours = set(existing.record.imported.values())
    for entry in plan.entries.values():
        recorded = existing.record.imported.get(f"{RECORD_PREFIX}{entry.id}")
        if recorded and (site.content_dir / recorded).exists():
            continue
        holder = existing.urls.get(entry.url)
        if holder is None and (site.content_dir / entry.file).exists():
            holder = entry.file
        if holder is not None and holder not in ours:
            raise ImportConflict(
                f"{site.content_dir / holder} already has the address /{entry.url} that "
                f"WordPress {'post' if entry.kind == 'article' else 'page'} {entry.id} "
                f"({entry.title!r}) would get; "
                "rename or move that file (change its Slug:) and import again"
            )


class WordPressImport:
    """One import of one export into one site (see the module docstring)."""

    def __init__(
        self, settings: Settings, export: Path, *, site: Site, uploads: Path | None
    ) -> None:
        self.settings, self.site, self.uploads = settings, site, uploads
        self.export = Export(export)
        self.zone = ZoneInfo(settings.pelican.get("TIMEZONE", "Europe/Helsinki"))
        self.existing = _Existing.read(site)

    def run(self, *, dry_run: bool) -> ImportReport:
        plan = Planner(self.export, self.zone, set()).run()
        _conflicts(plan, self.existing, self.site)
        report = ImportReport(site=self.site.name, dry_run=dry_run, left_out=plan.left_out)
        staging = self.settings.var_dir / f"import-{uuid.uuid4().hex[:8]}"
        try:
            texts, responses = self._convert(plan, report, staging, dry_run)
            media = self._media(plan, report)
            redirects = self._redirects(plan, media)
            report.redirects = len(set(redirects) - set(self.existing.record.redirects))
            if dry_run:
                self._count_new(responses, report)
                return report
            stage_media(
                media,
                staging / "images",
                uploads=self.uploads,
                allow_private=self.settings.allow_private_addresses,
            )
            self._store(responses, report)
            self._move_in(staging, texts + [f"images/{m.relative}" for m in media])
            self._save_record(plan, redirects)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return report

    def _convert(
        self, plan: Plan, report: ImportReport, staging: Path, dry_run: bool
    ) -> tuple[list[str], list[ImportedResponse]]:
        writer = PostWriter(plan, dict(self.existing.categories), self.zone)
        comments = CommentConverter(self.site.name, self._email_hash(), self._new_address(plan))
        texts: list[str] = []
        responses: list[ImportedResponse] = []
        for item in self.export.items():
            entry = plan.entries.get(item.id)
            if entry is None or item.type == "attachment":
                continue
            if not entry.draft:  # a draft has no public page to answer
                responses.extend(comments.responses(item, f"{self.site.siteurl}/{entry.url}"))
            recorded = self.existing.record.imported.get(f"{RECORD_PREFIX}{entry.id}")
            if recorded and (self.site.content_dir / recorded).exists():
                report.unchanged += 1
                continue
            text = writer.text(item, entry)
            report.files.append(entry.file)
            report.drafts += entry.draft
            if not dry_run:
                path = staging / entry.file
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                texts.append(entry.file)
        return texts, responses

    def _email_hash(self):
        secret = instance_secret(self.settings)
        return lambda email: email_hash(secret, email)

    def _new_address(self, plan: Plan):
        by_key = {plan.old.key(e.link): e.url for e in plan.entries.values()}
        siteurl = self.site.siteurl

        def new_address(url: str) -> str | None:
            found = by_key.get(plan.old.key(url))
            return f"{siteurl}/{found}" if found else None

        return new_address

    def _media(self, plan: Plan, report: ImportReport) -> list[MediaFile]:
        by_relative = {a.relative: a for a in plan.attachments.values()}
        files = []
        for relative in sorted(plan.links.needed_uploads):
            if (self.site.content_dir / "images" / relative).exists():
                continue
            known = by_relative.get(relative)
            url = (
                known.url
                if known and known.url
                else f"{plan.old.url}/wp-content/uploads/{relative}"
            )
            files.append(MediaFile(relative, url, plan.links.resized.get(relative, "")))
            report.media.append(f"images/{relative}")
        return files

    def _redirects(self, plan: Plan, media: list[MediaFile]) -> dict[str, str]:
        redirects = dict(plan.redirects)
        imported = set(plan.links.needed_uploads)
        for attachment in plan.attachments.values():
            if attachment.relative in imported:
                path = plan.old.path_of(attachment.link)
                if path:
                    redirects[path] = f"images/{attachment.relative}"
        for relative in imported:
            redirects[f"{plan.old.prefix}/wp-content/uploads/{relative}"] = f"images/{relative}"
        pages = {f"/{url}" for url in self.existing.urls} | {
            f"/{e.url}" for e in plan.entries.values()
        }
        return {old: new for old, new in redirects.items() if old not in pages}

    def _count_new(self, responses: list[ImportedResponse], report: ImportReport) -> None:
        connection = connect(self.settings.database_path)
        try:
            stored = existing_sources(connection, [r.source for r in responses])
        finally:
            connection.close()
        new = [r for r in responses if r.source not in stored]
        report.responses = len(new)
        report.pending = sum(r.status == MentionStatus.PENDING for r in new)

    def _store(self, responses: list[ImportedResponse], report: ImportReport) -> None:
        connection = connect(self.settings.database_path)
        try:
            stored = existing_sources(connection, [r.source for r in responses])
            report.pending = sum(
                r.status == MentionStatus.PENDING for r in responses if r.source not in stored
            )
            report.responses = import_responses(connection, responses)
        finally:
            connection.close()

    def _move_in(self, staging: Path, relatives: list[str]) -> None:
        for relative in relatives:
            destination = self.site.content_dir / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            (staging / relative).replace(destination)

    def _save_record(self, plan: Plan, redirects: dict[str, str]) -> None:
        record = load_redirects(self.site)
        record.redirects = {**redirects, **record.redirects}
        for entry in plan.entries.values():
            record.imported.setdefault(f"{RECORD_PREFIX}{entry.id}", entry.file)
        save_redirects(self.site, record)


def import_wordpress(
    settings: Settings,
    export: Path,
    *,
    site: str | None = None,
    uploads: Path | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import a WordPress export into the main blog or the named pilot."""
    target = settings.site(site) if site else settings.main
    return WordPressImport(settings, export, site=target, uploads=uploads).run(dry_run=dry_run)
