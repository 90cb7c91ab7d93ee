"""The outbound address policy: non-public addresses are refused unless allowed, checked on the
address the socket really connects to."""

import ipaddress
import socket
from typing import Any

import pytest

from engine.integrations.address_policy import AddressPolicy, AddressRefused, restricted_reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback address"),
        ("::1", "loopback address"),
        ("10.1.2.3", "private address"),
        ("172.16.0.1", "private address"),
        ("192.168.1.1", "private address"),
        ("fd12:3456::1", "private address"),
        ("169.254.10.10", "link-local address"),
        ("fe80::1", "link-local address"),
        ("169.254.169.254", "cloud metadata address"),
        ("fd00:ec2::254", "cloud metadata address"),
        ("0.0.0.0", "unspecified address"),
        ("::", "unspecified address"),
        ("224.0.0.1", "multicast address"),
        ("ff02::1", "multicast address"),
        ("240.0.0.1", "private address"),
        ("100.64.0.1", "non-public address"),
        ("::ffff:127.0.0.1", "loopback address"),
        ("::ffff:169.254.169.254", "cloud metadata address"),
        ("64:ff9b::a00:1", "private address inside 64:ff9b::a00:1"),
    ],
)
def test_non_public_addresses_are_restricted(address: str, reason: str) -> None:
    assert restricted_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_not(address: str) -> None:
    assert restricted_reason(ipaddress.ip_address(address)) is None


def test_the_default_policy_refuses_loopback() -> None:
    policy = AddressPolicy()

    assert policy.refusal("localhost", ipaddress.ip_address("127.0.0.1")) == "loopback address"


def test_an_allowed_network_permits_its_addresses_only() -> None:
    policy = AddressPolicy(allow=["127.0.0.1/32", "10.0.0.0/8"])

    assert policy.refusal("x", ipaddress.ip_address("127.0.0.1")) is None
    assert policy.refusal("x", ipaddress.ip_address("10.9.9.9")) is None
    assert policy.refusal("x", ipaddress.ip_address("127.0.0.2")) == "loopback address"


def test_an_allowed_host_name_permits_what_it_resolves_to() -> None:
    policy = AddressPolicy(allow=["localhost"])

    assert policy.refusal("LOCALHOST.", ipaddress.ip_address("::1")) is None
    assert policy.refusal("other", ipaddress.ip_address("::1")) == "loopback address"


def test_connect_refuses_with_a_cause_that_says_how_to_allow() -> None:
    policy = AddressPolicy()

    with pytest.raises(AddressRefused) as refused:
        policy.connect("127.0.0.1", 9, timeout=1)

    assert "127.0.0.1 (loopback address)" in str(refused.value)
    assert "AddressPolicy(allow=" in str(refused.value)


def test_the_name_is_resolved_once_and_the_checked_address_is_the_one_connected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A rebinding DNS server answers a public address to the check, then loopback.
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])
    lookups: list[str] = []
    connected: list[Any] = []

    def rebinding_getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    def recording_connect(self: socket.socket, address: Any) -> None:
        connected.append(address)
        raise ConnectionRefusedError("not really connecting in a test")

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", recording_connect)

    with pytest.raises(ConnectionRefusedError):
        AddressPolicy().connect("rebind.example", 443, timeout=1)

    assert lookups == ["rebind.example"]
    assert connected == [("93.184.216.34", 443)]


def test_refused_candidates_are_skipped_for_an_allowed_one(monkeypatch: pytest.MonkeyPatch) -> None:
    connected: list[Any] = []

    def two_answers(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
        ]

    def recording_connect(self: socket.socket, address: Any) -> None:
        connected.append(address)

    monkeypatch.setattr(socket, "getaddrinfo", two_answers)
    monkeypatch.setattr(socket.socket, "connect", recording_connect)

    AddressPolicy().connect("mixed.example", 80, timeout=1).close()

    assert connected == [("93.184.216.34", 80)]
