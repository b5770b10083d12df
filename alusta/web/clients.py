"""Who is asking: the client's address behind trusted proxies, and the key it is limited by.

A peer's `X-Forwarded-For` is believed only when the peer is one of the configured trusted
proxies (ALUSTA_TRUSTED_PROXIES); anyone else could write any address there and get a
fresh rate-limit bucket per request. Behind trusted proxies the client is the right-most
address that is not a proxy itself (each proxy appends the address it heard from).

The rate-limit key groups what one party controls: an IPv4 address, or an IPv6 /64 (one
subscriber's network under RFC 6177 and RIPE-690: a host picks any of its 2^64 addresses
freely). An IPv4-mapped IPv6 address (`::ffff:203.0.113.5`) counts as its IPv4 address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
IPV6_CLIENT_PREFIX = 64
MAX_FORWARDED_HOPS = 16  # a longer header is read only this far from the right


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address, IPv4-mapped IPv6 as IPv4; None for anything else."""
    try:
        address = ipaddress.ip_address(text.strip().removeprefix("[").removesuffix("]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: str, proxies: Iterable[Network]) -> bool:
    """True when `address` lies in one of the trusted proxy networks."""
    parsed = parse_address(address)
    return parsed is not None and any(parsed in network for network in proxies)


def client_address(peer: str, forwarded_for: str, proxies: tuple[Network, ...]) -> str:
    """The client's address: `peer`, or behind trusted `proxies` the right-most address of
    `X-Forwarded-For` that is not a proxy (the peer itself when the header names none)."""
    if not proxies or not forwarded_for or not is_trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",")][-MAX_FORWARDED_HOPS:]
    for hop in reversed(hops):
        parsed = parse_address(hop)
        if parsed is None:
            return peer  # a garbled header: the proxy we trust is the last sure thing
        if not any(parsed in network for network in proxies):
            return str(parsed)
    return peer


def client_key(address: str) -> str:
    """What one client is limited by: an IPv4 address or an IPv6 /64 network."""
    parsed = parse_address(address)
    if parsed is None:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False))
    return str(parsed)
