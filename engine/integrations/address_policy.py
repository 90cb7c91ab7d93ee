"""Which addresses outbound HTTP may reach, checked on the socket actually opened.

A workflow author controls URLs, so an HTTP Task could otherwise probe the host it runs on,
the private network, or a cloud metadata service. The check runs at connect time on the IP
address the socket connects to: the name is resolved once and that very address is used, so
a DNS answer that changes between a check and the connect (rebinding) cannot slip past.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # embeds an IPv4 address in its last 32 bits


class AddressRefused(OSError):
    """Every address a host name resolved to is one the policy refuses."""


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses are allowed; others only when `allow` names them.

    `allow` holds networks ("127.0.0.1/32", "10.0.0.0/8", "::1") and host names
    ("localhost", "api.internal"): a host name entry trusts whatever that name resolves to.
    """

    allow: Iterable[str] = ()
    _networks: tuple[IPNetwork, ...] = field(init=False, repr=False)
    _hosts: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in self.allow:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(_normal_host(entry))
        object.__setattr__(self, "allow", tuple(self.allow))
        object.__setattr__(self, "_networks", tuple(networks))
        object.__setattr__(self, "_hosts", frozenset(hosts))

    def refusal(self, host: str, address: IPAddress) -> str | None:
        """Why connecting to `address` (resolved from `host`) is refused; None if it is not."""
        reason = restricted_reason(address)
        if reason is None or _normal_host(host) in self._hosts:
            return None
        if any(address.version == net.version and address in net for net in self._networks):
            return None
        return reason

    def connect(self, host: str, port: int, timeout: float | None) -> socket.socket:
        """Resolve `host` once and connect to the first address the policy allows."""
        try:
            candidates = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise OSError(f"could not resolve {host!r}: {error}") from error
        refused: list[str] = []
        last_error: OSError | None = None
        for family, kind, proto, _, sockaddr in candidates:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            reason = self.refusal(host, address)
            if reason is not None:
                refused.append(f"{address} ({reason})")
                continue
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(timeout)
                sock.connect(sockaddr)  # the checked address itself: no second lookup
            except OSError as error:
                sock.close()
                last_error = error
                continue
            return sock
        if last_error is not None:
            raise last_error
        raise AddressRefused(
            f"Refused to connect to {host!r}: it resolves to {', '.join(refused)}, which the outbound "
            f"address policy does not allow. To allow it, add the address or network (or the host "
            f"name) to AddressPolicy(allow=[...])."
        )


def restricted_reason(address: IPAddress) -> str | None:
    """The kind of non-public address this is, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # the socket really talks IPv4 to that address
            return restricted_reason(address.ipv4_mapped)
        embedded = _embedded_ipv4(address)
        inner = restricted_reason(embedded) if embedded is not None else None
        if inner is not None:
            return f"{inner} inside {address}"
    checks = (
        (address in METADATA_ADDRESSES, "cloud metadata address"),
        (address.is_unspecified, "unspecified address"),
        (address.is_loopback, "loopback address"),
        (address.is_link_local, "link-local address"),
        (address.is_multicast, "multicast address"),
        (address.is_private, "private address"),
        (address.is_reserved, "reserved address"),
        (not address.is_global, "non-public address"),  # e.g. 100.64.0.0/10, shared address space
    )
    for matched, reason in checks:
        if matched:
            return reason
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside a 6to4, Teredo or NAT64 IPv6 address."""
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()
