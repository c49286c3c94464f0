"""The client's address behind trusted reverse proxies (``TKA_TRUSTED_PROXIES``).

``X-Forwarded-For`` and ``Forwarded`` (RFC 7239) are believed only when the direct peer is one of
the trusted proxies, and only as far back as trusted proxies wrote them: walking the chain from
the right, the first address that is not a trusted proxy is the client. Without trusted proxies
the headers are ignored, so no client can choose the address its rate limits and audit entries
see (OWASP ASVS 4.0.3 1.4.x; uvicorn's ``forwarded_allow_ips`` has the same rule).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_FORWARDED_FOR = re.compile(r'(?:^|[;,\s])for\s*=\s*("[^"]*"|[^;,\s]*)', re.IGNORECASE)


@functools.cache
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of ``TKA_TRUSTED_PROXIES`` entries (addresses or CIDR networks); a
    ValueError names an entry that is neither."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ValueError(
                f"TKA_TRUSTED_PROXIES: {entry!r} is not an address or network"
            ) from error
    return tuple(networks)


def _address(text: str) -> Address | None:
    """An IP address from a header value: ``1.2.3.4``, ``1.2.3.4:80``, ``[::1]:80``, ``::1``."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def is_trusted_peer(peer: str, trusted: tuple[Network, ...]) -> bool:
    """Whether the direct peer ``peer`` is one of the trusted proxies."""
    address = _address(peer)
    return address is not None and _is_trusted(address, trusted)


def forwarded_chain(x_forwarded_for: str | None, forwarded: str | None) -> list[str]:
    """The addresses the proxies reported, client first (``Forwarded`` wins when present)."""
    if forwarded:
        return [match.group(1) for match in _FORWARDED_FOR.finditer(forwarded)]
    if x_forwarded_for:
        return [part for part in x_forwarded_for.split(",") if part.strip()]
    return []


def client_address(peer: str, chain: list[str], trusted: tuple[Network, ...]) -> str:
    """The client's address for a request from ``peer`` carrying the forwarded ``chain``."""
    last = _address(peer)
    if last is None or not trusted or not _is_trusted(last, trusted):
        return peer
    for entry in reversed(chain):
        hop = _address(entry)
        if hop is None:  # a hop the proxy could not name: the proxy is the last one known
            return str(last)
        if not _is_trusted(hop, trusted):
            return str(hop)
        last = hop
    return str(last)
