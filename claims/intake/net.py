"""Fetching a URL someone typed, without letting it reach inside our network (SSRF guard).

Every hop (the first request and each redirect, at most `MAX_REDIRECTS`) is checked: http or
https only; the host is resolved once and every address it resolves to must be public (not
loopback, private, link-local, multicast, reserved or unspecified); the connection is then made
to that very address (TLS still verifies the certificate for the host name), so a DNS answer that
changes between the check and the connect (DNS rebinding) cannot slip an internal address in.
The peer of each new socket is checked again right after it connects. The whole fetch has a deadline
(`timeout`) and a size cap (`max_bytes`).

`settings.FACTCHECK_FETCH_ALLOWED_NETWORKS` lists networks allowed despite being internal
(tests serve from 127.0.0.1); it is empty in every real deployment.

Reused by anything that sends requests to user-supplied URLs (source capture, webhook targets).
"""

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
import urllib3.connection
from django.conf import settings
from django.utils.translation import gettext_noop

from claims.service_messages import StoredMessage

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 3
USER_AGENT = "factcheck-capture/1.0"

BAD_SCHEME = gettext_noop("Only http and https addresses can be fetched, not “{scheme}”.")
NO_HOST = gettext_noop("This address has no host name.")
UNRESOLVABLE = gettext_noop("The host “{host}” could not be resolved.")
REFUSED_ADDRESS = gettext_noop(
    "Refused: “{host}” resolves to {address}, a {kind} address, which this server does not fetch."
)
TOO_MANY_REDIRECTS = gettext_noop("Refused: more than {limit} redirects.")
REDIRECT_WITHOUT_LOCATION = gettext_noop("The server answered with a redirect but no Location.")
TOO_LARGE = gettext_noop("Refused: the document is larger than {limit} bytes.")
TOO_SLOW = gettext_noop("Refused: the server did not deliver the document within {seconds:g} seconds.")
UNREACHABLE = gettext_noop("The server at “{host}” could not be reached: {error}")
HTTP_ERROR = gettext_noop("The server answered HTTP {status}.")
WRONG_TYPE = gettext_noop("Refused: the document is of type “{content_type}”; expected one of {allowed}.")


class FetchRefused(ValueError):
    """The URL or one of its redirects was refused, or the fetch failed; the message says why."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class FetchResult:
    requested_url: str
    url: str  # the address that answered, after redirects
    status: int
    content_type: str  # without parameters, lower case
    charset: str | None
    body: bytes
    redirects: list[str] = field(default_factory=list)


def _allowed_networks() -> list:
    allowed = getattr(settings, "FACTCHECK_FETCH_ALLOWED_NETWORKS", [])
    return [ipaddress.ip_network(network, strict=False) for network in allowed]


def address_kind(address: str) -> str | None:
    """Why an address must not be fetched ("loopback", "private", …), or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in net for net in _allowed_networks()):
        return None
    if ip.is_loopback:
        return "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "reserved"
    return None


@dataclass(frozen=True)
class CheckedURL:
    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]

    @property
    def target(self) -> str:
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def check_public_url(url: str) -> CheckedURL:
    """Check `url` may be fetched; returns it with the addresses its host resolves to (all public).

    Raises FetchRefused (scheme, missing host, unresolvable, or an internal address).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise FetchRefused(StoredMessage(BAD_SCHEME, scheme=scheme or url), code="bad_scheme")
    host = parts.hostname
    if not host:
        raise FetchRefused(StoredMessage(NO_HOST), code="no_host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchRefused(str(exc), code="bad_port") from exc
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused(StoredMessage(UNRESOLVABLE, host=host), code="unresolvable") from exc
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        kind = address_kind(address)
        if kind:
            raise FetchRefused(
                StoredMessage(REFUSED_ADDRESS, host=host, address=address, kind=kind), code=f"refused_{kind}"
            )
    return CheckedURL(url=url, scheme=scheme, host=host, port=port, addresses=addresses)


def _refuse_internal_peer(sock: socket.socket, host: str) -> None:
    """Belt and braces: whatever the resolver said, the socket must be connected to an allowed address."""
    peer = sock.getpeername()[0]
    kind = address_kind(peer)
    if kind:
        sock.close()
        raise FetchRefused(StoredMessage(REFUSED_ADDRESS, host=host, address=peer, kind=kind), code=f"refused_{kind}")


class _GuardedHTTPConnection(urllib3.connection.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _refuse_internal_peer(self.sock, self.host)


class _GuardedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _refuse_internal_peer(self.sock, self.host)


def _pool(checked: CheckedURL, address: str, timeout: float) -> urllib3.HTTPConnectionPool:
    """A connection pool to the checked address itself; TLS verifies the certificate for the host name."""
    common: dict[str, Any] = {
        "port": checked.port,
        "maxsize": 1,
        "retries": False,
        "timeout": urllib3.Timeout(total=timeout),
    }
    pool: urllib3.HTTPConnectionPool
    if checked.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=checked.host,
            assert_hostname=checked.host,
            **common,
        )
        pool.ConnectionCls = _GuardedHTTPSConnection
    else:
        pool = urllib3.HTTPConnectionPool(address, **common)
        pool.ConnectionCls = _GuardedHTTPConnection
    return pool


def fetch_public_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    allowed_types: frozenset[str] | None = None,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    error_status_is_refusal: bool = True,
    truncate: bool = False,
) -> FetchResult:
    """Request `url` behind the guard and return the body (at most `max_bytes`) within `timeout` seconds.

    Raises FetchRefused with a clear message for every refusal (see the module docstring), for
    an HTTP error status (4xx/5xx) unless `error_status_is_refusal` is False (a webhook logs it),
    for a longer body unless `truncate` (then its first `max_bytes`), and, when `allowed_types`
    is given, for another content type. Redirects are followed only for GET (and re-checked at
    each hop). The connection goes to the address that was checked, never to a second lookup.
    """
    deadline = time.monotonic() + timeout
    current = url
    redirects: list[str] = []
    while True:
        checked = check_public_url(current)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchRefused(StoredMessage(TOO_SLOW, seconds=timeout), code="too_slow")
        pool = _pool(checked, checked.addresses[0], remaining)
        # The caller's headers replace these whatever their case (one User-Agent, not two).
        request_headers = urllib3.HTTPHeaderDict(
            {"Host": checked.host_header, "User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        )
        for name, value in (headers or {}).items():
            request_headers[name] = value
        try:
            response = pool.urlopen(
                method,
                checked.target,
                body=body,
                headers=request_headers,
                redirect=False,
                preload_content=False,
                retries=False,
                timeout=urllib3.Timeout(connect=remaining, read=remaining),
            )
        except (urllib3.exceptions.TimeoutError, TimeoutError) as exc:
            pool.close()
            raise FetchRefused(StoredMessage(TOO_SLOW, seconds=timeout), code="too_slow") from exc
        except urllib3.exceptions.HTTPError as exc:
            pool.close()
            raise FetchRefused(StoredMessage(UNREACHABLE, host=checked.host, error=exc), code="unreachable") from exc
        try:
            if response.status in {301, 302, 303, 307, 308} and method == "GET":
                location = response.headers.get("Location")
                if not location:
                    raise FetchRefused(StoredMessage(REDIRECT_WITHOUT_LOCATION), code="bad_redirect")
                if len(redirects) >= max_redirects:
                    raise FetchRefused(
                        StoredMessage(TOO_MANY_REDIRECTS, limit=max_redirects), code="too_many_redirects"
                    )
                current = urljoin(current, location)
                redirects.append(current)
                continue
            if response.status >= 400 and error_status_is_refusal:
                raise FetchRefused(StoredMessage(HTTP_ERROR, status=response.status), code="http_error")
            content_type, charset = _content_type(response.headers.get("Content-Type", ""))
            if allowed_types is not None and content_type not in allowed_types:
                raise FetchRefused(
                    StoredMessage(
                        WRONG_TYPE,
                        content_type=content_type or StoredMessage(gettext_noop("unknown")),
                        allowed=", ".join(sorted(allowed_types)),
                    ),
                    code="wrong_type",
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes and not truncate:
                raise FetchRefused(StoredMessage(TOO_LARGE, limit=max_bytes), code="too_large")
            data = _read_capped(response, max_bytes=max_bytes, deadline=deadline, timeout=timeout, truncate=truncate)
            return FetchResult(
                requested_url=url,
                url=current,
                status=response.status,
                content_type=content_type,
                charset=charset,
                body=data,
                redirects=redirects,
            )
        finally:
            response.release_conn()
            pool.close()


def _content_type(header: str) -> tuple[str, str | None]:
    main, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip('"').strip()
    return main.strip().lower(), charset


def _read_capped(
    response: urllib3.BaseHTTPResponse, *, max_bytes: int, deadline: float, timeout: float, truncate: bool = False
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise FetchRefused(StoredMessage(TOO_SLOW, seconds=timeout), code="too_slow")
            # read1: whatever has arrived (up to 64 KiB), so a trickle cannot outlast the deadline.
            chunk = response.read1(64 * 1024)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > max_bytes:
                if truncate:
                    chunks.append(chunk[: max_bytes - (size - len(chunk))])
                    return b"".join(chunks)
                raise FetchRefused(StoredMessage(TOO_LARGE, limit=max_bytes), code="too_large")
            chunks.append(chunk)
    except (urllib3.exceptions.TimeoutError, urllib3.exceptions.ProtocolError, TimeoutError) as exc:
        raise FetchRefused(StoredMessage(TOO_SLOW, seconds=timeout), code="too_slow") from exc
