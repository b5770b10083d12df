"""Every setting Alusta reads, declared once with its default and help text.

Environment variables (`ALUSTA_*`, ENV_SETTINGS) and the keys of pelicanconf.py besides
Pelican's own (PELICANCONF_KEYS); the README's tables and tests/test_docs.py read these.
"""

from __future__ import annotations

from dataclasses import dataclass

ENV_PREFIX = "ALUSTA_"
DEFAULT_DATABASE = "var/alusta.sqlite3"
DEFAULT_OUTPUT = "output"
DEFAULT_TRANSLATIONS_DIR = "theme/translations"


@dataclass(frozen=True)
class EnvSetting:
    """A setting that may come from the environment, documented in one place."""

    name: str
    default: str
    help: str

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.name


ENV_SETTINGS: tuple[EnvSetting, ...] = (
    EnvSetting(
        "ALLOW_PRIVATE_ADDRESSES",
        "0",
        "1 lets the endpoint and sender fetch loopback/private addresses (local work).",
    ),
    EnvSetting("ADMIN_TOKEN", "", "Bearer token that unlocks moderation data in the HTTP API."),
    EnvSetting(
        "MODERATOR_TOKENS",
        "",
        "Per-site tokens for the moderation page, 'site:token,site:token': each sees and "
        "moderates its own site only (the admin token sees every site).",
    ),
    EnvSetting(
        "SECRET",
        "",
        "Secret for signing form timestamps and moderation sessions and salting IP hashes.",
    ),
    EnvSetting("DATABASE", "", "Path of the SQLite database (default var/alusta.sqlite3)."),
    EnvSetting("ENDPOINT_URL", "", "Public base URL of the endpoint (default: main SITEURL)."),
    EnvSetting("OUTPUT", "", "Folder the main site is built into (default output/)."),
    EnvSetting(
        "S3_ENDPOINT_URL",
        "",
        "Endpoint of an S3-compatible host that is not AWS, for s3:// deploy targets "
        "written in the sites' config (--endpoint-url overrides).",
    ),
    EnvSetting(
        "RATE_LIMIT_PER_MINUTE",
        "30",
        "Webmentions/pingbacks one client IP may send per minute (burst: the same).",
    ),
    EnvSetting(
        "SOURCE_RATE_LIMIT_PER_MINUTE",
        "60",
        "Webmentions/pingbacks naming sources on one host accepted per minute.",
    ),
    EnvSetting(
        "READ_RATE_LIMIT_PER_MINUTE",
        "120",
        "GET requests (the JF2 API) one client may send per minute (burst: the same).",
    ),
    EnvSetting(
        "TRUSTED_PROXIES",
        "",
        "Addresses or networks of reverse proxies whose X-Forwarded-For names the client, "
        "comma-separated (e.g. 127.0.0.1,10.0.0.0/24); empty: the peer is the client.",
    ),
    EnvSetting(
        "VERIFY_RETRY_DELAYS_SECONDS",
        "10,60,300,1800",
        "Seconds between verification attempts of a source that failed with a network error, "
        "a timeout or a 5xx, comma-separated; after the last, the failure is final.",
    ),
    EnvSetting(
        "VERIFY_NOT_FOUND_DELAYS_SECONDS",
        "60,300,600,900",
        "Seconds between verification attempts of a source that answered 404 (a sender may "
        "send before the page is deployed), comma-separated; after the last, it is rejected.",
    ),
    EnvSetting(
        "MENTIONS_URL",
        "",
        "Base URL of an endpoint whose GET /mentions the build reads responses from "
        "(a build away from the database); empty: read the SQLite file.",
    ),
    # Feedback forms (typed into Settings.feedback, a FeedbackSettings).
    EnvSetting(
        "FEEDBACK_RATE_LIMIT_PER_MINUTE",
        "10",
        "Feedback forms one client may send per minute (burst: the same).",
    ),
    EnvSetting(
        "FEEDBACK_MIN_FILL_SECONDS",
        "3",
        "Quicker submissions carrying the signed timestamp are refused as automated.",
    ),
    EnvSetting(
        "NOTIFY_BATCH_MINUTES",
        "10",
        "Mails about new replies: the first goes at once, later ones wait and go together, "
        "at most one per site this often.",
    ),
    EnvSetting("SMTP_HOST", "", "Mail server for feedback notifications (none: no email)."),
    EnvSetting("SMTP_PORT", "587", "Port of the mail server."),
    EnvSetting("SMTP_USER", "", "User name for the mail server (empty: no login)."),
    EnvSetting("SMTP_PASSWORD", "", "Password for the mail server."),
    EnvSetting("SMTP_FROM", "", "Sender address of notification emails."),
    EnvSetting("SMTP_STARTTLS", "1", "1 upgrades the SMTP connection with STARTTLS."),
)


@dataclass(frozen=True)
class ConfKey:
    """A key of pelicanconf.py that Alusta reads (besides Pelican's own), with its help."""

    name: str
    default: str
    help: str


PELICANCONF_KEYS: tuple[ConfKey, ...] = (
    ConfKey("ALUSTA_SITE", "{}", "The main site's settings: the pilot.toml keys as a dict."),
    ConfKey("ALUSTA_DATABASE", DEFAULT_DATABASE, "The SQLite file (ALUSTA_DATABASE overrides)."),
    ConfKey("ALUSTA_ENDPOINT_URL", "", "Public base URL of the endpoint; empty: SITEURL."),
    ConfKey(
        "ALUSTA_MENTIONS_URL", "", "Endpoint whose /mentions API a build reads; empty: SQLite."
    ),
    ConfKey(
        "ALUSTA_I18N",
        "{}",
        'Plugin alusta_i18n: {"translations_dir": "..."}; default the theme\'s translations/.',
    ),
)
