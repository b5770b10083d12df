"""One frozen Settings for the build, the endpoint and every job.

The main site is described by `pelicanconf.py` (plain constants), each pilot by its
`pilots/<slug>/pilot.toml`; secrets and machine-specific switches come from environment
variables, and only this module reads the environment.
"""

from __future__ import annotations

import ipaddress
import os
import runpy
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from alusta.errors import ConfigError
from alusta.sites import Site, load_main_site, load_pilots

ENV_PREFIX = "ALUSTA_"
DEFAULT_DATABASE = "var/alusta.sqlite3"
DEFAULT_OUTPUT = "output"
DEFAULT_TRANSLATIONS_DIR = "theme/translations"
MIN_TOKEN_CHARS = 16  # a moderator token is a password: long enough not to be guessed


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


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server feedback notifications go through (ALUSTA_SMTP_*)."""

    host: str
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = "alusta@localhost"
    starttls: bool = True


@dataclass(frozen=True)
class FeedbackSettings:
    """Feedback forms' guard and notifications (ALUSTA_FEEDBACK_*, ALUSTA_SMTP_*)."""

    rate_limit_per_minute: int = 10
    min_fill_seconds: float = 3
    smtp: SmtpSettings | None = None  # None: no email notifications


def env_value(name: str, environ: dict[str, str] | None = None) -> str:
    """The value of one documented environment setting, or its default."""
    environ = os.environ if environ is None else environ
    setting = next(s for s in ENV_SETTINGS if s.name == name)
    return environ.get(setting.env_name, setting.default)


PREVIEW_FOLDER = "serve"


@dataclass(frozen=True)
class Settings:
    """Everything the jobs need to know, built once and passed down explicitly."""

    root: Path
    sites: tuple[Site, ...]
    output_dir: Path
    var_dir: Path
    database_path: Path
    theme_dir: Path
    plugins_dir: Path
    translations_dir: Path  # the gettext catalogues the theme and the endpoint speak from
    pelican: dict = field(repr=False, hash=False, compare=False)
    endpoint_url: str = ""
    allow_private_addresses: bool = False
    admin_token: str = ""
    moderator_tokens: tuple[tuple[str, str], ...] = ()  # (site, token): the moderation page
    secret: str = ""
    development: bool = False
    rate_limit_per_minute: int = 30
    source_rate_limit_per_minute: int = 60
    read_rate_limit_per_minute: int = 120  # GET routes (alusta.web.guard.Scope.READ)
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    verify_retry_delays_seconds: tuple[float, ...] = (10.0, 60.0, 300.0, 1800.0)
    verify_not_found_delays_seconds: tuple[float, ...] = (60.0, 300.0, 600.0, 900.0)
    mentions_url: str = ""  # build reads responses from this endpoint's API, not SQLite
    s3_endpoint_url: str = ""  # for s3:// targets written in the sites' config
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)
    notify_batch_minutes: int = 10  # at most one mail about replies per site this often

    def site(self, name: str) -> Site:
        """The site called `name`; a ConfigError lists the known names otherwise."""
        for site in self.sites:
            if site.name == name:
                return site
        known = ", ".join(s.name for s in self.sites)
        raise ConfigError(f"unknown site {name!r} (known sites: {known})")

    @property
    def main(self) -> Site:
        return self.sites[0]

    def site_output(self, site: Site) -> Path:
        """The folder one site is built into."""
        if site.output:
            return (self.root / site.output).resolve()
        if site.is_main:
            return self.output_dir
        return self.output_dir / "pilots" / site.name

    def with_siteurl(self, base_url: str) -> Settings:
        """The same settings with every site moved under `base_url` (serve, previews)."""
        base = base_url.rstrip("/")
        sites = tuple(
            replace(s, siteurl=base if s.is_main else f"{base}/pilots/{s.name}", output="")
            for s in self.sites
        )
        endpoint = base
        return replace(self, sites=sites, endpoint_url=endpoint)

    def for_preview(self, base_url: str) -> Settings:
        """`publish.py serve`: sites under `base_url`, built into var/serve/ with its own records.

        A production `build`, `send` or `deploy` reads output/ and var/; a running serve never
        writes there, so the two never step on each other.
        """
        folder = self.var_dir / PREVIEW_FOLDER
        moved = self.with_siteurl(base_url)
        return replace(moved, output_dir=folder / "output", var_dir=folder)


def load_settings(
    root: Path | str | None = None,
    *,
    environ: dict[str, str] | None = None,
    development: bool = False,
) -> Settings:
    """Read pelicanconf.py, the pilot configs and the environment into one Settings."""
    root = Path(root or Path.cwd()).resolve()
    conf_path = root / "pelicanconf.py"
    if not conf_path.is_file():
        raise ConfigError(f"{conf_path}: not found (run alusta from the project folder)")
    pelican = {k: v for k, v in runpy.run_path(str(conf_path)).items() if k.isupper()}
    main = load_main_site(pelican, root)
    sites = (main, *load_pilots(root / "pilots", main))

    def env(name: str) -> str:
        return env_value(name, environ)

    var_dir = root / "var"
    database = env("DATABASE") or pelican.get("ALUSTA_DATABASE", DEFAULT_DATABASE)
    output = env("OUTPUT") or pelican.get("OUTPUT_PATH", DEFAULT_OUTPUT)
    return Settings(
        root=root,
        sites=sites,
        output_dir=(root / output).resolve(),
        var_dir=var_dir,
        database_path=(root / database).resolve(),
        theme_dir=root / "theme",
        plugins_dir=root / "plugins",
        translations_dir=root / _translations(pelican),
        pelican=pelican,
        endpoint_url=(
            env("ENDPOINT_URL") or pelican.get("ALUSTA_ENDPOINT_URL") or main.siteurl
        ).rstrip("/"),
        allow_private_addresses=development or env("ALLOW_PRIVATE_ADDRESSES") == "1",
        admin_token=env("ADMIN_TOKEN"),
        moderator_tokens=_moderator_tokens(env("MODERATOR_TOKENS"), sites),
        secret=env("SECRET"),
        development=development,
        rate_limit_per_minute=_positive_int(env, "RATE_LIMIT_PER_MINUTE"),
        source_rate_limit_per_minute=_positive_int(env, "SOURCE_RATE_LIMIT_PER_MINUTE"),
        read_rate_limit_per_minute=_positive_int(env, "READ_RATE_LIMIT_PER_MINUTE"),
        trusted_proxies=_networks(env, "TRUSTED_PROXIES"),
        notify_batch_minutes=_positive_int(env, "NOTIFY_BATCH_MINUTES"),
        verify_retry_delays_seconds=_delays(env, "VERIFY_RETRY_DELAYS_SECONDS"),
        verify_not_found_delays_seconds=_delays(env, "VERIFY_NOT_FOUND_DELAYS_SECONDS"),
        mentions_url=(env("MENTIONS_URL") or pelican.get("ALUSTA_MENTIONS_URL") or "").rstrip("/"),
        s3_endpoint_url=env("S3_ENDPOINT_URL"),
        feedback=_feedback(env),
    )


def _translations(pelican: dict) -> str:
    """ALUSTA_I18N["translations_dir"] (relative to the project), else the theme's."""
    configured = (pelican.get("ALUSTA_I18N") or {}).get("translations_dir")
    return str(configured or DEFAULT_TRANSLATIONS_DIR)


def _moderator_tokens(value: str, sites: tuple[Site, ...]) -> tuple[tuple[str, str], ...]:
    """'site:token,…' as (site, token) pairs; a ConfigError names the part that is wrong."""
    pairs = []
    names = {s.name for s in sites}
    for part in filter(None, (p.strip() for p in value.split(","))):
        site, _, token = part.partition(":")
        if site not in names:
            raise ConfigError(f"{ENV_PREFIX}MODERATOR_TOKENS: {site!r} is not a site")
        if len(token) < MIN_TOKEN_CHARS:
            raise ConfigError(
                f"{ENV_PREFIX}MODERATOR_TOKENS: the token of {site} is shorter than "
                f"{MIN_TOKEN_CHARS} characters"
            )
        pairs.append((site, token))
    return tuple(pairs)


def _feedback(env: Callable[[str], str]) -> FeedbackSettings:
    """The feedback settings; no SMTP host means no email notifications."""
    smtp = None
    if env("SMTP_HOST"):
        smtp = SmtpSettings(
            host=env("SMTP_HOST"),
            port=_whole_number(env, "SMTP_PORT"),
            user=env("SMTP_USER"),
            password=env("SMTP_PASSWORD"),
            sender=env("SMTP_FROM") or SmtpSettings.sender,
            starttls=env("SMTP_STARTTLS") == "1",
        )
    return FeedbackSettings(
        rate_limit_per_minute=max(1, _whole_number(env, "FEEDBACK_RATE_LIMIT_PER_MINUTE")),
        min_fill_seconds=_whole_number(env, "FEEDBACK_MIN_FILL_SECONDS"),
        smtp=smtp,
    )


def _whole_number(env: Callable[[str], str], name: str) -> int:
    """An environment setting that must be a whole number (0 or more)."""
    value = env(name)
    if not value.isdigit():
        raise ConfigError(f"{ENV_PREFIX}{name}={value!r}: expected a whole number")
    return int(value)


def _positive_int(env: Callable[[str], str], name: str) -> int:
    """An environment setting that must be a positive whole number."""
    value = _whole_number(env, name)
    if value < 1:
        raise ConfigError(f"{ENV_PREFIX}{name}={value!r}: expected a positive whole number")
    return value


def _networks(
    env: Callable[[str], str], name: str
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """An environment setting listing IP addresses or networks, comma-separated."""
    networks = []
    for part in filter(None, (p.strip() for p in env(name).split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ConfigError(
                f"{ENV_PREFIX}{name}: {part!r} is not an IP address or network"
            ) from None
    return tuple(networks)


def _delays(env: Callable[[str], str], name: str) -> tuple[float, ...]:
    """An environment setting that lists delays in seconds, comma-separated (may be empty)."""
    value = env(name)
    try:
        delays = tuple(float(part) for part in value.split(",") if part.strip())
    except ValueError:
        delays = (-1.0,)
    if any(not 0 <= delay < float("inf") for delay in delays):
        raise ConfigError(
            f"{ENV_PREFIX}{name}={value!r}: expected seconds separated by commas, e.g. 10,60,300"
        )
    return delays
