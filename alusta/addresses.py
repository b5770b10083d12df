"""Which IP addresses an outbound fetch may reach (stdlib only).

The Webmention Recommendation §4.1 asks receivers and senders not to fetch loopback,
private, link-local or multicast addresses, since a stranger chooses the URL. IPv6 forms
that carry an IPv4 address inside (IPv4-mapped, IPv4-compatible, 6to4, NAT64, Teredo)
are judged by the address they carry, so `::ffff:127.0.0.1` is loopback too.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

IPAddress = IPv4Address | IPv6Address

# Ranges not covered by every Python's is_private/is_global; listed so behaviour does
# not depend on the patch release (the tables changed in 3.11.10 / 3.12.4).
NON_PUBLIC_NETWORKS: tuple[IPv4Network | IPv6Network, ...] = (
    IPv4Network("0.0.0.0/8"),  # "this network"
    IPv4Network("100.64.0.0/10"),  # carrier-grade NAT (RFC 6598)
    IPv4Network("192.0.0.0/24"),  # IETF protocol assignments
    IPv4Network("192.0.2.0/24"),  # documentation
    IPv4Network("198.18.0.0/15"),  # benchmarking
    IPv4Network("198.51.100.0/24"),  # documentation
    IPv4Network("203.0.113.0/24"),  # documentation
    IPv4Network("240.0.0.0/4"),  # reserved, includes broadcast
    IPv6Network("::/96"),  # IPv4-compatible (deprecated) and ::, ::1
    IPv6Network("64:ff9b:1::/48"),  # local-use NAT64
    IPv6Network("100::/64"),  # discard-only
    IPv6Network("2001:db8::/32"),  # documentation
    IPv6Network("fc00::/7"),  # unique local
    IPv6Network("fec0::/10"),  # site-local (deprecated)
)
NAT64_NETWORK = IPv6Network("64:ff9b::/96")
SIXTOFOUR_NETWORK = IPv6Network("2002::/16")
TEREDO_NETWORK = IPv6Network("2001::/32")


def is_public_address(address: IPAddress | str) -> bool:
    """True when `address` is a globally routable unicast address."""
    ip = ip_address(address) if isinstance(address, str) else address
    embedded = embedded_ipv4(ip)
    if embedded is not None:
        return is_public_address(embedded)
    if isinstance(ip, IPv6Address) and ip in TEREDO_NETWORK:
        return False  # the tunnelled address cannot be judged from here
    if any(ip in network for network in NON_PUBLIC_NETWORKS if network.version == ip.version):
        return False
    flags = (
        ip.is_private,
        ip.is_loopback,
        ip.is_link_local,
        ip.is_multicast,
        ip.is_reserved,
        ip.is_unspecified,
    )
    return ip.is_global and not any(flags)


def embedded_ipv4(ip: IPAddress) -> IPv4Address | None:
    """The IPv4 address an IPv6 transition form carries, or None."""
    if not isinstance(ip, IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64_NETWORK:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
