"""Retention and erasure: submissions older than their form's retention period go away,
and one person's submissions can be removed on request (GDPR art. 17).

`purge_expired` runs on every `publish.py build` and `feedback` command and periodically in
the endpoint; a form whose file was removed keeps the default retention period.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass, field

from alusta.db import connect
from alusta.feedback import store
from alusta.feedback.definitions import site_forms
from alusta.feedback.models import DEFAULT_RETENTION_DAYS, FormDefinitionError
from alusta.settings import Settings

LOG = logging.getLogger("alusta.feedback")


@dataclass
class PurgeReport:
    removed: int = 0
    skipped: list[str] = field(default_factory=list)  # sites whose forms could not be read


def retention_days(settings: Settings) -> tuple[dict[tuple[str, str], int], list[str]]:
    """{(site, form): days} of every readable form, and the sites whose forms are broken."""
    days, broken = {}, []
    for site in settings.sites:
        try:
            forms = site_forms(site)
        except FormDefinitionError:
            broken.append(site.name)
            continue
        days.update({(site.name, name): f.retention_days for name, f in forms.items()})
    return days, broken


def purge_expired(
    connection: sqlite3.Connection,
    settings: Settings,
    *,
    now: float | None = None,
    dry_run: bool = False,
) -> PurgeReport:
    """Delete every submission past its retention (with `dry_run`, only count them); sites
    with broken form files wait."""
    days, broken = retention_days(settings)
    known_sites = {s.name for s in settings.sites}
    plan = []
    for site, form in store.forms_with_rows(connection):
        if site in broken:
            continue
        if site not in known_sites:
            LOG.warning(
                "feedback: submissions of unknown site %r kept %d days",
                site,
                DEFAULT_RETENTION_DAYS,
            )
        plan.append((site, form, days.get((site, form), DEFAULT_RETENTION_DAYS)))
    removed = store.purge_older(
        connection, plan, now=time.time() if now is None else now, dry_run=dry_run
    )
    for site in broken if not dry_run else ():
        LOG.warning("feedback: forms of %s have errors; its old submissions were not purged", site)
    return PurgeReport(removed=removed, skipped=broken)


def delete_email(connection: sqlite3.Connection, email: str, *, site: str | None = None) -> int:
    """Remove one person's submissions (every site unless `site`); how many were removed."""
    return store.delete_by_email(connection, email, site=site)


def count_email(connection: sqlite3.Connection, email: str, *, site: str | None = None) -> int:
    """How many submissions `delete_email` would remove."""
    return store.count_by_email(connection, email, site=site)


def purge_database(settings: Settings) -> PurgeReport:
    """purge_expired on the configured database, if there is one yet (build and CLI runs)."""
    if not settings.database_path.is_file():
        return PurgeReport()
    connection = connect(settings.database_path)
    try:
        return purge_expired(connection, settings)
    finally:
        connection.close()
