"""Outbound URLs checked before the server connects to them (SSRF guard).

Minimal stand-in written on the `push` branch with the contract the intake branch's guard has:
`check_public_url(url)` raises `UnsafeURL` (a `ValidationError`) with a clear message unless the
URL is http(s) and every address its host resolves to is public. Callers that follow redirects
call it again for every hop. `FACTCHECK_ALLOW_PRIVATE_URLS` lets tests reach 127.0.0.1.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

URL_SCHEME_REFUSED = "Only http and https URLs are allowed."
URL_HOST_MISSING = "The URL has no host."
URL_HOST_UNRESOLVED = "The host {host} could not be resolved."
URL_ADDRESS_REFUSED = "The host {host} resolves to {address}, a private, loopback or reserved address."


class UnsafeURL(ValidationError):
    pass


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(URL_HOST_UNRESOLVED.format(host=host), code="unresolved") from exc
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check_public_url(url: str) -> str:
    """Return `url` if the server may fetch it; raise `UnsafeURL` saying why not."""
    parts = urlsplit(url or "")
    if parts.scheme.lower() not in {"http", "https"}:
        raise UnsafeURL(URL_SCHEME_REFUSED, code="scheme")
    host = parts.hostname
    if not host:
        raise UnsafeURL(URL_HOST_MISSING, code="host")
    addresses = resolve(host)
    if getattr(settings, "FACTCHECK_ALLOW_PRIVATE_URLS", False):
        return url
    for address in addresses:
        if not _is_public(address):
            raise UnsafeURL(URL_ADDRESS_REFUSED.format(host=host, address=address), code="private")
    return url
