"""One frozen Settings for the build, the endpoint and every job.

The main site is described by `pelicanconf.py` (plain constants), each pilot by its
`pilots/<slug>/pilot.toml`; secrets and machine-specific switches come from environment
variables. Every setting is declared once in `declared` (default and help text); only
`environment` reads the environment and checks its values; this module builds the records.
"""

from __future__ import annotations

import ipaddress
import runpy
from dataclasses import dataclass, field, replace
from pathlib import Path

from alusta.errors import ConfigError
from alusta.settings.declared import (
    DEFAULT_DATABASE,
    DEFAULT_OUTPUT,
    DEFAULT_TRANSLATIONS_DIR,
    ENV_PREFIX,
    ENV_SETTINGS,
    PELICANCONF_KEYS,
    ConfKey,
    EnvSetting,
)
from alusta.settings.environment import (
    Env,
    delays,
    env_value,
    moderator_tokens,
    networks,
    positive_int,
    whole_number,
)
from alusta.sites import Site, load_main_site, load_pilots

__all__ = [
    "ENV_PREFIX",
    "ENV_SETTINGS",
    "PELICANCONF_KEYS",
    "ConfKey",
    "EnvSetting",
    "FeedbackSettings",
    "Settings",
    "SmtpSettings",
    "env_value",
    "load_settings",
]


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
            replace(
                s,
                siteurl=base if s.is_main else f"{base}/pilots/{s.name}",
                output="",
                public_siteurl=s.public_siteurl or s.siteurl,
            )
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
        moderator_tokens=moderator_tokens(env("MODERATOR_TOKENS"), sites),
        secret=env("SECRET"),
        development=development,
        rate_limit_per_minute=positive_int(env, "RATE_LIMIT_PER_MINUTE"),
        source_rate_limit_per_minute=positive_int(env, "SOURCE_RATE_LIMIT_PER_MINUTE"),
        read_rate_limit_per_minute=positive_int(env, "READ_RATE_LIMIT_PER_MINUTE"),
        trusted_proxies=networks(env, "TRUSTED_PROXIES"),
        notify_batch_minutes=positive_int(env, "NOTIFY_BATCH_MINUTES"),
        verify_retry_delays_seconds=delays(env, "VERIFY_RETRY_DELAYS_SECONDS"),
        verify_not_found_delays_seconds=delays(env, "VERIFY_NOT_FOUND_DELAYS_SECONDS"),
        mentions_url=(env("MENTIONS_URL") or pelican.get("ALUSTA_MENTIONS_URL") or "").rstrip("/"),
        s3_endpoint_url=env("S3_ENDPOINT_URL"),
        feedback=_feedback(env),
    )


def _translations(pelican: dict) -> str:
    """ALUSTA_I18N["translations_dir"] (relative to the project), else the theme's."""
    configured = (pelican.get("ALUSTA_I18N") or {}).get("translations_dir")
    return str(configured or DEFAULT_TRANSLATIONS_DIR)


def _feedback(env: Env) -> FeedbackSettings:
    """The feedback settings; no SMTP host means no email notifications."""
    smtp = None
    if env("SMTP_HOST"):
        smtp = SmtpSettings(
            host=env("SMTP_HOST"),
            port=whole_number(env, "SMTP_PORT"),
            user=env("SMTP_USER"),
            password=env("SMTP_PASSWORD"),
            sender=env("SMTP_FROM") or SmtpSettings.sender,
            starttls=env("SMTP_STARTTLS") == "1",
        )
    return FeedbackSettings(
        rate_limit_per_minute=max(1, whole_number(env, "FEEDBACK_RATE_LIMIT_PER_MINUTE")),
        min_fill_seconds=whole_number(env, "FEEDBACK_MIN_FILL_SECONDS"),
        smtp=smtp,
    )
