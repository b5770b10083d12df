"""Reading the environment: the one place Alusta looks at `os.environ`, and the checks
that turn its text into typed values (a ConfigError names the variable and what it expected).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable

from alusta.errors import ConfigError
from alusta.settings.declared import ENV_PREFIX, ENV_SETTINGS
from alusta.sites import Site

MIN_TOKEN_CHARS = 16  # a moderator token is a password: long enough not to be guessed
Env = Callable[[str], str]  # a setting's name without the prefix → its value or default


def env_value(name: str, environ: dict[str, str] | None = None) -> str:
    """The value of one documented environment setting, or its default."""
    environ = os.environ if environ is None else environ
    setting = next(s for s in ENV_SETTINGS if s.name == name)
    return environ.get(setting.env_name, setting.default)


def moderator_tokens(value: str, sites: tuple[Site, ...]) -> tuple[tuple[str, str], ...]:
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


def whole_number(env: Env, name: str) -> int:
    """An environment setting that must be a whole number (0 or more)."""
    value = env(name)
    if not value.isdigit():
        raise ConfigError(f"{ENV_PREFIX}{name}={value!r}: expected a whole number")
    return int(value)


def positive_int(env: Env, name: str) -> int:
    """An environment setting that must be a positive whole number."""
    value = whole_number(env, name)
    if value < 1:
        raise ConfigError(f"{ENV_PREFIX}{name}={value!r}: expected a positive whole number")
    return value


def networks(env: Env, name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
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


def delays(env: Env, name: str) -> tuple[float, ...]:
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
