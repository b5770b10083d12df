"""What a maintainer is told about new replies: an e-mail per batch and a webhook per reply.

In the site's language (the gettext catalogues), with each reply's author, kind, an excerpt
and the post's title, and the link to the moderation page where it is approved.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from email.message import EmailMessage
from gettext import NullTranslations

from alusta import store
from alusta.errors import ConfigError
from alusta.excerpts import excerpt
from alusta.i18n.catalogs import load_translations
from alusta.models import Mention, MentionStatus
from alusta.notify.dispatch import Webhook
from alusta.settings import Settings
from alusta.sites import Site
from alusta.terminal import clean_line

EXCERPT_CHARS = 280
MODERATION_PATH = "/moderation/"

TitleOf = Callable[[str, str], str]  # (site, target URL) -> the post's title


class MentionComposer:
    """Messages about replies to one site's posts (subject "mention")."""

    subject = "mention"

    def __init__(self, settings: Settings, *, batch_seconds: float, title_of: TitleOf) -> None:
        self.settings, self.batch_seconds, self.title_of = settings, batch_seconds, title_of

    @property
    def moderation_url(self) -> str:
        return self.settings.endpoint_url + MODERATION_PATH

    def _site(self, name: str) -> Site | None:
        try:
            return self.settings.site(name)
        except ConfigError:  # the site was removed since: nobody to tell
            return None

    def _translations(self, site: Site) -> NullTranslations:
        return load_translations(self.settings.theme_dir / "translations", site.lang)

    def email(
        self, connection: sqlite3.Connection, site: str, ids: list[int], sender: str
    ) -> EmailMessage | None:
        config = self._site(site)
        mentions = [m for m in (store.find_mention(connection, i) for i in ids) if m]
        if config is None or not config.notify_email or not mentions:
            return None
        _ = self._translations(config)
        message = EmailMessage()
        message["Subject"] = _.ngettext(
            "%(num)d new reply on %(site)s", "%(num)d new replies on %(site)s", len(mentions)
        ) % {"num": len(mentions), "site": config.title}
        message["From"] = sender
        message["To"] = ", ".join(config.notify_email)
        blocks = [self._block(_, mention) for mention in mentions]
        footer = _.gettext("Approve or reject them on the moderation page: %(url)s") % {
            "url": self.moderation_url
        }
        message.set_content("\n\n".join([*blocks, footer]) + "\n")
        return message

    def _block(self, _: NullTranslations, mention: Mention) -> str:
        entry = mention.entry
        author = clean_line(entry.author.name) if entry and entry.author.name else ""
        waiting = mention.status == MentionStatus.PENDING
        lines = [
            (_.gettext("Waiting for approval") if waiting else _.gettext("Shown")).upper(),
            _.gettext("Post: %(title)s") % {"title": self.title_of(mention.site, mention.target)},
            _.gettext("From: %(author)s") % {"author": author or mention.source},
            _.gettext("Source: %(url)s") % {"url": mention.source},
        ]
        text = excerpt(mention, EXCERPT_CHARS)
        if text:
            lines.append(f"“{text}”")
        return "\n".join(lines)

    def webhook(self, connection: sqlite3.Connection, site: str, mention_id: int) -> Webhook | None:
        config = self._site(site)
        mention = store.find_mention(connection, mention_id)
        if config is None or not config.notify_webhook or mention is None:
            return None
        return Webhook(config.notify_webhook, self.document(mention))

    def document(self, mention: Mention) -> dict[str, object]:
        """The JSON a webhook receives about one reply."""
        entry = mention.entry
        return {
            "type": "mention",
            "id": mention.id,
            "site": mention.site,
            "status": str(mention.status),
            "kind": str(entry.kind) if entry else mention.protocol,
            "author": {
                "name": entry.author.name if entry else "",
                "url": entry.author.url if entry else "",
                "photo": entry.author.photo if entry else "",
            },
            "excerpt": excerpt(mention, EXCERPT_CHARS),
            "source": mention.source,
            "target": mention.target,
            "post_title": self.title_of(mention.site, mention.target),
            "received": mention.received,
            "moderation": self.moderation_url,
        }
